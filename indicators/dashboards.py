"""The dashboards' data (issue 9, point 4): a Lab's progress against its baseline and target over time, by dimension
and disaggregated; the Labs side by side (small multiples, a map, a table); countries side by side for country-level
frameworks; and the same numbers as rows for the CSV and XLSX downloads.

Everything starts from indicators.values.yearly, so only approved values are shown (it reads the rollups). Each
dashboard costs the same few queries for one Lab or fifty, and for one year or ten: the rollups, the targets, the
latest disaggregations, the pending counts and the Labs are each read once for the whole page.
"""

import csv
import io
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.db.models.functions import AsGeoJSON
from django.db.models import Count, F, Func, Q
from django.utils import formats
from django.utils.translation import gettext as _

from conect.translations import in_language
from indicators.models import (
    Aggregation,
    Framework,
    Indicator,
    IndicatorType,
    Level,
    Measurement,
    MeasurementState,
    Rollup,
    Target,
    TargetKind,
)
from indicators.values import Subject, yearly
from labs.models import Lab
from practices.import_views import _cell as formula_safe

# A chart with more lines than this is a tangle: the cross-Lab dashboard shows at most this many Labs (or countries).
MAX_SUBJECTS = 12
# Classes of the map's choropleth, light to dark (a sequential blue, each readable as a fill under a dark outline).
MAP_COLOURS = ["#c6dbef", "#6baed6", "#2171b5", "#08306b"]
NOT_REPORTED_COLOUR = "#d9d9d9"


def number(value: float | None) -> str:
    """A value as the reader's locale writes it: whole numbers without decimals, others with up to three."""
    if value is None:
        return _("not reported yet")
    if float(value).is_integer():
        return formats.number_format(int(value), 0, use_l10n=True, force_grouping=True)
    text = formats.number_format(round(value, 3), 3, use_l10n=True, force_grouping=True)
    separator = formats.get_format("DECIMAL_SEPARATOR")
    return text.rstrip("0").rstrip(separator) if separator in text else text


def whole(indicator: Indicator) -> bool:
    """Whether the indicator's values are whole numbers (a chart's axis then counts in units)."""
    return indicator.type in (IndicatorType.COUNT, IndicatorType.YES_NO, IndicatorType.SCALE)


def span(years: set[int]) -> list[int]:
    """Every year from the first to the last (a year between without a value is a gap, not a missing row)."""
    return list(range(min(years), max(years) + 1)) if years else []


def charted(indicators) -> list[Indicator]:
    """The indicators that have numbers to chart (a narrative is read on its own pages)."""
    return [indicator for indicator in indicators if indicator.is_numeric]


# --- Choosing a framework ---------------------------------------------------------------------------------------


def frameworks_for(user, *, country: bool | None = None) -> list[Framework]:
    """The frameworks the person may see, newest version first within a code; `country` keeps only those with
    country-level indicators (True) or with Lab-level ones (False)."""
    frameworks = Framework.objects.visible_to(user).order_by("name", "-version")
    if country is True:
        frameworks = frameworks.filter(indicators__level=Level.COUNTRY)
    elif country is False:
        frameworks = frameworks.exclude(indicators__level=Level.COUNTRY).filter(indicators__isnull=False)
    return list(frameworks.distinct())


def default_framework(frameworks: list[Framework]) -> Framework | None:
    """The latest version of the first framework by name."""
    if not frameworks:
        return None
    first = frameworks[0].code
    return max((f for f in frameworks if f.code == first), key=lambda f: f.version)


def framework_indicators(framework: Framework) -> list[Indicator]:
    return list(framework.indicators.select_related("dimension", "feed_programme").order_by("position", "code"))


# --- Baselines and targets --------------------------------------------------------------------------------------


