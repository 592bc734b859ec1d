"""Partnership models compared (goal 2 of the seeds): networks, Labs' local networks and countries side by side.

Each unit is a graph as networks.graph defines it (a network's, a Lab's, or the selection of a country's
organisations), on published data only, so everyone sees the same numbers. Each section is a table, measures down and
units across; the page draws some of them as charts, the download writes them all as CSV.

Whole-network measures come from the stored analysis of the unit (networks.analysis, on the task queue) while it is
fresh; a graph without a fresh analysis is measured here when it is small (ON_THE_FLY_MAX_NODES), otherwise only
counted until its analysis is computed.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.utils import formats
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from labs.models import Lab
from networks.analysis import compute, current_version, fingerprint, is_stale
from networks.graph import Scope, graph_data
from networks.models import (
    Analysis,
    AnalysisStatus,
    Network,
    NetworkMembership,
    NetworkRole,
    Organisation,
    Sector,
)

MAX_UNITS = 12
# A graph this small is measured in the request when its analysis is missing or stale (a few milliseconds); larger
# ones wait for the task queue.
ON_THE_FLY_MAX_NODES = 300


@dataclass
class Unit:
    """One column of the comparison: a network, a Lab or a country."""

    kind: str  # "network", "lab", "country"
    code: str  # the network's or Lab's slug, or the country's code
    name: str
    scope: Scope
    network: Network | None = None
    # Filled by compare():
    data: dict = field(default_factory=dict)
    measures: dict = field(default_factory=dict)
    source: str = ""  # where the whole-network measures come from: "stored", "computed", "" (counted only)
    computed_at: object = None

    @property
    def kind_label(self) -> str:
        return str({"network": _("Network"), "lab": _("Lab"), "country": _("Country")}[self.kind])


@dataclass
class Row:
    label: str
    values: list  # one per unit; None when unknown or not applicable
    unit: str = "count"  # count, decimal, percent (a share 0..1), km, date
    charted: bool = True

    def display(self) -> list[str]:
        return [_display(value, self.unit) for value in self.values]

    def csv(self) -> list:
        return [_csv_value(value, self.unit) for value in self.values]


@dataclass
class Section:
    key: str
    title: str
    explanation: str
    rows: list[Row]
    units: list[Unit]
    chart: str = "bar"  # "" for a table only
    notes: list[str] = field(default_factory=list)

    @property
    def has_chart(self) -> bool:
        return bool(self.chart) and any(v for row in self.rows if row.charted for v in row.values if v is not None)

    def chart_data(self) -> dict:
        """What static/networks/compare.js draws: measures as categories, one dataset per unit (labels translated)."""
        rows = [row for row in self.rows if row.charted]
        percent = all(row.unit == "percent" for row in rows)
        return {
            "type": self.chart,
            "title": str(self.title),
            "percent": percent,
            "decimals": 0 if all(row.unit in {"count", "km"} for row in rows) else 2,
            "labels": [str(row.label) for row in rows],
            "datasets": [
                {
                    "label": unit.name,
                    "data": [_chart_value(row.values[j], row.unit) for row in rows],
                }
                for j, unit in enumerate(self.units)
            ],
        }

    def table(self) -> list[tuple[str, list[str]]]:
        return [(row.label, row.display()) for row in self.rows]


def _display(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "date":
        return formats.date_format(value, "DATE_FORMAT")
    if unit == "percent":
        return formats.number_format(round(value * 100, 1), 1) + " %"
    if unit == "km":
        return formats.number_format(round(value), 0, force_grouping=True)
    if unit == "decimal":
        return formats.number_format(round(value, 3), 3)
    return formats.number_format(value, 0, force_grouping=True)


def _csv_value(value, unit: str):
    if value is None:
        return ""
    if unit == "date":
        return value.isoformat()
    if unit == "percent":
        return round(value * 100, 1)
    if unit == "km":
        return round(value)
    if unit == "decimal":
        return round(value, 4)
    return value


def _chart_value(value, unit: str):
    if value is None:
        return None
    return round(value * 100, 1) if unit == "percent" else round(value, 4)


# The choices of the form


def choosable_networks() -> list[Network]:
    return list(
        Network.objects.visible_to(None).only("name", "slug", "parent", "start_date", "end_date").order_by("name", "pk")
    )


def choosable_labs() -> list[Lab]:
    return list(Lab.objects.visible_to(None).only("name", "slug", "country").order_by("name", "pk"))


def choosable_countries() -> list[tuple[str, str]]:
    """The countries of published organisations, by name in the reader's language."""
    published = Organisation.objects.published().exclude(country="")
    codes = published.order_by("country").values_list("country", flat=True).distinct()
    return sorted(((code, str(countries.name(code))) for code in codes), key=lambda pair: pair[1])


