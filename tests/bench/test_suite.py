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
                          "--cold-samples", "3", "--filter-samples", "2", "--min-seconds", "1", "--max-seconds", "1",
                          "--warm-seconds", "0",
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
    assert "## Targets (issue 11)" in text and "## Query plans" in text
    assert "| tile z8, warm, 8 connections | this code |" in text
    assert report.latest(tmp_path, 200)["size"] == 200


def test_the_report_says_of_each_target_whether_it_was_met_by_how_much_and_a_persons_note(tmp_path):
    def row(scenario, server="ours", **figures):
        return {"scenario": scenario, "server": server, "kind": "warm", **figures}

    info = {"size": 1000, "published": 1000, "rows": [
        row("tile z8, warm", p50_ms=2.0, p95_ms=40.0, rps=300.0),
        row("tile z12, warm", p50_ms=9.0, p95_ms=75.0, rps=100.0),
        row("tile z8, warm", "tipg", p50_ms=10.0, p95_ms=20.0, rps=100.0),
        row("tile z12, warm", "tipg", p50_ms=5.0, p95_ms=9.0, rps=200.0),
        row("practice page", p50_ms=120.0, p95_ms=200.0, rps=8.0),
    ]}  # fmt: skip
    (tmp_path / "notes.md").write_text("- practice page -> related practices ranked in Python (a made-up note)\n")
    samples = [{"t": 0, "rss": [100, 98]}, {"t": 60, "rss": [121, 118]}, {"t": 180, "rss": [124, 119]}]
    soak = {"size": 1000, "minutes": 3, "samples": samples}

    text = "\n".join(report.targets_section(info, soak, report.notes_of(tmp_path)))

    assert "| a tile, warm: p95 < 50 ms | tile z8, warm | p95 40.00 ms | met |" in text
    assert "| tile z12, warm | p95 75.00 ms | **missed** | 25.0 ms over (1.5× the limit)" in text
    assert "| tile z8, warm | 300 ÷ 100 req/s = 3.00× | met | 200% of the 1.5× asked |" in text
    assert "| tile z12, warm | 100 ÷ 200 req/s = 0.50× | **missed** |" in text
    assert "**missed** | 20.0 ms over (1.2× the limit) | related practices ranked in Python (a made-up note) |" in text
    assert "a cache hit: p50 < 3 ms | tile cache hit (one z8 tile) | – | not measured" in text
    assert "shorter than the target's 30" in text and "121 → 124 MiB | flat | +3 MiB" in text