@dataclass
class Plan:
    """A subject's baselines and targets of one indicator: the baseline of a year is the latest one set for that year
    or before; its target is the first one due that year or later."""

    baselines: list[tuple[int, float]] = field(default_factory=list)  # (first year, value), by year
    targets: list[tuple[int, float]] = field(default_factory=list)  # (last year, value), by year
    programme_plan: float | None = None  # a programme's planned people, for the indicators its activities feed

    def baseline(self, year: int) -> float | None:
        applicable = [value for first, value in self.baselines if first <= year]
        return applicable[-1] if applicable else None

    def target(self, year: int) -> float | None:
        due = [value for last, value in self.targets if last >= year]
        if due:
            return due[0]
        return self.programme_plan

    def years(self) -> set[int]:
        return {year for year, _value in self.baselines} | {year for year, _value in self.targets}


def plans(indicators: list[Indicator], *, labs: list[int] | None, user) -> dict[tuple[int, Subject], Plan]:
    """Every (indicator, subject)'s plan, in one query: the Labs' baselines and targets (the Lab's own, not its
    practices'), and the programmes' planned people for the indicators they feed."""
    result: dict[tuple[int, Subject], Plan] = defaultdict(Plan)
    rows = Target.objects.visible_to(user).filter(indicator__in=[i.pk for i in indicators], practice__isnull=True)
    if labs is not None:
        rows = rows.filter(lab__in=labs)
    for row in rows.order_by("period_start", "period_end").values(
        "indicator_id", "lab_id", "country", "kind", "value", "period_start", "period_end"
    ):
        subject = ("lab", row["lab_id"]) if row["lab_id"] else ("country", row["country"])
        plan = result[(row["indicator_id"], subject)]
        if row["kind"] == TargetKind.BASELINE:
            plan.baselines.append((row["period_start"].year, row["value"]))
        else:
            plan.targets.append((row["period_end"].year, row["value"]))
    for plan in result.values():
        plan.targets.sort(key=lambda item: item[0])
    return result


def programme_plan(indicator: Indicator) -> float | None:
    programme = indicator.feed_programme
    if programme is None or programme.planned_participants is None:
        return None
    return float(programme.planned_participants)


def progress(value: float | None, baseline: float | None, target: float | None) -> float | None:
    """How far the value has come from the baseline (zero without one) towards the target, in percent."""
    if value is None or target is None:
        return None
    start = baseline if baseline is not None else 0.0
    if target == start:
        return None
    return (value - start) / (target - start) * 100


# --- A Lab's dashboard ------------------------------------------------------------------------------------------


@dataclass
class YearRow:
    year: int
    value: float | None
    baseline: float | None
    target: float | None

    @property
    def progress(self) -> float | None:
        return progress(self.value, self.baseline, self.target)

    @property
    def value_text(self) -> str:
        return number(self.value)

    @property
    def baseline_text(self) -> str:
        return "" if self.baseline is None else number(self.baseline)

    @property
    def target_text(self) -> str:
        return "" if self.target is None else number(self.target)

    @property
    def progress_text(self) -> str:
        share = self.progress
        return "" if share is None else f"{number(round(share))} %"


@dataclass
class Breakdown:
    """A value's parts along one disaggregation (gender, age group), for the latest year that has them."""

    name: str
    year: int
    parts: list[tuple[str, float]]

    @property
    def rows(self) -> list[tuple[str, str, int]]:
        """(category, value, its bar's length in percent of the largest part)."""
        largest = max((value for _label, value in self.parts), default=0) or 1
        return [(label, number(value), round(value / largest * 100)) for label, value in self.parts]

    @property
    def chart(self) -> dict:
        return {"labels": [label for label, _value in self.parts], "values": [value for _label, value in self.parts]}


