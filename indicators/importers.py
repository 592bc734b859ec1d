"""The spreadsheet import of measurements (common layouts: README "Indicators").

- `read_table(rows, spec, period=None)` is pure: it reads rows (dicts of column -> text) against a framework's
  specification (the framework export's dict, indicators.exchange, or `spec_of(framework)`), in the long layout (one
  row per value, an `indicator` column) or the wide one (one row per subject, one column per indicator, headed
  `<code>` or `<code>_<YYYY>`), and says for each row what it holds or why it is refused, in translated sentences that
  name the column.
- `import_measurements(...)` resolves the subjects against the database (the Labs the uploader may add values to,
  their practices, countries by ISO code or English name), checks every value as the model does, and saves them all
  through indicators.services, or none: one refused row and nothing is saved. The upload's job, the command, the demo
  and the tests all call it.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django_countries import countries

from indicators.models import (
    Framework,
    Indicator,
    IndicatorType,
    Level,
    Measurement,
    MeasurementError,
    MeasurementState,
)
from indicators.periods import Period
from labs.models import Lab

M = MeasurementState

# The columns of the long layout, besides `<dimension>:<category>` ones.
SUBJECT_COLUMNS = ("lab", "practice", "country", "iso3")
LONG_COLUMNS = ("indicator", "period", "value", "numerator", "denominator", "text", "source", "comment")
STATES = (M.DRAFT, M.SUBMITTED, M.APPROVED)
_YEAR_SUFFIX = re.compile(r"^(?P<code>.+)_(?P<year>\d{4})$")
_YES = {"yes", "y", "true", "1", "1.0", "oui", "sì", "si", "sí", "da", "ja", "ναι", "sim"}
_NO = {"no", "n", "false", "0", "0.0", "non", "nu", "nein", "όχι", "não", "nao", "nee", "ne"}


class _CellError(ValueError):
    pass


@dataclass
class ParsedValue:
    """One value a row gives: the indicator's code, the period, and its numbers or text."""

    indicator: str
    period: Period | None
    column: str = ""  # the wide layout's column it came from
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    text: str = ""
    source: str = ""
    comment: str = ""
    disaggregation: dict = field(default_factory=dict)


@dataclass
class ParsedRow:
    number: int  # as the spreadsheet counts: the header is row 1
    subject: dict[str, str]  # lab, practice, country (as written)
    values: list[ParsedValue] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        subject = self.subject.get("practice") or self.subject.get("lab") or self.subject.get("country") or ""
        codes = ", ".join(dict.fromkeys(v.indicator for v in self.values))
        periods = ", ".join(dict.fromkeys(v.period.code for v in self.values if v.period))
        return " · ".join(part for part in (subject, codes, periods) if part)[:250]


def _in(column: str, reason: str) -> str:
    return _("Column “%(column)s”: %(reason)s") % {"column": column, "reason": reason}


def _number(text: str) -> float:
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")  # a decimal comma
    try:
        number = float(cleaned)
    except ValueError:
        raise _CellError(_("“%(text)s” is not a number.") % {"text": text[:40]}) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise _CellError(_("“%(text)s” is not a number.") % {"text": text[:40]})
    return number


def _yes_no(text: str) -> float:
    word = text.strip().casefold()
    if word in _YES:
        return 1.0
    if word in _NO:
        return 0.0
    raise _CellError(_("Write yes or no (or 1 or 0)."))


def spec_of(framework: Framework) -> dict:
    """The part of a framework's export (indicators.exchange's format) that the import reads, from the database."""
    return {
        "code": framework.code,
        "version": framework.version,
        "starts_on": framework.starts_on.isoformat() if framework.starts_on else None,
        "ends_on": framework.ends_on.isoformat() if framework.ends_on else None,
        "disaggregations": framework.disaggregations or {},
        "indicators": [
            {
                "code": i.code,
                "type": i.type,
                "level": i.level,
                "frequency": i.frequency,
                "formula": i.formula,
                "feed": i.feed,
            }
            for i in framework.indicators.all()
        ],
    }


