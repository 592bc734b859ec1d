"""`make bench` end to end at a tiny size: ~200 practices, every scenario against gunicorn serving this code (no peers,
no earlier commit, no browser), a few requests each, then the report with a row for every scenario and no error."""

import json
import random
import shutil

import pytest
from django.contrib.gis.geos import Point

from bench import report, suite
from bench.api import boxes
from tests.factories import make_lab, make_network, make_practice

pytestmark = pytest.mark.skipif(not shutil.which("wrk"), reason="wrk is not installed (apt-get install wrk)")


@pytest.mark.django_db(transaction=True)
def test_the_benchmark_suite_runs_every_scenario_and_reports_each_without_errors(tmp_path):
    rng = random.Random(1)
    lab = make_lab(slug="bench-lab-tiny")
    network = make_network()
    for west, south, east, north in boxes()[:10]:
        for _ in range(20):
            point = Point(rng.uniform(west, east), rng.uniform(south, north), srid=4326)
            make_practice(location=point, lab=lab, title="A tiny bench practice")
    make_practice(state="draft", title="A draft nobody outside sees", location=Point(10, 50, srid=4326))
    susy = json.loads(suite.SUSY.read_text())
    small = tmp_path / "susy-five.geojson"  # the SUSY file's first five practices: the import's path, not its size
    small.write_text(json.dumps(susy | {"features": susy["features"][:5]}))
    manifest = suite.manifest_of_database() | {"network": network.slug, "search_word": "tiny"}
    args = suite.options(["--size", "200", "--no-peers", "--no-before", "--no-browser", "--samples", "5",
                          "--cold-samples", "3", "--min-seconds", "1", "--max-seconds", "1", "--warm-seconds", "0",
                          "--sql-paths", "2", "--idle-timeout", "0", "--export-samples", "1", "--task-timeout", "60",
                          "--import-file", str(small),
                          "--results", str(tmp_path)])  # fmt: skip

    raw = suite.measure_all(args, manifest)

    info = json.loads(raw.read_text())
    assert info["published"] == 200  # the draft is not among what the scenarios measure
    ours = {row["scenario"]: row for row in info["rows"] if row["server"] == "ours"}
    expected = {s["name"] for s in suite.scenarios(manifest, 5) if s["kind"] != "browser"}
    assert expected <= set(ours)
    failed = {name: row.get("error") or row.get("detail") for name, row in ours.items()
              if row.get("error") or row.get("errors")}  # fmt: skip
    assert failed == {}
    assert all(row.get("requests") for row in ours.values())
    export = next(row for name, row in ours.items() if name.startswith("CSV export"))
    assert export["rows"] == 200
    text = (tmp_path / "200.md").read_text()
    for name in expected:
        assert f"| {name} | this code |" in text
    assert "PostgreSQL" in text and (tmp_path / "200-latency.png").exists()
    assert report.latest(tmp_path, 200)["size"] == 200