@dataclass
class Panel:
    """One indicator of a Lab's dashboard: its years, plan, and latest disaggregations."""

    indicator: Indicator
    rows: list[YearRow]
    target_label: str
    breakdowns: list[Breakdown] = field(default_factory=list)
    programme_plan: float | None = None

    @property
    def programme_plan_text(self) -> str:
        return number(self.programme_plan)

    @property
    def key(self) -> str:
        return f"i-{self.indicator.code}"

    @property
    def has_values(self) -> bool:
        return any(row.value is not None for row in self.rows)

    @property
    def has_plan(self) -> bool:
        return any(row.baseline is not None or row.target is not None for row in self.rows)

    @property
    def chart(self) -> dict:
        datasets = [{"label": _("Value"), "data": [row.value for row in self.rows], "kind": "value"}]
        if any(row.baseline is not None for row in self.rows):
            datasets.append({"label": _("Baseline"), "data": [row.baseline for row in self.rows], "kind": "baseline"})
        if any(row.target is not None for row in self.rows):
            datasets.append({"label": self.target_label, "data": [row.target for row in self.rows], "kind": "target"})
        return {
            "labels": [str(row.year) for row in self.rows],
            "datasets": datasets,
            "unit": self.indicator.unit,
            "whole": whole(self.indicator),
        }


@dataclass
class Group:
    name: str
    panels: list[Panel]


@dataclass
class LabDashboard:
    framework: Framework
    lab: Lab
    groups: list[Group]
    narratives: list[Indicator]
    pending: list[tuple[str, int]]  # (state's label, number) of the Lab's values not approved yet, for its members

    @property
    def has_values(self) -> bool:
        return any(panel.has_values for group in self.groups for panel in group.panels)

    @property
    def has_charts(self) -> bool:
        return any(panel.has_values or panel.has_plan for group in self.groups for panel in group.panels)


def lab_dashboard(*, lab: Lab, framework: Framework, user) -> LabDashboard:
    indicators = framework_indicators(framework)
    values = yearly(indicators, labs=[lab.pk])
    subject = ("lab", lab.pk)
    lab_plans = plans(indicators, labs=[lab.pk], user=user)
    breakdowns = latest_breakdowns(framework, lab=lab, user=user)
    groups: dict[int | None, Group] = {}
    for indicator in charted(indicators):
        if indicator.level == Level.COUNTRY:
            continue
        per_year = values.get(indicator.pk, {}).get(subject, {})
        plan = lab_plans.get((indicator.pk, subject)) or Plan()
        plan.programme_plan = programme_plan(indicator)
        years = span(set(per_year) | plan.years())
        rows = [YearRow(year, per_year.get(year), plan.baseline(year), plan.target(year)) for year in years]
        label = _("Target")
        if plan.programme_plan is not None and not plan.targets:
            label = _("Plan of “%(programme)s”") % {"programme": indicator.feed_programme.title}
        panel = Panel(indicator, rows, label, breakdowns.get(indicator.pk, []), plan.programme_plan)
        dimension = indicator.dimension
        key = dimension.pk if dimension else None
        if key not in groups:
            name = str(dimension.localised_name) if dimension else _("Reported, outside the index")
            groups[key] = Group(name, [])
        groups[key].panels.append(panel)
    ordered = sorted(groups.items(), key=lambda item: (item[0] is None, _dimension_position(indicators, item[0])))
    narratives = [i for i in indicators if not i.is_numeric and i.level != Level.COUNTRY]
    return LabDashboard(
        framework=framework,
        lab=lab,
        groups=[group for _key, group in ordered],
        narratives=narratives,
        pending=pending_of_lab(framework, lab=lab, user=user),
    )


def _dimension_position(indicators: list[Indicator], dimension_id: int | None) -> tuple:
    for indicator in indicators:
        if indicator.dimension_id == dimension_id and indicator.dimension:
            return (indicator.dimension.position, indicator.dimension.code)
    return (0, "")