def read_table(rows: list[dict[str, Any]], spec: dict, *, period: str | Period | None = None) -> list[ParsedRow]:
    """Each row's values, or its reasons to be refused (no database: the spec says what the framework holds)."""
    rows = [{str(k).strip(): ("" if v is None else str(v).strip()) for k, v in row.items() if k} for row in rows]
    columns = list(dict.fromkeys(c for row in rows for c in row))
    indicators = {item["code"]: item for item in spec.get("indicators", [])}
    default_period = None
    if period:
        default_period = period if isinstance(period, Period) else Period.parse(period)
    lower = {c.casefold(): c for c in columns}
    if "indicator" in lower:
        return [_read_long(n, row, lower, indicators, spec, default_period) for n, row in enumerate(rows, start=2)]
    value_columns = _wide_columns(columns, lower, indicators)
    return [_read_wide(n, row, lower, value_columns, indicators, default_period) for n, row in enumerate(rows, start=2)]


def _subject(row: dict, lower: dict) -> dict[str, str]:
    subject = {}
    for name in ("lab", "practice"):
        if name in lower and row.get(lower[name]):
            subject[name] = row[lower[name]]
    # iso3 first: a `country` column beside it is the country's name, kept as a label.
    if "iso3" in lower and row.get(lower["iso3"]):
        subject["country"] = row[lower["iso3"]]
    elif "country" in lower and row.get(lower["country"]):
        subject["country"] = row[lower["country"]]
    return subject


def _period_of(row: dict, lower: dict, default: Period | None, reasons: list[str]) -> Period | None:
    if "period" in lower and row.get(lower["period"]):
        try:
            return Period.parse(row[lower["period"]])
        except ValidationError as error:
            reasons.append(_in(lower["period"], " ".join(error.messages)))
            return None
    if default is None:
        reasons.append(_in("period", _("Give the period of the value, or choose one for the whole file.")))
    return default


def _read_long(number, row, lower, indicators, spec, default_period) -> ParsedRow:
    parsed = ParsedRow(number=number, subject=_subject(row, lower))
    reasons = parsed.reasons
    code = row.get(lower["indicator"], "")
    item = indicators.get(code) or next((i for c, i in indicators.items() if c.casefold() == code.casefold()), None)
    period = _period_of(row, lower, default_period, reasons)
    if not code:
        reasons.append(_in(lower["indicator"], _("Give the indicator's code.")))
        return parsed
    if item is None:
        reasons.append(_in(lower["indicator"], _("The framework has no indicator “%(code)s”.") % {"code": code[:40]}))
        return parsed
    value = ParsedValue(indicator=item["code"], period=period)
    for name in ("source", "comment"):
        if name in lower:
            setattr(value, name, row.get(lower[name], ""))
    if not _fill_long(value, row, lower, item, reasons):
        return parsed
    value.disaggregation = _disaggregation(row, spec, reasons)
    if not reasons:
        parsed.values.append(value)
    return parsed


def _fill_long(value: ParsedValue, row: dict, lower: dict, item: dict, reasons: list[str]) -> bool:
    if item.get("formula") or item.get("feed"):
        reasons.append(_in(lower["indicator"], _("This indicator is computed, not entered.")))
        return False
    kind = item.get("type")

    def cell(name: str) -> str:
        return row.get(lower[name], "") if name in lower else ""

    if kind == IndicatorType.NARRATIVE:
        value.text = cell("text") or cell("value")
        if not value.text:
            reasons.append(_in("text", _("Write the narrative.")))
        return True
    if kind == IndicatorType.PERCENTAGE:
        for name in ("numerator", "denominator"):
            if not cell(name):
                reasons.append(_in(name, _("A percentage needs its numerator and its denominator.")))
                continue
            try:
                setattr(value, name, _number(cell(name)))
            except _CellError as error:
                reasons.append(_in(lower[name], str(error)))
        return True
    if not cell("value"):
        reasons.append(_in("value", _("Give the value.")))
        return True
    try:
        value.value = _yes_no(cell("value")) if kind == IndicatorType.YES_NO else _number(cell("value"))
    except _CellError as error:
        reasons.append(_in(lower["value"], str(error)))
    return True


