"""The interactive view of a graph: a network's, a Lab's or a filtered selection's organisations and relationships,
drawn as a graph (cytoscape.js) or on a map (Leaflet), beside an accessible table of the same data.

The page works without JavaScript: the table is rendered here; static/js/network_graph.js draws the graph and the map
from the same data (a json_script) and keeps the table in step with the time slider, the kinds shown and the focus.
"""

from collections import Counter
from datetime import date

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from django_countries import countries

from networks.analysis import is_stale
from networks.filters import OrganisationFilter
from networks.graph import Scope, ScopeNotFound, graph_data, scope_from_query
from networks.models import Analysis, AnalysisStatus, Organisation, OrganisationKind, RelationshipKind, Sector

# Colour-blind-safe (Okabe-Ito, darkened where needed for 3:1 contrast on white, as on the Labs comparison page).
PALETTE = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#8a6d00", "#56b4e9", "#6a3d9a", "#1d2327"]
NO_SECTOR = "#8c979d"
# Each kind of relationship has its colour and its line (for those who cannot tell the colours apart): the graph, the
# map and the legend all read this one definition. `dash` is an SVG/Leaflet dash array; empty means a solid line.
EDGE_STYLES = {
    RelationshipKind.PARTNERSHIP: {"colour": "#0072b2", "dash": ""},
    RelationshipKind.FUNDING: {"colour": "#d55e00", "dash": "8 4"},
    RelationshipKind.MEMBERSHIP: {"colour": "#009e73", "dash": "2 4"},
    RelationshipKind.RESOURCE_EXCHANGE: {"colour": "#cc79a7", "dash": "10 4 2 4"},
    RelationshipKind.KNOWLEDGE_EXCHANGE: {"colour": "#8a6d00", "dash": "14 6"},
}
# What a node can be sized by: degree is counted in the browser (it follows the time slider); the others come from
# the stored analysis of the scope (networks.analysis), when there is one, under these keys.
METRICS = {
    "degree": gettext_lazy("Number of relationships (degree)"),
    "in_degree": gettext_lazy("Relationships received (in-degree)"),
    "out_degree": gettext_lazy("Relationships given (out-degree)"),
    "betweenness": gettext_lazy("Betweenness: how often it lies between others"),
    "closeness": gettext_lazy("Closeness: how near it is to all others"),
    "eigenvector": gettext_lazy("Eigenvector: linked to well-linked organisations"),
    "core": gettext_lazy("k-core: depth in the tightly knit core"),
}


def _scope(request) -> Scope:
    try:
        return scope_from_query(request.GET, request.user)
    except ScopeNotFound:
        raise Http404 from None


def _analysis(scope: Scope) -> Analysis | None:
    if not scope.key:
        return None
    return (
        Analysis.objects.filter(scope=scope.key, status=AnalysisStatus.DONE)
        .only("results", "finished_at", "data_version")
        .first()
    )


def _stored_metrics(analysis: Analysis | None) -> tuple[list[str], dict]:
    """The metrics the analysis kept for each organisation, in METRICS' order, and their values by organisation id."""
    values = (analysis.results or {}).get("nodes", {}) if analysis else {}
    if not isinstance(values, dict):
        return [], {}
    present = {key for row in values.values() if isinstance(row, dict) for key in row}
    keys = [key for key in METRICS if key in present and key != "degree"]
    kept = [*keys, "community"] if "community" in present else keys
    return keys, {node: {key: row.get(key) for key in kept} for node, row in values.items() if isinstance(row, dict)}


def _community_count(metric_values: dict) -> int:
    """How many Louvain communities the analysis found (numbered from 1, largest first)."""
    return max((row.get("community") or 0 for row in metric_values.values()), default=0)


def _years(edges: list[dict]) -> tuple[int, int] | None:
    """From the earliest start to the latest end (or start) of the relationships that have dates."""
    years = [int(day[:4]) for edge in edges for day in (edge["start"], edge["end"]) if day]
    return (min(years), max(years)) if years else None


def _words(choices) -> dict[str, str]:
    return {key: str(label) for key, label in choices}