def latest_breakdowns(framework: Framework, *, lab: Lab, user) -> dict[int, list[Breakdown]]:
    """The disaggregations of the Lab's approved values, for each indicator's latest year that has them (one query
    for every indicator): the parts summed over that year, or those of its last period for an indicator that takes
    the latest value over time."""
    rows = (
        Measurement.objects.visible_to(user)
        .approved()
        .filter(lab=lab, indicator__framework=framework)
        .exclude(disaggregation={})
        .order_by("indicator_id", "period_start")
        .values("indicator_id", "indicator__time_aggregation", "period_start", "period_end", "disaggregation")
    )
    latest: dict[int, list[dict]] = {}
    for row in rows:
        kept = latest.setdefault(row["indicator_id"], [])
        if kept and kept[-1]["period_start"].year < row["period_start"].year:
            kept.clear()
        latest_only = row["indicator__time_aggregation"] == Aggregation.LATEST
        if kept and latest_only and kept[-1]["period_end"] < row["period_end"]:
            kept.clear()
        kept.append(row)
    defined = framework.disaggregations or {}
    result: dict[int, list[Breakdown]] = {}
    for indicator_id, kept in latest.items():
        result[indicator_id] = []
        how = kept[0]["indicator__time_aggregation"]
        for code, definition in defined.items():
            sums: dict[str, float] = defaultdict(float)
            for row in kept:
                for category, part in (row["disaggregation"].get(code) or {}).items():
                    sums[category] += part
            if not sums:
                continue
            if how == Aggregation.MEAN:
                sums = {category: total / len(kept) for category, total in sums.items()}
            parts = [
                (str(in_language(c.get("names") or {}, c.get("name", c["code"]))), sums[c["code"]])
                for c in definition.get("categories", [])
                if c["code"] in sums
            ]
            name = str(in_language(definition.get("names") or {}, definition.get("name", code)))
            result[indicator_id].append(Breakdown(name, kept[0]["period_start"].year, parts))
    return result


def pending_of_lab(framework: Framework, *, lab: Lab, user) -> list[tuple[str, int]]:
    """How many of the Lab's values of this framework are not approved yet, by state: what its members may see (for
    anyone else the access path leaves none)."""
    counts = (
        Measurement.objects.visible_to(user)
        .filter(lab=lab, indicator__framework=framework)
        .exclude(state=MeasurementState.APPROVED)
        .order_by()
        .values("state")
        .annotate(n=Count("pk"))
    )
    found = {row["state"]: row["n"] for row in counts}
    order = [MeasurementState.DRAFT, MeasurementState.SUBMITTED, MeasurementState.RETURNED]
    return [(str(state.label), found[state]) for state in order if found.get(state)]


# --- Labs side by side --------------------------------------------------------------------------------------------


@dataclass
class Multiple:
    """One indicator's small chart: a line per subject over the years, and the same numbers as a table."""

    indicator: Indicator
    years: list[int]
    series: list[tuple[str, list[float | None]]]  # (subject's name, value per year)

    @property
    def key(self) -> str:
        return f"m-{self.indicator.code}"

    @property
    def chart(self) -> dict:
        return {
            "labels": [str(year) for year in self.years],
            "datasets": [{"label": name, "data": data, "kind": "series"} for name, data in self.series],
            "unit": self.indicator.unit,
            "whole": whole(self.indicator),
        }

    @property
    def table(self) -> list[tuple[str, list[str]]]:
        return [(name, [number(value) for value in data]) for name, data in self.series]

    @property
    def has_values(self) -> bool:
        return any(value is not None for _name, data in self.series for value in data)


@dataclass
class MapData:
    indicator: Indicator
    year: int
    legend: list[tuple[str, str]]  # (colour, words)
    features: dict  # GeoJSON FeatureCollection
    rows: list[tuple[str, str, str]]  # (Lab, value, class in words)


@dataclass
class ProgrammeRow:
    """A programme whose activities feed an indicator: what it planned and whom it reached over all years."""

    title: str
    indicator: Indicator
    planned: float | None
    reached: float | None

    @property
    def planned_text(self) -> str:
        return _("not planned") if self.planned is None else number(self.planned)

    @property
    def reached_text(self) -> str:
        return number(self.reached)


@dataclass
class LabsView:
    framework: Framework
    years: list[int]
    year: int | None
    indicators: list[Indicator]  # chosen
    labs: list[Lab]  # chosen
    table: list[tuple[Lab, list[str], int | None]]  # Lab, value per chosen indicator in the year, values awaiting
    multiples: list[Multiple]
    map: MapData | None
    programmes: list[ProgrammeRow]
    reviewer: bool

    @property
    def has_values(self) -> bool:
        return bool(self.years)

    @property
    def awaiting_any(self) -> bool:
        return any(awaiting for _lab, _cells, awaiting in self.table)


