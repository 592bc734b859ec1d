"""What a value must be (measurement_errors, used by Measurement.clean and so by forms, imports, the API and the admin)
and what the approved values are, per indicator, subject and year (yearly): the one read that dashboards, exports,
the API and the composite index all start from. It reads the rollups, never a scan of the measurements, adds the
values fed from activity attendance, and computes derived indicators from their formulas."""

from collections import defaultdict
from collections.abc import Iterable

import numpy as np
from django.db.models import Q, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from indicators import formula as formulas
from indicators.models import (
    Aggregation,
    Feed,
    Indicator,
    IndicatorType,
    Level,
    Measurement,
    Rollup,
)
from indicators.periods import PER_TYPE

# A subject's key in the values: ("lab", lab id), ("country", ISO code), or ("programme", id) for an indicator fed by
# a programme's activities.
Subject = tuple[str, int | str]
# indicator id -> subject -> year -> value
Yearly = dict[int, dict[Subject, dict[int, float]]]

GENDER = "gender"
AGE = "age"


def subject_of(row) -> Subject:
    return ("lab", row.lab_id) if row.lab_id else ("country", str(row.country))


def measurement_errors(m: Measurement) -> dict:
    """Field errors of a value (translated), as the indicator's type, level, frequency and framework want it."""
    indicator = m.indicator
    errors = m.clean_subject(indicator) if indicator.pk else {}
    if not indicator.takes_measurements:
        errors["indicator"] = _("This indicator is computed, not entered.")
        return errors
    errors |= _period_errors(m, indicator)
    errors |= _value_errors(m, indicator)
    errors |= _disaggregation_errors(m, indicator)
    return errors


def _period_errors(m: Measurement, indicator: Indicator) -> dict:
    if m.period_start is None or m.period_end is None:
        return {"period_start": _("Give the period.")}
    if m.period_end < m.period_start:
        return {"period_end": _("A period cannot end before it starts.")}
    if m.period_type != indicator.frequency:
        return {"period_type": _("This indicator is measured per %(type)s.") % {"type": PER_TYPE[indicator.frequency]}}
    if not indicator.framework.covers(m.period_start, m.period_end):
        return {"period_start": _("This period is outside the framework's periods.")}
    return {}


def _value_errors(m: Measurement, indicator: Indicator) -> dict:
    kind = indicator.type
    if kind == IndicatorType.NARRATIVE:
        return {} if m.text.strip() else {"text": _("Write the narrative.")}
    if kind == IndicatorType.PERCENTAGE:
        if m.numerator is None or m.denominator is None:
            return {"numerator": _("Give the numerator and the denominator.")}
        if m.denominator == 0:
            return {"denominator": _("The denominator cannot be zero.")}
        if m.numerator < 0 or m.denominator < 0:
            return {"numerator": _("The numerator and the denominator cannot be negative.")}
        return {}
    if m.numerator is not None or m.denominator is not None:
        return {"numerator": _("Only a percentage has a numerator and a denominator.")}
    if m.value is None:
        return {"value": _("Give the value.")}
    if kind == IndicatorType.COUNT and (m.value < 0 or m.value != int(m.value)):
        return {"value": _("A count is a whole number, zero or more.")}
    if kind == IndicatorType.SCALE and m.value not in (1, 2, 3, 4, 5):
        return {"value": _("Choose a value from 1 to 5.")}
    if kind == IndicatorType.YES_NO and m.value not in (0, 1):
        return {"value": _("Answer yes (1) or no (0).")}
    return {}


def _disaggregation_errors(m: Measurement, indicator: Indicator) -> dict:
    if not m.disaggregation:
        return {}
    if not isinstance(m.disaggregation, dict) or indicator.type not in (IndicatorType.COUNT, IndicatorType.AMOUNT):
        return {"disaggregation": _("Only counts and amounts are disaggregated.")}
    defined = indicator.framework.disaggregations or {}
    for dimension, parts in m.disaggregation.items():
        if dimension not in defined or not isinstance(parts, dict):
            return {"disaggregation": _("The framework has no disaggregation “%(name)s”.") % {"name": dimension}}
        categories = {category["code"] for category in defined[dimension].get("categories", [])}
        for category, number in parts.items():
            if category not in categories:
                return {"disaggregation": _("Unknown category “%(name)s”.") % {"name": category}}
            if not isinstance(number, int | float) or isinstance(number, bool) or number < 0:
                return {"disaggregation": _("A part is a number, zero or more.")}
        if m.value is not None and sum(parts.values()) > m.value:
            return {"disaggregation": _("The parts add up to more than the total.")}
    return {}


# --- Reading approved values ----------------------------------------------------------------------------------------