def _disaggregation(row: dict, spec: dict, reasons: list[str]) -> dict:
    """The `<dimension>:<category>` columns, as the measurement keeps them; unknown ones are refused."""
    defined = spec.get("disaggregations") or {}
    parts: dict[str, dict[str, float]] = {}
    for column, text in row.items():
        if ":" not in column or not text:
            continue
        dimension, category = (part.strip() for part in column.split(":", 1))
        categories = {c["code"] for c in (defined.get(dimension) or {}).get("categories", [])}
        if dimension not in defined:
            reasons.append(_in(column, _("The framework has no disaggregation “%(name)s”.") % {"name": dimension}))
            continue
        if category not in categories:
            reasons.append(_in(column, _("Unknown category “%(name)s”.") % {"name": category}))
            continue
        try:
            number = _number(text)
        except _CellError as error:
            reasons.append(_in(column, str(error)))
            continue
        parts.setdefault(dimension, {})[category] = int(number) if number == int(number) else number
    return parts


def _wide_columns(columns: list[str], lower: dict, indicators: dict) -> dict[str, tuple[str, int | None]]:
    """Column -> (indicator code, year or None) for the wide layout's value columns."""
    by_fold = {code.casefold(): code for code in indicators}
    found = {}
    for column in columns:
        if column.casefold() in (*SUBJECT_COLUMNS, "period"):
            continue
        if column.casefold() in by_fold:
            found[column] = (by_fold[column.casefold()], None)
        elif (match := _YEAR_SUFFIX.match(column)) and match["code"].casefold() in by_fold:
            found[column] = (by_fold[match["code"].casefold()], int(match["year"]))
    return found


def _read_wide(number, row, lower, value_columns, indicators, default_period) -> ParsedRow:
    parsed = ParsedRow(number=number, subject=_subject(row, lower))
    reasons = parsed.reasons
    if not value_columns:
        reasons.append(
            _("No column names an indicator of the framework: head them with its codes (le, or le_2022 for a year).")
        )
        return parsed
    row_period = None
    if any(row.get(c) for c, (_code, year) in value_columns.items() if year is None):
        row_period = _period_of(row, lower, default_period, reasons)
    for column, (code, year) in value_columns.items():
        text = row.get(column, "")
        if not text:
            continue
        item = indicators[code]
        try:
            period = Period.parse(str(year)) if year is not None else row_period
        except ValidationError as error:
            reasons.append(_in(column, error.messages[0]))
            continue
        value = ParsedValue(indicator=code, period=period, column=column)
        try:
            if item.get("formula") or item.get("feed"):
                raise _CellError(_("This indicator is computed, not entered."))
            kind = item.get("type")
            if kind == IndicatorType.PERCENTAGE:
                raise _CellError(_("A percentage needs its numerator and its denominator: use the long layout."))
            if kind == IndicatorType.NARRATIVE:
                value.text = text
            elif kind == IndicatorType.YES_NO:
                value.value = _yes_no(text)
            else:
                value.value = _number(text)
        except _CellError as error:
            reasons.append(_in(column, str(error)))
            continue
        parsed.values.append(value)
    if not parsed.values and not reasons:
        parsed.warnings.append(_("This row has no value."))
    return parsed


# --- Against the database ---------------------------------------------------------------------------------------------

