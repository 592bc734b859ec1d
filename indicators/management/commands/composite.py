"""`manage.py composite`: a composite index from files, with no database: a framework export (indicators.exchange's
JSON), a spreadsheet of values (the measurements import's long or wide layout, read by indicators.importers), and the
method's choices; prints or writes the index, its dimensions and ranks as CSV.

    manage.py composite --framework indicators/data/hdi-2022/framework.json \\
        --measurements indicators/data/hdi-2022/inputs.csv --level country --year 2022
"""

import csv
import io
import json
from collections import defaultdict
from pathlib import Path

import numpy as np
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from indicators import composite
from indicators.importers import read_file, read_table
from practices.import_views import _cell as formula_safe

SUBJECT_COLUMN = {"country": "country", "lab": "lab", "practice": "practice"}


class Command(BaseCommand):
    help = "Compute a composite index from a framework export and a CSV/XLSX of values, without the database."

    def add_arguments(self, parser):
        parser.add_argument("--framework", required=True, help="The framework's JSON export.")
        parser.add_argument("--measurements", required=True, help="Values: CSV or XLSX, long or wide layout.")
        parser.add_argument("--level", default="country", choices=["country", "lab", "practice"])
        parser.add_argument("--year", type=int, help="The year of the values (default: the latest one given).")
        parser.add_argument("--normalisation", choices=composite.NORMALISATIONS)
        parser.add_argument("--weights", choices=composite.WEIGHTS)
        parser.add_argument("--custom-weights", help='JSON: {"<indicator or dimension code>": weight}')
        parser.add_argument("--aggregation-dimension", choices=composite.AGGREGATIONS)
        parser.add_argument("--aggregation-index", choices=composite.AGGREGATIONS)
        parser.add_argument("--geometric-on", choices=composite.GEOMETRIC_ON)
        parser.add_argument("--missing", choices=composite.MISSING)
        parser.add_argument("--threshold", type=float, help="Share for above/below the mean (0.1 = 10%%).")
        parser.add_argument("--bands", help="Cut points of the bands, comma-separated.")
        parser.add_argument("--no-cap", action="store_true", help="Goalposts without capping to [0, 1].")
        parser.add_argument("--output", help="Write the CSV to this file instead of printing it.")

    def handle(self, *args, **options):
        try:
            data = json.loads(Path(options["framework"]).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(_("The framework cannot be read: %(error)s") % {"error": error}) from None
        spec = composite.Spec.from_export(data)
        try:
            method = composite.Method.from_json(method_json(data.get("method") or {}, options))
        except composite.MethodError as error:
            raise CommandError(str(error)) from None
        table, subjects, year = read_values(options["measurements"], data, spec, options["level"], options["year"])
        try:
            result = composite.compute(table, subjects, spec, method)
        except composite.MethodError as error:
            raise CommandError(str(error)) from None
        buffer = io.StringIO()
        write_csv(buffer, result, spec)
        if options["output"]:
            Path(options["output"]).write_text(buffer.getvalue(), encoding="utf-8")
        else:
            self.stdout.write(buffer.getvalue(), ending="")
        self.stderr.write(
            _("%(count)s subjects, year %(year)s. %(method)s")
            % {"count": len(subjects), "year": year, "method": result.method_text}
        )
        for entry in result.missing:
            self.stderr.write(f"{entry['subject']}: {composite.describe_missing(entry)}")


def method_json(base: dict, options: dict) -> dict:
    """The framework's method with the choices given on the command line."""
    method = dict(base)
    for key in ("normalisation", "weights", "geometric_on", "missing", "threshold"):
        if options.get(key) is not None:
            method[key] = options[key]
    aggregation = dict(method.get("aggregation") or {})
    for key in ("dimension", "index"):
        if options.get(f"aggregation_{key}"):
            aggregation[key] = options[f"aggregation_{key}"]
    method["aggregation"] = aggregation
    if options.get("custom_weights"):
        try:
            method["custom_weights"] = json.loads(options["custom_weights"])
        except ValueError:
            raise CommandError(_('--custom-weights is JSON, e.g. {"le": 2}.')) from None
        method["weights"] = "custom"
    if options.get("bands"):
        method["bands"] = [part for part in options["bands"].split(",") if part.strip()]
    if options.get("no_cap"):
        method["cap"] = False
    return method


def read_values(path: str, data: dict, spec: composite.Spec, level: str, year: int | None):
    """The matrix of one year (subjects x the index's indicators), derived indicators computed from the file's."""
    from practices.importers import ImportFileError

    try:
        rows = read_file(path)
    except (OSError, ImportFileError) as error:
        raise CommandError(str(error)) from None
    parsed = read_table(rows, data, period=str(year) if year else None)
    refused = [f"{_('Row')} {row.number}: {'; '.join(row.reasons)}" for row in parsed if row.reasons]
    if refused:
        raise CommandError("\n".join(refused[:20]))
    indicators = {item["code"]: item for item in data.get("indicators", [])}
    # subject -> code -> year -> [(period end, value)]
    found: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for row in parsed:
        subject = row.subject.get(SUBJECT_COLUMN[level])
        if not subject:
            continue
        for value in row.values:
            number = value.value
            if value.numerator is not None and value.denominator:
                number = value.numerator / value.denominator * float(indicators[value.indicator].get("factor") or 1)
            if number is not None and value.period is not None:
                found[subject][value.indicator][value.period.year].append((value.period.end, number))
    years = {y for per_code in found.values() for per_year in per_code.values() for y in per_year}
    if not years:
        raise CommandError(_("The file holds no values at this level."))
    year = year or max(years)
    subjects = sorted(found)
    raw = {
        code: np.array([_over_time(found[s][code].get(year, []), item) for s in subjects], dtype=float)
        for code, item in indicators.items()
        if not item.get("formula")
    }
    values = spec.derive(raw)
    missing = np.full(len(subjects), np.nan)
    table = np.column_stack([values.get(code, missing) for code in spec.codes]) if spec.codes else np.empty((0, 0))
    return table.reshape(len(subjects), len(spec.codes)), subjects, year


def _over_time(entries: list[tuple], item: dict) -> float:
    """A year's values combined as the indicator aggregates over time (percentages: their yearly ratios averaged)."""
    if not entries:
        return np.nan
    how = item.get("time_aggregation", "sum")
    if how == "latest":
        return max(entries, key=lambda e: e[0])[1]
    numbers = [number for _end, number in entries]
    return float(np.mean(numbers)) if how == "mean" or item.get("type") == "percentage" else float(np.sum(numbers))


def write_csv(out, result: composite.Result, spec: composite.Spec) -> None:
    writer = csv.writer(out)
    writer.writerow(["subject", "index", *(d.code for d in spec.dimensions), "rank"])
    for row in result.rows(spec):
        writer.writerow(
            [
                formula_safe(str(row["subject"])),
                _fmt(row["index"]),
                *(_fmt(row["dimensions"][d.code]) for d in spec.dimensions),
                "" if row["rank"] is None else row["rank"],
            ]
        )


def _fmt(value: float | None) -> str:
    return "" if value is None else repr(round(value, 6))
