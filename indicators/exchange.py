"""A framework as a file, so another territory can adopt or adapt it: JSON (the whole framework), and a metadata table
in CSV or XLSX laid out as COINr's iMeta (one row per indicator at Level 1, one per dimension at Levels 2, 3...,
and one for the index at the top), with our own columns after COINr's.

Importing checks everything first and saves nothing on any error (FrameworkImportError lists them all, translated,
by row and column). A framework whose code exists already is imported as its next version: the values entered under
the old version stay with it. Targets and the links to a Lab's programmes are not part of the file (they belong to a
Lab).
"""

import csv
import datetime
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from indicators.formula import check_definitions
from indicators.models import Dimension, Framework, Indicator
from practices.import_views import _cell as formula_safe

FORMAT = "conect-framework"
FORMAT_VERSION = 1
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 2000

FRAMEWORK_KEYS = ["code", "version", "name", "names", "description", "descriptions", "index_name", "source",
                  "starts_on", "ends_on", "disaggregations", "method"]  # fmt: skip
DIMENSION_KEYS = ["code", "name", "names", "weight", "parent", "position"]
INDICATOR_KEYS = ["code", "name", "names", "definition", "definitions", "unit", "type", "scale_labels", "direction",
                  "cumulative", "time_aggregation", "child_aggregation", "level", "data_source", "frequency",
                  "goal_min", "goal_max", "weight", "formula", "factor", "dimension", "feed", "feed_activity_kind",
                  "position"]  # fmt: skip
# Fields of the model copied as they are (the others are codes of related rows or dates).
_INDICATOR_FIELDS = [key for key in INDICATOR_KEYS if key != "dimension"]
_DIMENSION_FIELDS = [key for key in DIMENSION_KEYS if key != "parent"]
_FRAMEWORK_FIELDS = [key for key in FRAMEWORK_KEYS if key not in ("starts_on", "ends_on")]