def table_rows(data: dict) -> tuple[SafeString, SafeString]:
    """The rows of the accessible table (organisations, then relationships) as HTML, every value escaped. Written here
    rather than by a template loop: for 2,000 organisations and 5,000 relationships the loop took over a second."""
    degree = Counter(end for edge in data["edges"] for end in (edge["source"], edge["target"]))
    kinds, sectors, edge_kinds = (
        _words(OrganisationKind.choices),
        _words(Sector.choices),
        _words(RelationshipKind.choices),
    )
    mark = f' <span class="draft-mark">{escape(_("(draft)"))}</span>'
    country_names = {code: str(name) for code, name in countries}
    names, rows = {}, []
    for node in data["nodes"]:
        names[node["id"]] = name = escape(node["label"])
        place = ", ".join(part for part in (node["city"], country_names.get(node["country"], "")) if part)
        rows.append(
            f'<tr data-node="{node["id"]}"><th scope="row"><a href="{escape(node["url"])}">{name}</a>'
            f"{'' if node['published'] else mark}</th><td>{escape(kinds.get(node['kind'], node['kind']))}</td>"
            f"<td>{escape(sectors.get(node['sector'], ''))}</td><td>{escape(place)}</td>"
            f'<td class="number" data-degree>{degree[node["id"]]}</td></tr>'
        )
    organisation_rows = mark_safe("\n".join(rows))  # noqa: S308 (every value above is escaped)

    days = {}

    def day(value: str | None) -> str:
        if value not in days:
            days[value] = escape(date_format(date.fromisoformat(value), "DATE_FORMAT")) if value else "…"
        return days[value]

    link = reverse("networks:relationship", kwargs={"pk": 0}).rsplit("/0/", 1)
    directions = {True: escape(_("directed")), False: escape(_("mutual"))}
    rows = []
    for edge in data["edges"]:
        period = f"{day(edge['start'])} – {day(edge['end'])}" if edge["start"] or edge["end"] else ""
        rows.append(
            f'<tr data-edge="{edge["id"]}"><td>{names[edge["source"]]}</td><td>{names[edge["target"]]}</td>'
            f'<td><a href="{link[0]}/{edge["id"]}/{link[1]}">{escape(edge_kinds.get(edge["kind"], edge["kind"]))}</a>'
            f"{'' if edge['published'] else mark}</td><td>{directions[edge['directed']]}</td>"
            f'<td class="number">{edge["strength"] or ""}</td><td>{period}</td></tr>'
        )
    return organisation_rows, mark_safe("\n".join(rows))  # noqa: S308 (every value above is escaped)


def _labels() -> dict:
    """Every word the script shows, in the reader's language."""
    return {
        "allYears": _("All years"),
        "draft": _("(draft)"),
        "focused": _("Showing %(name)s and the organisations linked to it."),
        "notFound": _("No organisation here is named “%(name)s”."),
        "shownCount": _("Organisations shown: %(nodes)s. Relationships shown: %(edges)s."),
        "noLocation": _("Organisations without a place, not on the map: %(count)s."),
    }


@require_safe
def graph_page(request):
    scope = _scope(request)
    data = graph_data(scope, request.user)
    analysis = _analysis(scope)
    metric_keys, metric_values = _stored_metrics(analysis)
    # Only the organisations drawn: figures of one that is no longer public stay out of the page.
    drawn = {str(node["id"]) for node in data["nodes"]}
    metric_values = {node: row for node, row in metric_values.items() if node in drawn}
    communities = _community_count(metric_values)
    organisation_rows, relationship_rows = table_rows(data)
    organisation_filter = OrganisationFilter(request.GET or None, queryset=Organisation.objects.none())
    context = {
        "scope": scope,
        "filter": organisation_filter,
        "graph": data,
        "organisation_rows": organisation_rows,
        "relationship_rows": relationship_rows,
        "has_drafts": any(not row["published"] for row in data["nodes"] + data["edges"]),
        "years": _years(data["edges"]),
        "analysis": analysis if metric_keys else None,
        "analysis_stale": bool(metric_keys) and is_stale(analysis),
        "metrics": [{"key": key, "label": METRICS[key]} for key in ["degree", *metric_keys]],
        "metric_values": metric_values,
        "kind_colours": [
            {"key": key, "label": label, "colour": PALETTE[i % len(PALETTE)]}
            for i, (key, label) in enumerate(OrganisationKind.choices)
        ],
        # Communities take the palette's colours in turn: the legend names the first eight.
        "community_colours": [
            {"key": number, "label": _("Community %(number)s") % {"number": number}, "colour": PALETTE[number - 1]}
            for number in range(1, min(communities, len(PALETTE)) + 1)
        ],
        "communities_repeat": communities > len(PALETTE),
        "sector_colours": [
            *({"key": key, "label": label, "colour": PALETTE[i]} for i, (key, label) in enumerate(Sector.choices)),
            {"key": "", "label": _("Sector not given"), "colour": NO_SECTOR},
        ],
        "edge_styles": [{"key": key, "label": label, **EDGE_STYLES[key]} for key, label in RelationshipKind.choices],
        "labels": _labels(),
        "tiles": {"url": settings.MAP_TILES_URL, "attribution": settings.MAP_TILES_ATTRIBUTION},
    }
    return render(request, "networks/graph.html", context)


@require_safe
def graph_json(request):
    """The same data as the page draws, for scripts and other tools."""
    return JsonResponse(graph_data(_scope(request), request.user))