# A model field's error, said at the column that holds it.
FIELD_COLUMNS = {
    "period_type": "period",
    "period_start": "period",
    "period_end": "period",
    "value": "value",
    "numerator": "numerator",
    "denominator": "denominator",
    "text": "text",
    "lab": "lab",
    "practice": "practice",
    "country": "country",
    "disaggregation": "disaggregation",
    "indicator": "indicator",
    "source": "source",
    "comment": "comment",
}


@dataclass
class RowReport:
    number: int
    title: str
    action: str  # create, update, reject (practices.models.ImportRow.Action)
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    measurements: list[Measurement] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[RowReport]
    imported: bool = False
    created: int = 0
    updated: int = 0

    @property
    def refused(self) -> int:
        return sum(1 for row in self.rows if row.action == "reject")

    @property
    def counts(self) -> dict[str, int]:
        return {action: sum(1 for r in self.rows if r.action == action) for action in ("create", "update", "reject")}


class _Refused(Exception):
    """A row failed while being saved: everything written before it is undone."""


def read_file(content, filename: str | None = None) -> list[dict[str, str]]:
    """The rows of a CSV or XLSX file (bytes, a path or a file), read as the other imports read them. Raises
    practices.importers.ImportFileError with a translated sentence when it cannot be read."""
    from practices import importers as table_reader

    if isinstance(content, str | Path):
        filename = filename or str(content)
        content = Path(content).read_bytes()
    elif hasattr(content, "read"):
        filename = filename or getattr(content, "name", "") or ""
        if hasattr(content, "seek"):
            content.seek(0)
        content = content.read()
    suffix = Path(filename or "").suffix.lower()
    if suffix not in (".csv", ".txt", ".xlsx"):
        raise table_reader.ImportFileError(_("Choose a CSV or XLSX file."))
    return table_reader.read_table(content, filename).rows


def import_measurements(
    *,
    framework: Framework,
    rows_or_file,
    by,
    period: str | Period | None = None,
    state: str = M.DRAFT,
    lab: Lab | None = None,
    dry_run: bool = False,
    filename: str | None = None,
) -> ImportReport:
    """Read, check and save a spreadsheet of values for `framework`, all or nothing; then move them to `state`
    (submitted: the uploader is a facilitator of their Labs; approved: a coordinator) through the model's moves.
    `lab` is the subject of rows that name none. With dry_run, says what would happen and saves nothing."""
    if state not in STATES:
        raise ValueError(f"unknown state {state!r}")
    rows = rows_or_file if isinstance(rows_or_file, list) else read_file(rows_or_file, filename)
    parsed = read_table(rows, spec_of(framework), period=period)
    report = plan(parsed, framework=framework, by=by, lab=lab)
    if report.refused or dry_run:
        return report
    try:
        with transaction.atomic():
            _apply(report, by=by, state=state)
    except _Refused:
        for row in report.rows:
            row.measurements = []
        report.created = report.updated = 0
        return report
    report.imported = True
    return report


def plan(parsed: list[ParsedRow], *, framework: Framework, by, lab: Lab | None = None) -> ImportReport:
    """Each row's measurements, built and checked as the model checks them (nothing saved)."""
    indicators = {i.code: i for i in framework.indicators.select_related("framework")}
    labs = _labs_for(parsed, by)
    practices = _practices_for(parsed, by)
    existing = _existing(parsed, indicators)
    pks = [m.pk for m in existing.values()]
    if by is None:  # someone with a shell on the server
        editable = {m.pk for m in existing.values() if m.state != M.APPROVED}
    else:
        editable = set(Measurement.objects.editable_by(by).filter(pk__in=pks).values_list("pk", flat=True))
    enterable = None
    if by is not None:  # someone with a shell on the server enters anything
        enterable = set(Indicator.objects.enterable_by(by).filter(framework=framework).values_list("pk", flat=True))
    seen: dict[tuple, int] = {}
    rows = []
    for row in parsed:
        report = RowReport(number=row.number, title=row.title, action="create", warnings=list(row.warnings))
        report.reasons = list(row.reasons)
        rows.append(report)
        subject = _resolve_subject(row.subject, labs, practices, default_lab=lab, reasons=report.reasons)
        if report.reasons:
            report.action = "reject"
            continue
        for value in row.values:
            indicator = indicators[value.indicator]
            if enterable is not None and indicator.takes_measurements and indicator.pk not in enterable:
                report.reasons.append(_("You may not enter values of %(code)s.") % {"code": indicator.code})
                continue
            measurement, action = _measurement(value, indicator, subject, existing, editable, report.reasons)
            if measurement is None:
                continue
            key = _key(indicator.pk, subject, value.period)
            if key in seen:
                report.reasons.append(
                    _("Row %(other)s already gives %(code)s for this subject and period.")
                    % {"other": seen[key], "code": indicator.code}
                )
                continue
            seen[key] = row.number
            if action == "update":
                report.action = "update"
            report.measurements.append(measurement)
        if report.reasons:
            report.action = "reject"
            report.measurements = []
    return ImportReport(rows=rows)