class FrameworkImportError(Exception):
    """A file that cannot be imported, with every reason found (translated, each naming its row and field)."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


# --- JSON ------------------------------------------------------------------------------------------------------------


def export_framework(framework: Framework) -> dict:
    """The whole framework in the exchange format (common to the JSON download, the API and the composite command)."""
    data: dict[str, Any] = {"format": FORMAT, "format_version": FORMAT_VERSION}
    for key in FRAMEWORK_KEYS:
        value = getattr(framework, key)
        data[key] = value.isoformat() if isinstance(value, datetime.date) else value
    dimensions = list(framework.dimensions.select_related("parent").order_by("position", "code"))
    data["dimensions"] = [
        {**{key: getattr(d, key) for key in _DIMENSION_FIELDS}, "parent": d.parent.code if d.parent else None}
        for d in dimensions
    ]
    indicators = framework.indicators.select_related("dimension").order_by("position", "code")
    data["indicators"] = [
        {key: (i.dimension.code if i.dimension else None) if key == "dimension" else getattr(i, key) for key in
         INDICATOR_KEYS}
        for i in indicators
    ]  # fmt: skip
    return data


# --- COINr's iMeta table ---------------------------------------------------------------------------------------------

OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
# COINr's columns first, then ours. Type is COINr's: Indicator, Aggregate (a dimension or the index) or Other (an
# indicator outside the index); IndType is ours (count, amount, percentage...).
COINR_COLUMNS = ["iCode", "iName", "Level", "Parent", "Direction", "Weight", "Type", "iUnit"]
OUR_COLUMNS = [
    "IndType", "Definition", "GoalMin", "GoalMax", "Formula", "Factor", "Frequency", "AggTime", "AggChildren",
    "Cumulative", "ScopeLevel", "DataSource", "Feed", "FeedActivityKind", "ScaleLabels", "Position",
    *(f"iName_{code}" for code in OTHER_LANGUAGES), *(f"Definition_{code}" for code in OTHER_LANGUAGES),
    # On the index's row only: the framework itself.
    "Version", "IndexName", "StartsOn", "EndsOn", "Disaggregations", "Method",
]  # fmt: skip
COLUMNS = COINR_COLUMNS + OUR_COLUMNS
# Our column of each indicator field, to name it in errors.
INDICATOR_COLUMNS = {
    "code": "iCode", "name": "iName", "names": "iName_xx", "definition": "Definition", "definitions": "Definition_xx",
    "unit": "iUnit", "type": "IndType", "scale_labels": "ScaleLabels", "direction": "Direction",
    "cumulative": "Cumulative", "time_aggregation": "AggTime", "child_aggregation": "AggChildren",
    "level": "ScopeLevel", "data_source": "DataSource", "frequency": "Frequency", "goal_min": "GoalMin",
    "goal_max": "GoalMax", "weight": "Weight", "formula": "Formula", "factor": "Factor", "dimension": "Parent",
    "feed": "Feed", "feed_activity_kind": "FeedActivityKind", "position": "Position",
}  # fmt: skip
DIMENSION_COLUMNS = {"code": "iCode", "name": "iName", "names": "iName_xx", "weight": "Weight", "parent": "Parent",
                     "position": "Position"}  # fmt: skip
FRAMEWORK_COLUMNS = {
    "code": "iCode", "name": "iName", "names": "iName_xx", "description": "Definition",
    "descriptions": "Definition_xx", "source": "DataSource", "version": "Version", "index_name": "IndexName",
    "starts_on": "StartsOn", "ends_on": "EndsOn", "disaggregations": "Disaggregations", "method": "Method",
}  # fmt: skip


def _translations(prefix: str, texts: dict) -> dict:
    return {f"{prefix}_{code}": (texts or {}).get(code, "") for code in OTHER_LANGUAGES}


def _json_cell(value) -> str:
    return json.dumps(value, ensure_ascii=False) if value else ""


def _number(value) -> str | float:
    return "" if value is None else value


def table_rows(framework: Framework) -> list[dict]:
    """The iMeta rows of a framework: indicators (Level 1), dimensions (one level above their highest child) and the
    index (above all), each a dict keyed by COLUMNS."""
    data = export_framework(framework)
    dimensions = data["dimensions"]
    children: dict[str | None, list[str]] = {}
    for d in dimensions:
        children.setdefault(d["parent"], []).append(d["code"])

    def level(code: str, seen: tuple = ()) -> int:
        # A dimension sits one level above its highest child (its indicators are Level 1).
        return max([2, *(level(child, (*seen, code)) + 1 for child in children.get(code, []) if child not in seen)])

    rows = []
    for i in data["indicators"]:
        rows.append(
            {
                "iCode": i["code"], "iName": i["name"], "Level": 1, "Parent": i["dimension"] or "",
                "Direction": -1 if i["direction"] == "lower" else 1, "Weight": i["weight"],
                "Type": "Indicator" if i["dimension"] else "Other", "iUnit": i["unit"], "IndType": i["type"],
                "Definition": i["definition"], "GoalMin": _number(i["goal_min"]), "GoalMax": _number(i["goal_max"]),
                "Formula": i["formula"], "Factor": i["factor"], "Frequency": i["frequency"],
                "AggTime": i["time_aggregation"], "AggChildren": i["child_aggregation"],
                "Cumulative": "true" if i["cumulative"] else "false", "ScopeLevel": i["level"],
                "DataSource": i["data_source"], "Feed": i["feed"], "FeedActivityKind": i["feed_activity_kind"],
                "ScaleLabels": _json_cell(i["scale_labels"]), "Position": i["position"],
                **_translations("iName", i["names"]), **_translations("Definition", i["definitions"]),
            }
        )  # fmt: skip
    levels = {d["code"]: level(d["code"]) for d in dimensions}
    for d in sorted(dimensions, key=lambda d: levels[d["code"]]):
        rows.append(
            {
                "iCode": d["code"], "iName": d["name"], "Level": levels[d["code"]],
                "Parent": d["parent"] or data["code"], "Weight": d["weight"], "Type": "Aggregate",
                "Position": d["position"], **_translations("iName", d["names"]),
            }
        )  # fmt: skip
    rows.append(
        {
            "iCode": data["code"], "iName": data["name"], "Level": max([1, *levels.values()]) + 1, "Parent": "",
            "Weight": 1, "Type": "Aggregate", "Definition": data["description"], "DataSource": data["source"],
            "Version": data["version"], "IndexName": data["index_name"], "StartsOn": data["starts_on"] or "",
            "EndsOn": data["ends_on"] or "", "Disaggregations": _json_cell(data["disaggregations"]),
            "Method": _json_cell(data["method"]), **_translations("iName", data["names"]),
            **_translations("Definition", data["descriptions"]),
        }
    )  # fmt: skip
    return [{column: row.get(column, "") for column in COLUMNS} for row in rows]


def framework_csv(framework: Framework) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in table_rows(framework):
        writer.writerow([formula_safe(row[column]) for column in COLUMNS])
    return out.getvalue()


def framework_xlsx(framework: Framework) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("iMeta")
    sheet.append(COLUMNS)
    for row in table_rows(framework):
        sheet.append([formula_safe(row[column]) for column in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Reading files ---------------------------------------------------------------------------------------------------


@dataclass
class Source:
    """What was read, and how to name a place in it in an error."""

    data: dict
    table: bool = False  # read from an iMeta table: errors name rows and columns
    rows: dict[tuple[str, str], int] = field(default_factory=dict)  # ("indicator"|"dimension"|"framework", code) -> row


def read(upload) -> Source:
    """A framework file (an uploaded file, a path, or an open file with a name) as the exchange format."""
    name = str(getattr(upload, "name", upload)).lower()
    if isinstance(upload, str | Path):
        content = Path(upload).read_bytes()
    else:
        if hasattr(upload, "seek"):
            upload.seek(0)
        content = upload.read()
    if name.endswith(".json"):
        try:
            data = json.loads(content.decode("utf-8-sig") if isinstance(content, bytes) else content)
        except (UnicodeDecodeError, ValueError):
            raise FrameworkImportError([_("This file is not valid JSON.")]) from None
        if not isinstance(data, dict):
            raise FrameworkImportError([_("This file is not a CoNECT framework export.")])
        return Source(data)
    if name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
        except UnicodeDecodeError:
            raise FrameworkImportError([_("The CSV file must be saved as UTF-8.")]) from None
        return from_table(list(csv.reader(io.StringIO(text))))
    if name.endswith(".xlsx"):
        return from_table(_xlsx_rows(content))
    raise FrameworkImportError([_("Upload a JSON, CSV or XLSX file.")])


def _xlsx_rows(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a file that is not a workbook
        raise FrameworkImportError([_("This file is not an XLSX workbook.")]) from None
    sheet = workbook["iMeta"] if "iMeta" in workbook.sheetnames else workbook.worksheets[0]
    return [["" if cell is None else cell for cell in row] for row in sheet.iter_rows(values_only=True)]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).strip()
    return text[1:] if text.startswith("'") and text[1:2] in ("=", "+", "-", "@") else text  # undo the export's guard


class _Cells:
    """One row of the table, read cell by cell; a cell that cannot be read becomes an error naming its column."""

    def __init__(self, row: dict[str, str], number: int, errors: list[str]):
        self.row, self.line, self.errors = row, number, errors

    def text(self, column: str) -> str:
        return self.row.get(column.lower(), "")

    def _error(self, column: str, message: str) -> None:
        self.errors.append(_row_error(self.line, self.text("iCode"), column, message))

    def number_or_none(self, column: str) -> float | None:
        text = self.text(column).replace(",", ".") if self.text(column).count(",") == 1 else self.text(column)
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            self._error(column, _("“%(value)s” is not a number.") % {"value": self.text(column)})
            return None

    def number(self, column: str, default: float) -> float:
        value = self.number_or_none(column)
        return default if value is None else value

    def integer(self, column: str, default: int) -> int:
        value = self.number(column, default)
        if value != int(value):
            self._error(column, _("Write a whole number."))
        return int(value)

    def boolean(self, column: str) -> bool:
        text = self.text(column).lower()
        if text in ("", "false", "0", "no", "n"):
            return False
        if text in ("true", "1", "yes", "y"):
            return True
        self._error(column, _("Write true or false."))
        return False

    def json(self, column: str, default):
        text = self.text(column)
        if not text:
            return default
        try:
            value = json.loads(text)
        except ValueError:
            self._error(column, _("This cell is not valid JSON."))
            return default
        if not isinstance(value, type(default)):
            self._error(column, _("This cell is not valid JSON."))
            return default
        return value

    def translations(self, prefix: str) -> dict:
        return {code: self.text(f"{prefix}_{code}") for code in OTHER_LANGUAGES if self.text(f"{prefix}_{code}")}

    def direction(self) -> str:
        text = self.text("Direction").lower()
        if text in ("", "1", "higher"):
            return "higher"
        if text in ("-1", "lower"):
            return "lower"
        self._error("Direction", _("Write 1 (higher is better) or -1 (lower is better)."))
        return "higher"


def _row_error(number: int, code: str, column: str, message: str) -> str:
    if code:
        return _("Row %(row)s (%(code)s), %(column)s: %(message)s") % {
            "row": number, "code": code, "column": column, "message": message
        }  # fmt: skip
    return _("Row %(row)s, %(column)s: %(message)s") % {"row": number, "column": column, "message": message}


def from_table(table: list[list]) -> Source:
    """An iMeta table (header row first) as the exchange format. Cells that cannot be read at all are refused here;
    what they mean is checked with the rest (validate)."""
    if not table or not any(_text(cell) for cell in table[0]):
        raise FrameworkImportError([_("The file is empty: its first row names the columns (iCode, iName, Type...).")])
    header = [_text(cell).lower() for cell in table[0]]
    missing = [column for column in ("iCode", "iName", "Type") if column.lower() not in header]
    if missing:
        raise FrameworkImportError(
            [_("Columns missing from the first row: %(columns)s.") % {"columns": ", ".join(missing)}]
        )
    if len(table) > MAX_ROWS + 1:
        raise FrameworkImportError([_("A framework has %(max)s rows at most.") % {"max": MAX_ROWS}])
    errors: list[str] = []
    rows = []
    for number, values in enumerate(table[1:], start=2):
        row = {column: _text(value) for column, value in zip(header, values, strict=False)}
        if any(row.values()):
            rows.append(_Cells(row, number, errors))
    types = {"indicator", "aggregate", "other"}
    for cells in rows:
        if cells.text("Type").lower() not in types:
            cells._error("Type", _("Write Indicator, Aggregate (a dimension or the index) or Other."))
    aggregates = [cells for cells in rows if cells.text("Type").lower() == "aggregate"]
    tops = [cells for cells in aggregates if not cells.text("Parent")]
    if len(tops) != 1:
        errors.append(_("The file needs exactly one row of Type Aggregate without a Parent: the index."))
        raise FrameworkImportError(errors)
    top = tops[0]
    source = Source({}, table=True)
    source.rows[("framework", top.text("iCode"))] = top.line
    data = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "code": top.text("iCode"),
        "version": top.integer("Version", 1),
        "name": top.text("iName"),
        "names": top.translations("iName"),
        "description": top.text("Definition"),
        "descriptions": top.translations("Definition"),
        "index_name": top.text("IndexName"),
        "source": top.text("DataSource"),
        "starts_on": top.text("StartsOn") or None,
        "ends_on": top.text("EndsOn") or None,
        "disaggregations": top.json("Disaggregations", {}),
        "method": top.json("Method", {}),
        "dimensions": [],
        "indicators": [],
    }
    index_code = top.text("iCode")
    for cells in aggregates:
        if cells is top:
            continue
        code = cells.text("iCode")
        source.rows[("dimension", code)] = cells.line
        parent = cells.text("Parent")
        data["dimensions"].append(
            {
                "code": code, "name": cells.text("iName"), "names": cells.translations("iName"),
                "weight": cells.number("Weight", 1.0), "parent": None if parent == index_code else parent,
                "position": cells.integer("Position", len(data["dimensions"])),
            }
        )  # fmt: skip
    for cells in rows:
        if cells.text("Type").lower() not in ("indicator", "other"):
            continue
        code = cells.text("iCode")
        source.rows[("indicator", code)] = cells.line
        parent = cells.text("Parent")
        data["indicators"].append(
            {
                "code": code, "name": cells.text("iName"), "names": cells.translations("iName"),
                "definition": cells.text("Definition"), "definitions": cells.translations("Definition"),
                "unit": cells.text("iUnit"), "type": cells.text("IndType") or "amount",
                "scale_labels": cells.json("ScaleLabels", []), "direction": cells.direction(),
                "cumulative": cells.boolean("Cumulative"), "time_aggregation": cells.text("AggTime") or "sum",
                "child_aggregation": cells.text("AggChildren") or "sum", "level": cells.text("ScopeLevel") or "lab",
                "data_source": cells.text("DataSource"), "frequency": cells.text("Frequency") or "year",
                "goal_min": cells.number_or_none("GoalMin"), "goal_max": cells.number_or_none("GoalMax"),
                "weight": cells.number("Weight", 1.0), "formula": cells.text("Formula"),
                "factor": cells.number("Factor", 1.0), "dimension": None if parent == index_code else parent or None,
                "feed": cells.text("Feed"), "feed_activity_kind": cells.text("FeedActivityKind"),
                "position": cells.integer("Position", len(data["indicators"])),
            }
        )  # fmt: skip
    if errors:
        raise FrameworkImportError(errors)
    source.data = data
    return source


# --- Checking and saving ---------------------------------------------------------------------------------------------


class _Checker:
    """Every error of a framework in the exchange format, each naming where it is (row and column of a table, item
    and key of a JSON file)."""

    def __init__(self, source: Source):
        self.source = source
        self.errors: list[str] = []

    def where(self, kind: str, code: str, key: str, message: str) -> None:
        columns = {"indicator": INDICATOR_COLUMNS, "dimension": DIMENSION_COLUMNS, "framework": FRAMEWORK_COLUMNS}
        if self.source.table:
            column = columns[kind].get(key, key)
            row = self.source.rows.get((kind, code), 0)
            self.errors.append(_row_error(row, code, column, message))
            return
        labels = {
            "indicator": _("Indicator “%(code)s”"),
            "dimension": _("Dimension “%(code)s”"),
            "framework": _("Framework “%(code)s”"),
        }
        place = labels[kind] % {"code": code or "?"}
        self.errors.append(_("%(place)s, %(field)s: %(message)s") % {"place": place, "field": key, "message": message})

    def model(self, kind: str, code: str, instance, exclude: list[str]) -> None:
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                for message in messages:
                    self.where(kind, code, key if key != "__all__" else "code", message)


def _items(data: dict, key: str) -> list[dict]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise FrameworkImportError([_("“%(key)s” must be a list of objects.") % {"key": key}])
    return value


def _date(checker: _Checker, code: str, key: str, value) -> datetime.date | None:
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        checker.where("framework", code, key, _("Write the date as 2024-12-31."))
        return None


def _check_disaggregations(checker: _Checker, code: str, value) -> None:
    message = _('Write them as {"gender": {"name": "Gender", "categories": [{"code": "women", "name": "Women"}]}}.')
    if not isinstance(value, dict):
        checker.where("framework", code, "disaggregations", message)
        return
    for dimension in value.values():
        categories = dimension.get("categories") if isinstance(dimension, dict) else None
        if not isinstance(categories, list) or not all(isinstance(c, dict) and c.get("code") for c in categories):
            checker.where("framework", code, "disaggregations", message)
            return


def _only(item: dict, keys: Iterable[str]) -> dict:
    return {key: item[key] for key in keys if key in item and item[key] is not None}


def check(source: Source) -> tuple[Framework, list[Dimension], list[Indicator]]:
    """The framework, its dimensions and its indicators, built and checked but not saved; FrameworkImportError with
    every reason otherwise."""
    data = source.data
    if data.get("format") != FORMAT:
        raise FrameworkImportError([_("This file is not a CoNECT framework export.")])
    checker = _Checker(source)
    code = str(data.get("code") or "")
    framework = Framework(**_only(data, _FRAMEWORK_FIELDS))
    framework.starts_on = _date(checker, code, "starts_on", data.get("starts_on"))
    framework.ends_on = _date(checker, code, "ends_on", data.get("ends_on"))
    checker.model("framework", code, framework, exclude=["previous", "created_by"])
    _check_disaggregations(checker, code, framework.disaggregations)
    if not isinstance(framework.method, dict):
        checker.where("framework", code, "method", _("The method must be a JSON object."))

    dimensions, indicators = _items(data, "dimensions"), _items(data, "indicators")
    dimension_codes = [str(d.get("code") or "") for d in dimensions]
    indicator_codes = [str(i.get("code") or "") for i in indicators]
    built_dimensions = []
    for item, dcode in zip(dimensions, dimension_codes, strict=True):
        dimension = Dimension(**_only(item, _DIMENSION_FIELDS))
        checker.model("dimension", dcode, dimension, exclude=["framework", "parent"])
        if dimension_codes.count(dcode) > 1 or dcode in indicator_codes or (source.table and dcode == code):
            checker.where("dimension", dcode, "code", _("This code is used more than once in the file."))
        parent = item.get("parent")
        if parent and parent not in dimension_codes:
            checker.where("dimension", dcode, "parent", _("There is no dimension “%(code)s”.") % {"code": parent})
        dimension.parent_code = parent or None
        built_dimensions.append(dimension)
    _check_dimension_cycles(checker, built_dimensions)

    built_indicators = []
    for item, icode in zip(indicators, indicator_codes, strict=True):
        indicator = Indicator(**_only(item, _INDICATOR_FIELDS))
        checker.model("indicator", icode, indicator, exclude=["framework", "dimension", "feed_programme"])
        if indicator_codes.count(icode) > 1 or (source.table and icode == code):
            checker.where("indicator", icode, "code", _("This code is used more than once in the file."))
        dimension = item.get("dimension")
        if dimension and dimension not in dimension_codes:
            checker.where("indicator", icode, "dimension", _("There is no dimension “%(code)s”.") % {"code": dimension})
        indicator.dimension_code = dimension or None
        built_indicators.append(indicator)
    formulas = {i.code: i.formula for i in built_indicators if i.formula}
    for icode, message in check_definitions(formulas, indicator_codes).items():
        checker.where("indicator", icode, "formula", message)
    if checker.errors:
        raise FrameworkImportError(checker.errors)
    return framework, built_dimensions, built_indicators


def _check_dimension_cycles(checker: _Checker, dimensions: list[Dimension]) -> None:
    parents = {d.code: d.parent_code for d in dimensions}
    for start in parents:
        seen, current = {start}, parents[start]
        while current:
            if current in seen:
                checker.where("dimension", start, "parent", _("A dimension cannot be inside itself."))
                break
            seen.add(current)
            current = parents.get(current)


def import_framework(data, *, by, publish: bool = False) -> Framework:
    """Import a framework (the exchange format as a dict, or a JSON, CSV or XLSX file), all or nothing. A code that
    exists already becomes its next version, with the latest version as its previous one."""
    source = data if isinstance(data, Source) else Source(data) if isinstance(data, dict) else read(data)
    framework, dimensions, indicators = check(source)
    with transaction.atomic():
        # Lock the code's versions so two imports of the same code cannot take the same number.
        existing = list(Framework.objects.select_for_update().filter(code=framework.code).order_by("-version"))
        if existing:
            framework.version = existing[0].version + 1
            framework.previous = existing[0]
        else:
            framework.version = framework.version or 1
        framework.published = publish
        framework.created_by = by if by is not None and by.is_authenticated else None
        framework.save()
        by_code = {}
        for dimension in dimensions:
            dimension.framework = framework
            dimension.save()
            by_code[dimension.code] = dimension
        for dimension in dimensions:
            if dimension.parent_code:
                dimension.parent = by_code[dimension.parent_code]
                dimension.save(update_fields=["parent"])
        for indicator in indicators:
            indicator.framework = framework
            indicator.dimension = by_code.get(indicator.dimension_code)
            indicator.save()
    return framework


def new_version(framework: Framework, *, by) -> Framework:
    """A copy of the framework as its next version (a draft to adapt), keeping the indicators' links to programmes."""
    with transaction.atomic():
        copy = import_framework(export_framework(framework), by=by, publish=False)
        links = dict(framework.indicators.exclude(feed_programme=None).values_list("code", "feed_programme"))
        for indicator in copy.indicators.filter(code__in=links):
            indicator.feed_programme_id = links[indicator.code]
            indicator.save(update_fields=["feed_programme"])
    return copy