def lab_indicators(indicators: list[Indicator]) -> list[Indicator]:
    return [i for i in charted(indicators) if i.level != Level.COUNTRY]


def country_indicators(indicators: list[Indicator]) -> list[Indicator]:
    return [i for i in charted(indicators) if i.level == Level.COUNTRY]


def years_of(values: dict, indicators: list[Indicator], kind: str) -> list[int]:
    return sorted(
        {
            year
            for indicator in indicators
            for subject, per_year in values.get(indicator.pk, {}).items()
            if subject[0] == kind
            for year in per_year
        }
    )


def labs_view(
    *,
    framework: Framework,
    user,
    indicators: list[Indicator],
    values: dict,
    all_labs: list[Lab],
    chosen: list[Indicator],
    labs: list[Lab] | None,
    year: int | None,
    map_indicator: Indicator | None,
) -> LabsView:
    """The Labs side by side: `values` is yearly() of all the framework's indicators for every Lab; `labs` the
    chosen Labs (None: the first MAX_SUBJECTS with values)."""
    usable = lab_indicators(indicators)
    years = years_of(values, usable, "lab")
    if year is None and years:
        year = years[-1]
    with_values = {
        subject[1] for i in usable for subject, per_year in values.get(i.pk, {}).items() if subject[0] == "lab"
    }
    if labs is None:
        labs = [lab for lab in all_labs if lab.pk in with_values][:MAX_SUBJECTS] or all_labs[:MAX_SUBJECTS]
    awaiting = awaiting_approval(framework, user=user)
    reviewer = awaiting is not None

    def value(indicator: Indicator, lab_id: int, when: int | None) -> float | None:
        return values.get(indicator.pk, {}).get(("lab", lab_id), {}).get(when)

    table = [
        (lab, [number(value(i, lab.pk, year)) for i in chosen], (awaiting or {}).get(lab.pk, 0) if reviewer else None)
        for lab in labs
    ]
    every = span(set(years))
    multiples = [Multiple(i, every, [(lab.name, [value(i, lab.pk, y) for y in every]) for lab in labs]) for i in chosen]
    map_data = None
    if map_indicator is not None and year is not None:
        map_data = lab_map(map_indicator, year=year, values=values, all_labs=all_labs)
    return LabsView(
        framework=framework,
        years=years,
        year=year,
        indicators=chosen,
        labs=labs,
        table=table,
        multiples=multiples,
        map=map_data,
        programmes=programme_rows(usable, values),
        reviewer=reviewer,
    )


def awaiting_approval(framework: Framework, *, user) -> dict[int, int] | None:
    """Per Lab, how many values of the framework wait for approval, for those who approve them (None for others)."""
    rows = Measurement.objects.approvable_by(user)
    if rows.query.is_empty():
        return None
    counts = (
        rows.filter(indicator__framework=framework, state=MeasurementState.SUBMITTED, lab__isnull=False)
        .order_by()
        .values("lab_id")
        .annotate(n=Count("pk"))
    )
    return {row["lab_id"]: row["n"] for row in counts}


def programme_rows(indicators: list[Indicator], values: dict) -> list[ProgrammeRow]:
    rows = []
    for indicator in indicators:
        programme = indicator.feed_programme
        if programme is None:
            continue
        per_year = values.get(indicator.pk, {}).get(("programme", programme.pk), {})
        if not per_year:
            reached = None
        elif indicator.cumulative:
            reached = per_year[max(per_year)]
        else:
            reached = sum(per_year.values())
        planned = None if programme.planned_participants is None else float(programme.planned_participants)
        rows.append(ProgrammeRow(programme.title, indicator, planned, reached))
    return rows


class Simplify(Func):
    function = "ST_SimplifyPreserveTopology"
    output_field = GeometryField(srid=4326)