def _labs_for(parsed: list[ParsedRow], by) -> dict[str, Lab]:
    slugs = {row.subject["lab"] for row in parsed if row.subject.get("lab")}
    if not slugs:
        return {}
    allowed = Lab.objects.all() if by is None else Lab.objects.addable_by(by)
    return {lab.slug: lab for lab in allowed.filter(slug__in=slugs)}


def _practices_for(parsed: list[ParsedRow], by) -> dict:
    from practices.models import Practice

    slugs = {row.subject["practice"] for row in parsed if row.subject.get("practice")}
    if not slugs:
        return {}
    labs = Lab.objects.all() if by is None else Lab.objects.addable_by(by)
    found = Practice.objects.filter(slug__in=slugs, lab__in=labs).select_related("lab")
    return {practice.slug: practice for practice in found}


def country_code(text: str) -> str | None:
    """A country's ISO alpha-2 code from its alpha-2 or alpha-3 code or its name (English and the site's languages)."""
    from practices.importers import country_code as by_name

    text = text.strip()
    if len(text) == 3 and text.isalpha():
        code = countries.alpha2(text.upper())
        if code:
            return code
    return by_name(text)


def _resolve_subject(subject: dict, labs: dict, practices: dict, *, default_lab, reasons: list[str]) -> dict:
    resolved: dict[str, Any] = {"lab": None, "practice": None, "country": ""}
    if subject.get("practice"):
        practice = practices.get(subject["practice"])
        if practice is None:
            message = _("No practice “%(slug)s” of a Lab you may add values to.") % {"slug": subject["practice"]}
            reasons.append(_in("practice", message))
        else:
            resolved["practice"], resolved["lab"] = practice, practice.lab
    if subject.get("lab"):
        lab = labs.get(subject["lab"])
        if lab is None:
            reasons.append(_in("lab", _("No Lab “%(slug)s” that you may add values to.") % {"slug": subject["lab"]}))
        elif resolved["practice"] is not None and resolved["practice"].lab_id != lab.pk:
            reasons.append(_in("practice", _("This practice belongs to another Lab.")))
        else:
            resolved["lab"] = lab
    if subject.get("country"):
        code = country_code(subject["country"])
        if code is None:
            reasons.append(_in("country", _("Unknown country “%(name)s”.") % {"name": subject["country"][:60]}))
        else:
            resolved["country"] = code
    if not (resolved["lab"] or resolved["country"] or reasons):
        if default_lab is not None:
            resolved["lab"] = default_lab
        else:
            message = _("Say which Lab, practice or country the row is about (a lab, practice or country column).")
            reasons.append(message)
    return resolved


def _key(indicator_id: int, subject: dict, period: Period | None) -> tuple:
    lab = subject["lab"].pk if subject["lab"] is not None else None
    practice = subject["practice"].pk if subject["practice"] is not None else None
    return (indicator_id, lab, practice, subject["country"] or "", period.start if period else None,
            period.end if period else None)  # fmt: skip


