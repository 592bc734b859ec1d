"""UNDP's Human Development Index 2022 recomputed by the platform's engine: all 193 values agree with those UNDP
published at 3 decimals, and all ranks agree, through the command (files only) and through the database (the
framework imported, the values imported and approved, the index run on the task queue)."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

DATA = Path(__file__).resolve().parents[2] / "indicators" / "data" / "hdi-2022"


def expected() -> dict[str, tuple[float, int]]:
    with open(DATA / "expected.csv", encoding="utf-8") as f:
        return {row["iso3"]: (float(row["hdi_2022"]), int(row["hdi_rank_2022"])) for row in csv.DictReader(f)}


def disagreements(computed: dict[str, tuple[float, int]]) -> list:
    published = expected()
    assert set(computed) == set(published)
    return [
        (code, computed[code], published[code])
        for code in published
        if round(computed[code][0], 3) != published[code][0] or computed[code][1] != published[code][1]
    ]


def test_the_command_computes_the_hdi_of_193_countries_as_undp_published_it():
    out = io.StringIO()
    call_command(
        "composite",
        "--framework", str(DATA / "framework.json"),
        "--measurements", str(DATA / "inputs.csv"),
        "--level", "country",
        "--year", "2022",
        stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == 193
    assert disagreements({row["subject"]: (float(row["index"]), int(row["rank"])) for row in rows}) == []


def test_the_hdi_framework_keeps_undps_goalposts_at_full_precision():
    data = json.loads((DATA / "framework.json").read_text())
    income = next(i for i in data["indicators"] if i["code"] == "ln_gnipc")
    assert income["goal_min"] == 4.605170185988092  # ln(100)
    assert income["goal_max"] == 11.225243392518447  # ln(75000)
    assert data["method"]["aggregation"] == {"dimension": "arithmetic", "index": "geometric"}


@pytest.mark.django_db
def test_the_hdi_loaded_through_the_import_paths_and_run_on_the_queue_agrees_with_undp(
    coordinator, django_capture_on_commit_callbacks
):
    from indicators import composite_services
    from indicators.exchange import import_framework
    from indicators.importers import import_measurements
    from indicators.models import CompositeStatus

    framework = import_framework(json.loads((DATA / "framework.json").read_text()), by=coordinator, publish=True)
    report = import_measurements(
        framework=framework, rows_or_file=DATA / "inputs.csv", by=coordinator, state="approved"
    )
    assert report.imported, [row.reasons for row in report.rows if row.reasons][:3]
    with django_capture_on_commit_callbacks(execute=True):
        run = composite_services.request_composite(
            framework=framework,
            level="country",
            year=2022,
            method=composite_services.default_method(framework),
            by=coordinator,
        )
    run.refresh_from_db()
    assert run.status == CompositeStatus.DONE, run.error
    subjects = run.results["subjects"]
    computed = {_iso3(row["id"]): (row["index"], row["rank"]) for row in subjects}
    assert disagreements(computed) == []


def _iso3(alpha2: str) -> str:
    from django_countries import countries

    return countries.alpha3(alpha2)