def units_for(networks: list[Network], labs: list[Lab], country_codes: list[str]) -> list[Unit]:
    units = [Unit("network", n.slug, n.name, Scope(network=n), network=n) for n in networks]
    units += [Unit("lab", lab.slug, lab.name, Scope(lab=lab)) for lab in labs]
    units += [
        Unit("country", code, str(countries.name(code)), Scope(filters={"country": code})) for code in country_codes
    ]
    return units


# The comparison


def compare(units: list[Unit]) -> list[Section]:
    """Every section for `units`: a few queries per unit (its graph, its distances) and a few for all of them."""
    for unit in units:
        unit.data = graph_data(unit.scope, None)  # published data only
    _whole_network_measures(units)
    memberships = _memberships([unit.network for unit in units if unit.network is not None])
    distances = [_distances(unit.data) for unit in units]
    return [
        _size(units),
        _cohesion(units),
        _sectors(units),
        _structure(units, memberships),
        _geography(units, distances),
        _period(units, memberships),
    ]


# Whole-network measures: the stored analysis when fresh, computed here when small, else counted only.

COHESION = [
    ("density", _("Density"), "decimal", True),
    ("average_path_length", _("Average path length"), "decimal", False),
    ("transitivity", _("Transitivity"), "decimal", True),
    ("degree_centralisation", _("Degree centralisation"), "decimal", True),
    ("ei_index", _("E-I index (cross-sector ties)"), "decimal", True),
    ("reciprocity", _("Reciprocity"), "decimal", True),
]


# How long figures computed on the fly stay in the cache (their key changes with the graph anyway).
COMPUTED_FOR = 24 * 60 * 60

MEASURE_KEYS = ["nodes", "edges", "components", *(key for key, *_rest in COHESION)]


def _whole_network_measures(units: list[Unit]) -> None:
    keys = [unit.scope.key for unit in units if unit.scope.key]
    stored = {
        analysis.scope: analysis
        for analysis in Analysis.objects.filter(scope__in=keys, status=AnalysisStatus.DONE).only(
            "scope", "data_version", "results", "finished_at"
        )
    }
    current = current_version()
    for unit in units:
        analysis = stored.get(unit.scope.key)
        graph = (analysis.results or {}).get("graph") if analysis is not None else None
        if analysis is not None and not is_stale(analysis, current) and isinstance(graph, dict):
            unit.measures, unit.source, unit.computed_at = _measures(graph), "stored", analysis.finished_at
        elif len(unit.data["nodes"]) <= ON_THE_FLY_MAX_NODES:
            unit.measures, unit.source = _measures(_computed(unit.data)), "computed"
        else:
            unit.measures, unit.source = _counted(unit.data), ""


def _computed(data: dict) -> dict:
    """The whole-network figures of a small graph computed here, kept in the cache under the graph's fingerprint: the
    same graph is never computed twice, and any change to it makes a new key."""
    key = f"networks:compare:{fingerprint(data)}"
    graph = cache.get(key)
    if graph is None:
        graph = compute(data)["graph"]
        cache.set(key, graph, COMPUTED_FOR)
    return graph


def _measures(graph: dict) -> dict:
    """The whole-network figures of networks.analysis under the names this page shows."""
    return {key: graph.get(key) for key in MEASURE_KEYS}


def _counted(data: dict) -> dict:
    """What is counted without the analysis: organisations, ties between distinct pairs, density."""
    n = len(data["nodes"])
    pairs = {frozenset((edge["source"], edge["target"])) for edge in data["edges"]}
    return {"nodes": n, "edges": len(pairs), "density": 2 * len(pairs) / (n * (n - 1)) if n > 1 else None}


def _size(units: list[Unit]) -> Section:
    rows = [
        Row(_("Organisations"), [unit.measures.get("nodes") for unit in units]),
        Row(_("Ties (pairs of organisations linked)"), [unit.measures.get("edges") for unit in units]),
        Row(_("Relationships recorded"), [len(unit.data["edges"]) for unit in units]),
        Row(_("Components (separate parts)"), [unit.measures.get("components") for unit in units]),
    ]
    return Section(
        key="size",
        title=_("Size"),
        explanation=_(
            "Published organisations and relationships of each graph. Several relationships between the same two "
            "organisations make one tie. A component is a part of the graph with no tie to the rest."
        ),
        rows=rows,
        units=units,
    )