def yearly(
    indicators: Iterable[Indicator], *, labs: Iterable[int] | None = None, years: Iterable[int] | None = None
) -> Yearly:
    """The approved value of each indicator for each subject and year, as the indicator aggregates over time
    (cumulative indicators as running totals), with fed and derived indicators computed. Labs limits Lab subjects
    (country subjects are all read); years limits the years returned."""
    indicators = list(indicators)
    labs = None if labs is None else list(labs)
    result: Yearly = {indicator.pk: defaultdict(dict) for indicator in indicators}
    by_id = {indicator.pk: indicator for indicator in indicators}
    rollups = Rollup.objects.filter(indicator__in=[i.pk for i in indicators if i.takes_measurements])
    if labs is not None:
        rollups = rollups.filter(Q(lab__in=labs) | Q(lab__isnull=True))
    # Plain tuples, not model instances: a cross-Lab dashboard reads tens of thousands of rows.
    fields = ("indicator_id", "lab_id", "country", "year", "count", "total", "numerator", "denominator", "latest")
    for indicator_id, lab_id, country, year, *sums in rollups.values_list(*fields):
        value = Rollup.value_of(by_id[indicator_id], *sums)
        if value is not None:
            subject = ("lab", lab_id) if lab_id else ("country", country)
            result[indicator_id][subject][year] = value
    for indicator in indicators:
        if indicator.feed == Feed.ATTENDANCE:
            result[indicator.pk] = _attendance(indicator, labs)
    for indicator in indicators:
        if indicator.cumulative:
            result[indicator.pk] = _running_totals(result[indicator.pk])
    _derive(indicators, result)
    if years is not None:
        keep = set(years)
        for per_subject in result.values():
            for subject, per_year in per_subject.items():
                per_subject[subject] = {year: v for year, v in per_year.items() if year in keep}
    return {pk: dict(per_subject) for pk, per_subject in result.items()}


def _attendance(indicator: Indicator, labs: list[int] | None) -> dict[Subject, dict[int, float]]:
    """People reached by published, reported activities of the Lab (of the indicator's kind or programme), by year."""
    from activities.models import Activity

    activities = Activity.objects.published().reported().filter(starts_at__isnull=False)
    if indicator.feed_activity_kind:
        activities = activities.filter(kind=indicator.feed_activity_kind)
    if indicator.feed_programme_id:
        activities = activities.filter(programme_id=indicator.feed_programme_id)
    if labs is not None:
        activities = activities.filter(lab__in=labs)
    rows = activities.values("lab_id", year=ExtractYear("starts_at")).annotate(people=Sum("attendance_total"))
    values: dict[Subject, dict[int, float]] = defaultdict(dict)
    for row in rows:
        if row["lab_id"]:
            values[("lab", row["lab_id"])][row["year"]] = float(row["people"])
        if indicator.feed_programme_id:
            # A programme (the Italian one belongs to a network) is also its own subject: all its activities.
            per_year = values[("programme", indicator.feed_programme_id)]
            per_year[row["year"]] = per_year.get(row["year"], 0.0) + float(row["people"])
    return values


def _running_totals(per_subject: dict[Subject, dict[int, float]]) -> dict[Subject, dict[int, float]]:
    totals: dict[Subject, dict[int, float]] = defaultdict(dict)
    for subject, per_year in per_subject.items():
        running = 0.0
        for year in sorted(per_year):
            running += per_year[year]
            totals[subject][year] = running
    return totals


def _derive(indicators: list[Indicator], result: Yearly) -> None:
    """Fill the derived indicators, in dependency order, over every subject and year their inputs have."""
    by_code = {indicator.code: indicator for indicator in indicators}
    derived = {i.code: i.formula for i in indicators if i.formula}
    for code in formulas.evaluation_order(derived):
        indicator = by_code[code]
        inputs = [by_code[used] for used in formulas.codes(indicator.formula) if used in by_code]
        keys = sorted({(s, y) for i in inputs for s, per_year in result[i.pk].items() for y in per_year}, key=str)
        if not keys or len(inputs) < len(formulas.codes(indicator.formula)):
            continue
        arrays = {
            i.code: np.array([result[i.pk].get(s, {}).get(y, np.nan) for s, y in keys], dtype=float) for i in inputs
        }
        values = formulas.evaluate(indicator.formula, arrays) * indicator.factor
        per_subject: dict[Subject, dict[int, float]] = defaultdict(dict)
        for (subject, year), value in zip(keys, values, strict=True):
            if not np.isnan(value):
                per_subject[subject][year] = float(value)
        result[indicator.pk] = per_subject


def child_aggregate(values: list[float], how: str) -> float | None:
    """Values of children (practices of a Lab, Labs of a country) combined as the indicator says."""
    if not values:
        return None
    if how == Aggregation.MEAN:
        return float(np.mean(values))
    if how == Aggregation.LATEST:
        return values[-1]
    return float(np.sum(values))


def level_subjects(level: str) -> str:
    """Which kind of subject carries an indicator of this level in the yearly values."""
    return "country" if level == Level.COUNTRY else "lab"