def lab_map(indicator: Indicator, *, year: int, values: dict, all_labs: list[Lab]) -> MapData:
    """Each Lab's territory (or its place, without one) coloured by its value in the year: four classes of equal
    width between the lowest and the highest value, and grey for the Labs that have not reported."""
    per_lab = {
        subject[1]: per_year[year]
        for subject, per_year in values.get(indicator.pk, {}).items()
        if subject[0] == "lab" and year in per_year
    }
    shapes = Lab.objects.filter(pk__in=[lab.pk for lab in all_labs]).filter(
        Q(territory__isnull=False) | Q(location__isnull=False)
    )
    shapes = shapes.annotate(
        shape=AsGeoJSON(Simplify(F("territory"), 0.001), precision=4), point=AsGeoJSON("location", precision=4)
    ).values("pk", "shape", "point")
    geometry = {row["pk"]: row["shape"] or row["point"] for row in shapes}
    found = sorted(per_lab.values())
    bounds: list[float] = []
    if found:
        low, high = found[0], found[-1]
        step = (high - low) / len(MAP_COLOURS)
        bounds = [low + step * n for n in range(len(MAP_COLOURS) + 1)]
        if all(float(value).is_integer() for value in found) and high - low >= len(MAP_COLOURS):
            bounds = [round(bound) for bound in bounds]  # whole numbers get whole classes

    def klass(value: float | None) -> int | None:
        if value is None:
            return None
        if not bounds or bounds[-1] == bounds[0]:
            return len(MAP_COLOURS) - 1
        for n in range(len(MAP_COLOURS)):
            if value <= bounds[n + 1]:
                return n
        return len(MAP_COLOURS) - 1

    legend: list[tuple[str, str]] = []
    if bounds and bounds[-1] != bounds[0]:
        for n, colour in enumerate(MAP_COLOURS):
            words = _("from %(low)s to %(high)s") % {"low": number(bounds[n]), "high": number(bounds[n + 1])}
            legend.append((colour, words))
    elif bounds:
        legend.append((MAP_COLOURS[-1], number(bounds[0])))
    legend.append((NOT_REPORTED_COLOUR, _("not reported yet")))
    features, rows = [], []
    for lab in all_labs:
        value = per_lab.get(lab.pk)
        n = klass(value)
        words = dict(legend).get(MAP_COLOURS[n], "") if n is not None else str(_("not reported yet"))
        rows.append((lab.name, number(value), words))
        if lab.pk not in geometry:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": json.loads(geometry[lab.pk]),
                "properties": {
                    "name": lab.name,
                    "value": number(value),
                    "colour": NOT_REPORTED_COLOUR if n is None else MAP_COLOURS[n],
                    "url": lab.get_absolute_url(),
                },
            }
        )
    return MapData(indicator, year, legend, {"type": "FeatureCollection", "features": features}, rows)


# --- Countries side by side --------------------------------------------------------------------------------------


@dataclass
class CountriesView:
    years: list[int]
    year: int | None
    indicators: list[Indicator]
    table: list[tuple[str, str, list[str]]]  # (code, name, value per indicator in the year)
    multiples: list[Multiple]
    chosen: list[str]  # the countries the charts show
    first_by: Indicator | None  # the charts' countries are the highest in this indicator, unless chosen


def countries_view(*, indicators: list[Indicator], values: dict, year: int | None, chosen: list[str] | None):
    from django_countries import countries

    usable = country_indicators(indicators)
    if not usable:
        return None
    years = years_of(values, usable, "country")
    if year is None or year not in years:
        year = years[-1] if years else None
    codes = sorted(
        {subject[1] for i in usable for subject in values.get(i.pk, {}) if subject[0] == "country"},
        key=lambda code: str(countries.name(code) or code),
    )

    def value(indicator: Indicator, code: str, when: int | None) -> float | None:
        return values.get(indicator.pk, {}).get(("country", code), {}).get(when)

    names = {code: str(countries.name(code) or code) for code in codes}
    table = [(code, names[code], [number(value(i, code, year)) for i in usable]) for code in codes]
    first_by = None
    if not chosen:
        first_by = usable[0]
        ranked = [code for code in codes if value(first_by, code, year) is not None]
        ranked.sort(key=lambda code: -value(first_by, code, year))
        chosen = ranked[:MAX_SUBJECTS]
    chosen = [code for code in chosen if code in set(codes)][:MAX_SUBJECTS]
    every = span(set(years))
    multiples = [
        Multiple(i, every, [(names[code], [value(i, code, y) for y in every]) for code in chosen]) for i in usable
    ]
    return CountriesView(years, year, usable, table, multiples, chosen, first_by)


