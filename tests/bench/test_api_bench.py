"""The API benchmark's harness, end to end at a tiny size: gunicorn serving this code, wrk, the SQL alone, the report.
The peers (pygeoapi, TiPg) are left out: they need their own virtualenvs (bench/peers/install.sh)."""

import json
import shutil

import pytest
from django.contrib.gis.geos import Point

from bench import api
from tests.factories import make_practice

pytestmark = pytest.mark.skipif(not shutil.which("wrk"), reason="wrk is not installed (apt-get install wrk)")


@pytest.mark.django_db(transaction=True)
def test_the_api_benchmark_measures_this_api_beside_the_sql_alone_and_writes_its_report(tmp_path, monkeypatch):
    west, south, east, north = api.boxes()[0]
    for n in range(5):
        make_practice(location=Point(west + 1 + n / 10, south + 1, srid=4326))
    make_practice(state="draft", location=Point(west + 1, south + 1, srid=4326))
    monkeypatch.setattr(api, "RESULTS", tmp_path)

    api.main(["--no-peers", "--samples", "5", "--concurrency", "2", "--warm-seconds", "1", "--min-seconds", "1",
              "--max-seconds", "1", "--idle-timeout", "0"])  # fmt: skip

    raw = json.loads(next(tmp_path.glob("*-api.json")).read_text())["results"]
    measured = {(row["request"], row["server"]) for row in raw["rows"]}
    assert {("page", "api"), ("page", "sql"), ("one", "api"), ("one", "sql")} <= measured
    page = next(row for row in raw["rows"] if row["request"] == "page" and row["server"] == "api")
    assert page["features"] == 5  # a visitor's page: the draft is not in it
    assert all(row["errors"] == 0 and row["requests"] > 0 for row in raw["rows"])
    report = (tmp_path / "api.md").read_text()
    assert "| this API (/api/v1/)" in report and "| the SQL alone" in report
    assert "PostgreSQL" in report