def _cohesion(units: list[Unit]) -> Section:
    rows = [
        Row(label, [unit.measures.get(key) for unit in units], unit=kind, charted=charted)
        for key, label, kind, charted in COHESION
    ]
    notes = [_source_note(unit) for unit in units]
    return Section(
        key="cohesion",
        title=_("Whole-network measures"),
        explanation=_(
            "Density: the share of possible ties that exist. Average path length: the mean number of steps between "
            "two organisations that can reach each other. Transitivity: the share of two-step paths closed into "
            "triangles. Degree centralisation: 1 when one organisation holds every tie (a star), 0 when all hold as "
            "many. E-I index: from −1 (all ties within a sector) to +1 (all across sectors). Reciprocity: the share "
            "of directed ties returned."
        ),
        rows=rows,
        units=units,
        notes=[note for note in notes if note],
    )


def _source_note(unit: Unit) -> str:
    if unit.source == "stored":
        when = formats.date_format(localtime(unit.computed_at), "SHORT_DATETIME_FORMAT") if unit.computed_at else ""
        return str(
            _("%(name)s: as computed by its analysis on %(when)s, on the same data as now.")
            % {"name": unit.name, "when": when}
        )
    if unit.source == "computed":
        return str(_("%(name)s: computed now for this page.") % {"name": unit.name})
    return str(
        _("%(name)s: too large to measure here; only counted until its analysis is computed.") % {"name": unit.name}
    )


def _sectors(units: list[Unit]) -> Section:
    counts = [Counter(node["sector"] or "" for node in unit.data["nodes"]) for unit in units]
    categories = [*Sector.choices, ("", _("Not given"))]
    rows = []
    for value, label in categories:
        if value == "" and not any(count[""] for count in counts):
            continue
        shares = [count[value] / total if (total := sum(count.values())) else None for count in counts]
        rows.append(Row(_("%(sector)s (share)") % {"sector": label}, shares, unit="percent"))
    count_rows = [
        Row(_("%(sector)s (number)") % {"sector": label}, [count[value] for count in counts], charted=False)
        for value, label in categories
        if value or any(count[""] for count in counts)
    ]
    return Section(
        key="sectors",
        title=_("Sector mix"),
        explanation=_(
            "The share of each graph's organisations in each sector (public, private, civic, knowledge); the number "
            "of organisations follows below the shares."
        ),
        rows=rows + count_rows,
        units=units,
    )


def _memberships(networks: list[Network]) -> dict[int, list[tuple[int, str, date | None, date | None]]]:
    """The published memberships of each network and of its hubs, by network: one query for all of them."""
    result: dict[int, list] = {network.pk: [] for network in networks}
    if not networks:
        return result
    ids = list(result)
    rows = (
        NetworkMembership.objects.visible_to(None)
        .filter(Q(network_id__in=ids) | Q(network__parent_id__in=ids))
        .values_list("network_id", "network__parent_id", "organisation_id", "role", "start_date", "end_date")
    )
    for network_id, parent_id, organisation_id, role, start, end in rows:
        for key in (network_id, parent_id):
            if key in result:
                result[key].append((organisation_id, role, start, end))
    return result


def _structure(units: list[Unit], memberships: dict) -> Section:
    rows = []
    for role, label in NetworkRole.choices:
        values = [
            sum(1 for m in memberships[unit.network.pk] if m[1] == role) if unit.network is not None else None
            for unit in units
        ]
        rows.append(Row(str(label), values))
    shares = []
    for unit in units:
        if unit.network is None or not unit.data["edges"]:
            shares.append(None)
            continue
        leads = {m[0] for m in memberships[unit.network.pk] if m[1] == NetworkRole.LEAD}
        held = sum(1 for edge in unit.data["edges"] if edge["source"] in leads or edge["target"] in leads)
        shares.append(held / len(unit.data["edges"]))
    rows.append(Row(_("Lead partner's share of the relationships"), shares, unit="percent", charted=False))
    return Section(
        key="structure",
        title=_("Lead and partners"),
        explanation=_(
            "For a network: how many organisations take part as lead partner, partner or member (its hubs' members "
            "included), and the share of its relationships that involve the lead partner. Labs and countries have "
            "no such roles (—)."
        ),
        rows=rows,
        units=units,
    )