def _existing(parsed: list[ParsedRow], indicators: dict) -> dict[tuple, Measurement]:
    starts = {v.period.start for row in parsed for v in row.values if v.period}
    codes = {v.indicator for row in parsed for v in row.values}
    if not starts or not codes:
        return {}
    found = Measurement.objects.filter(indicator__in=[indicators[c] for c in codes], period_start__in=starts)
    result = {}
    for m in found:
        key = (m.indicator_id, m.lab_id, m.practice_id, str(m.country or ""), m.period_start, m.period_end)
        result[key] = m
    return result


def _measurement(value: ParsedValue, indicator, subject, existing, editable, reasons) -> tuple[Measurement | None, str]:
    if value.period is None:
        return None, "reject"
    where = value.column or ""
    key = _key(indicator.pk, subject, value.period)
    measurement = existing.get(key)
    action = "update" if measurement is not None else "create"
    if measurement is not None and measurement.pk not in editable:
        reasons.append(
            _("%(code)s already has a value for this subject and period that you may not change (an approved value is "
              "returned for changes first).") % {"code": indicator.code}
        )  # fmt: skip
        return None, "reject"
    if measurement is None:
        measurement = Measurement(indicator=indicator)
    measurement.indicator = indicator
    measurement.lab = subject["lab"] if indicator.level != Level.COUNTRY else None
    measurement.practice = subject["practice"] if indicator.level == Level.PRACTICE else None
    measurement.country = subject["country"] if indicator.level == Level.COUNTRY else ""
    if indicator.level == Level.COUNTRY and not subject["country"]:
        measurement.country = ""
    measurement.period_type, measurement.period_start, measurement.period_end = (
        value.period.type, value.period.start, value.period.end,
    )  # fmt: skip
    measurement.value, measurement.numerator, measurement.denominator = value.value, value.numerator, value.denominator
    measurement.text = value.text
    measurement.disaggregation = value.disaggregation
    if value.source:
        measurement.source = value.source[:300]
    if value.comment:
        measurement.comment = value.comment
    from indicators.services import prepare

    prepare(measurement)
    try:
        measurement.full_clean(validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            column = where or FIELD_COLUMNS.get(name, "")
            for message in messages:
                reasons.append(_in(column, message) if column else message)
        return None, "reject"
    return measurement, action


def _apply(report: ImportReport, *, by, state: str) -> None:
    from indicators import services

    measurements = [measurement for row in report.rows for measurement in row.measurements]
    report.created = sum(1 for measurement in measurements if measurement.pk is None)
    report.updated = len(measurements) - report.created
    try:
        services.save_imported(measurements, by=by)
        if state in (M.SUBMITTED, M.APPROVED):
            services.move_measurements([m for m in measurements if m.state != M.SUBMITTED], to=M.SUBMITTED, by=by)
        if state == M.APPROVED:
            services.move_measurements(measurements, to=M.APPROVED, by=by)
    except (MeasurementError, ValidationError, IntegrityError) as error:
        # The whole file is refused: the reason (rights, a state that cannot move) holds for every row.
        if isinstance(error, ValidationError):
            reason = error.messages[0]
        elif isinstance(error, IntegrityError):
            reason = _("Another value was saved for the same subject and period meanwhile: try again.")
        else:
            reason = str(error)
        for row in report.rows:
            if row.measurements:
                row.reasons.append(reason)
                row.action = "reject"
        raise _Refused from error


def template_rows(framework: Framework) -> list[list[str]]:
    """A header and one example row of the long layout for this framework (for the upload page's download)."""
    disaggregations = [
        f"{dimension}:{category['code']}"
        for dimension, spec in (framework.disaggregations or {}).items()
        for category in spec.get("categories", [])
    ]
    header = ["indicator", "lab", "period", "value", "numerator", "denominator", "text", "source", "comment"]
    return [header + disaggregations]