# --- Downloads ----------------------------------------------------------------------------------------------------


def header() -> list[str]:
    return [
        _("Indicator"),
        _("Name"),
        _("Subject"),
        _("Name of the subject"),
        _("Year"),
        _("Value"),
        _("Numerator"),
        _("Denominator"),
        _("Unit"),
        _("Baseline"),
        _("Target"),
    ]


def download_rows(*, framework: Framework, user, lab: Lab | None = None) -> list[list]:
    """One row per indicator, subject and year with an approved value or a plan: the Lab's (or every Lab's, every
    country's and every programme's), with the sums of numerators and denominators behind each percentage."""
    from django_countries import countries

    indicators = charted(framework_indicators(framework))
    lab_ids = None if lab is None else [lab.pk]
    values = yearly(indicators, labs=lab_ids)
    all_plans = plans(indicators, labs=lab_ids, user=user)
    ratios = Rollup.objects.filter(indicator__in=[i.pk for i in indicators if i.type == IndicatorType.PERCENTAGE])
    if lab_ids is not None:
        ratios = ratios.filter(lab__in=lab_ids)
    parts = {
        (row["indicator_id"], ("lab", row["lab_id"]) if row["lab_id"] else ("country", row["country"]), row["year"]): (
            row["numerator"],
            row["denominator"],
        )
        for row in ratios.values("indicator_id", "lab_id", "country", "year", "numerator", "denominator")
    }
    labs = {lab.pk: lab.name} if lab is not None else dict(Lab.objects.values_list("pk", "name"))
    kinds = {"lab": _("Lab"), "country": _("Country"), "programme": _("Programme")}
    rows = []
    for indicator in indicators:
        per_subject = dict(values.get(indicator.pk, {}))
        for (indicator_id, subject), _plan in all_plans.items():
            if indicator_id == indicator.pk:
                per_subject.setdefault(subject, {})
        if lab is not None:
            per_subject = {s: v for s, v in per_subject.items() if s == ("lab", lab.pk)}
        for subject in sorted(per_subject, key=str):
            kind, key = subject
            if kind == "lab":
                name = labs.get(key, "")
            elif kind == "country":
                name = str(countries.name(key) or key)
            else:
                name = indicator.feed_programme.title if indicator.feed_programme else ""
            plan = all_plans.get((indicator.pk, subject)) or Plan()
            if kind != "country":
                plan.programme_plan = programme_plan(indicator)
            for year in sorted(set(per_subject[subject]) | plan.years()):
                numerator, denominator = parts.get((indicator.pk, subject, year), (None, None))
                rows.append(
                    [
                        indicator.code,
                        indicator.name,
                        str(kinds[kind]),
                        name,
                        year,
                        per_subject[subject].get(year),
                        numerator,
                        denominator,
                        indicator.unit,
                        plan.baseline(year),
                        plan.target(year),
                    ]
                )
    return rows


def to_csv(rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([formula_safe(cell) for cell in header()])
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    return out.getvalue()


def _csv_cell(cell):
    if cell is None:
        return ""
    return formula_safe(cell) if isinstance(cell, str) else cell


def to_xlsx(rows: list[list], *, title: str) -> bytes:
    """One sheet, laid out as the CSV: numbers stay numbers, texts are guarded against formulas."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name(title))
    sheet.append([formula_safe(cell) for cell in header()])
    for row in rows:
        sheet.append([formula_safe(cell) if isinstance(cell, str) else cell for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_name(title: str) -> str:
    # Excel refuses these characters and names over 31 characters.
    return "".join(" " if c in "[]:*?/\\" else c for c in title)[:31] or "Sheet"