# Great-circle distances (PostGIS ST_DistanceSphere, in metres): between every two located organisations of a graph,
# and along its ties.
DISTANCES_SQL = """
WITH located AS (SELECT id, location FROM {table} WHERE id = ANY(%(ids)s) AND location IS NOT NULL),
     pairs AS (SELECT ST_DistanceSphere(a.location, b.location) AS d FROM located a JOIN located b ON a.id < b.id),
     ties AS (SELECT ST_DistanceSphere(a.location, b.location) AS d
                FROM unnest(%(sources)s::bigint[], %(targets)s::bigint[]) AS t(source, target)
                JOIN located a ON a.id = t.source JOIN located b ON b.id = t.target)
SELECT (SELECT avg(d) FROM pairs), (SELECT max(d) FROM pairs), (SELECT avg(d) FROM ties), (SELECT max(d) FROM ties)
"""
DISTANCE_KEYS = ["pairs_mean", "pairs_max", "ties_mean", "ties_max"]


def _distances(data: dict) -> dict:
    """Mean and longest distance, in km, between two organisations of the graph and along its ties."""
    located = {node["id"]: node for node in data["nodes"] if node["lat"] is not None}
    ties = [
        (edge["source"], edge["target"])
        for edge in data["edges"]
        if edge["source"] in located and edge["target"] in located
    ]
    if len(located) < 2:
        return dict.fromkeys(DISTANCE_KEYS)
    with connection.cursor() as cursor:
        cursor.execute(
            DISTANCES_SQL.format(table=Organisation._meta.db_table),
            {"ids": list(located), "sources": [s for s, _t in ties], "targets": [t for _s, t in ties]},
        )
        values = cursor.fetchone()
    km = [float(v) / 1000 if v is not None else None for v in values]
    return dict(zip(DISTANCE_KEYS, km, strict=True))


def _geography(units: list[Unit], distances: list[dict]) -> Section:
    def count(unit: Unit, key) -> int:
        return len({key(node) for node in unit.data["nodes"] if node["country"] and key(node)})

    rows = [
        Row(_("Countries"), [count(unit, lambda node: node["country"]) for unit in units], charted=False),
        Row(_("Cities"), [count(unit, lambda node: (node["country"], node["city"])) for unit in units], charted=False),
        Row(
            _("Organisations without a known place"),
            [sum(1 for node in unit.data["nodes"] if node["lat"] is None) for unit in units],
            charted=False,
        ),
        Row(_("Mean distance between two organisations (km)"), [d["pairs_mean"] for d in distances], unit="km"),
        Row(_("Longest distance between two organisations (km)"), [d["pairs_max"] for d in distances], unit="km"),
        Row(_("Mean length of a relationship (km)"), [d["ties_mean"] for d in distances], unit="km"),
        Row(_("Longest relationship (km)"), [d["ties_max"] for d in distances], unit="km"),
    ]
    return Section(
        key="geography",
        title=_("Geography"),
        explanation=_(
            "Where each graph's organisations are: countries, cities, and great-circle distances between the "
            "places of every two organisations and along the relationships (organisations without a place are left "
            "out of the distances)."
        ),
        rows=rows,
        units=units,
    )


def _months(start: date | None, end: date | None) -> int | None:
    """Whole months from the first day to the last, both included (21 April 2008 to 20 May 2011: 37)."""
    if start is None or end is None or end < start:
        return None
    after = end + timedelta(days=1)
    return (after.year - start.year) * 12 + after.month - start.month - (1 if after.day < start.day else 0)


def _period(units: list[Unit], memberships: dict) -> Section:
    starts, ends, dated = [], [], []
    for unit in units:
        edges = unit.data["edges"]
        tie_starts = [date.fromisoformat(e["start"]) for e in edges if e["start"]]
        tie_ends = [date.fromisoformat(e["end"]) for e in edges if e["end"]]
        if unit.network is not None:
            member_starts = [m[2] for m in memberships[unit.network.pk] if m[2]]
            member_ends = [m[3] for m in memberships[unit.network.pk] if m[3]]
            start = unit.network.start_date or min(member_starts + tie_starts, default=None)
            end = unit.network.end_date or max(member_ends + tie_ends, default=None)
        else:
            start, end = min(tie_starts, default=None), max(tie_ends, default=None)
        starts.append(start)
        ends.append(end)
        dated.append(sum(1 for e in edges if e["start"] or e["end"]))
    rows = [
        Row(_("From"), starts, unit="date", charted=False),
        Row(_("Until"), ends, unit="date", charted=False),
        Row(_("Months"), [_months(s, e) for s, e in zip(starts, ends, strict=True)], charted=False),
        Row(_("Relationships with dates"), dated, charted=False),
    ]
    return Section(
        key="period",
        title=_("Period"),
        explanation=_(
            "For a network: its own dates (or, without them, its memberships' and relationships'). For a Lab or a "
            "country: from the earliest start to the latest end of its dated relationships."
        ),
        rows=rows,
        units=units,
        chart="",
    )
