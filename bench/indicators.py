"""The cross-Lab indicators dashboard and a composite index over 1,000,000 measurements, beside their SQL alone and a
naive peer that groups the measurements table itself.

    .venv/bin/python -m bench indicators [-n 1000000] [--labs 50] [--indicators 40] [--years 10] [--samples 20]
                                         [--keep]

Adds one published framework (code "bench-indicators": five dimensions, --indicators monthly practice-level
indicators, a quarter of them percentages, with goalposts), --labs Labs (slugs "bench-ind-…") with four or five
practices each, and -n approved monthly values over --years years (per indicator, practice and month, in that order,
until -n), loaded with one INSERT ... SELECT over generate_series, then the rollups rebuilt by
indicators.services.rebuild_rollups (as after any bulk load). Then times:
- dashboard: /en/indicators/dashboard/?framework=bench-indicators as a coordinator (all Labs, charts, map, tables);
- yearly(): indicators.values.yearly() alone, the read every page starts from;
- its SQL alone: the dashboard's own queries, captured from one request and replayed on a cursor;
- the rollup query alone: the rollups of the framework's indicators (what yearly() reads);
- naive peer: the same yearly figures by GROUP BY over the measurements table (what a page without rollups would do);
- composite: indicators.composite_services.compute_results() for the Labs in the last year (matrix, engine,
  sensitivity), and the engine alone (indicators.composite.compute) on the same matrix.
It prints EXPLAIN of the rollup query, of the naive peer, and says whether any dashboard query scans the measurements.
The rows are removed afterwards (and before, if a run was interrupted) unless --keep is given.
"""

import argparse
import datetime
import re
import time

from django.db import connection, transaction
from django.db.models import Max
from django.test.utils import CaptureQueriesContext

from bench.map import summary, timed
from bench.pages import test_client, write_results
from indicators import composite
from indicators.composite_services import compute_results, default_method, matrix
from indicators.models import Framework, Indicator, Measurement, Rollup
from indicators.services import rebuild_rollups
from indicators.values import yearly
from labs.models import Lab
from practices.models import Practice, Theme

CODE = "bench-indicators"
PREFIX = "bench-ind-"
DIMENSIONS = ["social", "economic", "environmental", "governance", "cultural"]


def generate(*, n: int, labs: int, indicators: int, years: int) -> tuple[Framework, float, float]:
    """The framework, Labs and practices, then -n approved values in one statement; returns the framework and the
    seconds the load and the rollups' rebuild took."""
    first_year = datetime.date.today().year - years
    per_subject = indicators * years * 12
    practices_needed = -(-n // per_subject)  # ceiling
    theme = Theme.objects.values_list("pk", flat=True).first()
    with transaction.atomic():
        framework = Framework.objects.create(
            code=CODE,
            name="Bench indicators",
            index_name="Bench index",
            published=True,
            starts_on=datetime.date(first_year, 1, 1),
            method={"normalisation": "goalposts", "aggregation": {"dimension": "arithmetic", "index": "geometric"}},
        )
        dims = [
            framework.dimensions.create(code=code, name=code.title(), position=i) for i, code in enumerate(DIMENSIONS)
        ]
        Indicator.objects.bulk_create(
            Indicator(
                framework=framework,
                dimension=dims[i % len(dims)],
                code=f"B{i:02}",
                name=f"Bench indicator {i}",
                type="percentage" if i % 4 == 3 else "count",
                factor=100 if i % 4 == 3 else 1,
                level="practice",
                frequency="month",
                goal_min=0,
                goal_max=100 if i % 4 == 3 else 10000,
                position=i,
            )
            for i in range(indicators)
        )
        made = Lab.objects.bulk_create(
            Lab(name=f"Bench indicators Lab {k:03}", slug=f"{PREFIX}{k:03}", country="IT", city="Bench")
            for k in range(labs)
        )
        Practice.objects.bulk_create(
            Practice(
                title=f"Bench indicators practice {k}",
                slug=f"{PREFIX}p-{k}",
                lab=made[k % labs],
                state="published",
                primary_theme_id=theme,
                country="IT",
                source=CODE,
                source_id=str(k),
            )
            for k in range(practices_needed)
        )
    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        # One row per practice, indicator and month, until -n: counts from a smooth pseudo-random pattern (so Labs
        # differ), percentages from a numerator and a denominator. Approved, as after a review.
        cursor.execute(
            """
            INSERT INTO indicators_measurement (
              indicator_id, lab_id, practice_id, country, period_type, period_start, period_end, value, numerator,
              denominator, text, disaggregation, source, comment, evidence, state, review_note, created_at,
              updated_at, state_changed_at)
            SELECT i.id, p.lab_id, p.id, '', 'month', m::date, (m + interval '1 month - 1 day')::date,
                   CASE WHEN i.type = 'percentage' THEN 100.0 * num / den ELSE num END,
                   CASE WHEN i.type = 'percentage' THEN num END,
                   CASE WHEN i.type = 'percentage' THEN den END,
                   '', '{}', 'bench', '', '', 'approved', '', now(), now(), now()
              FROM (SELECT id, lab_id FROM practices_practice WHERE source = %(code)s ORDER BY id LIMIT %(practices)s) p
             CROSS JOIN (SELECT id, type FROM indicators_indicator WHERE framework_id = %(framework)s) i
             CROSS JOIN generate_series(%(start)s::date, %(end)s::date, interval '1 month') m
             CROSS JOIN LATERAL (
               SELECT (abs(hashtext(p.id || ':' || i.id || ':' || m)) %% 200)::float8 AS num,
                      (200 + abs(hashtext(i.id || ':' || p.id || ':' || m)) %% 100)::float8 AS den
             ) v
             ORDER BY p.id, i.id, m
             LIMIT %(n)s
            """,
            {
                "code": CODE,
                "practices": practices_needed,
                "framework": framework.pk,
                "start": datetime.date(first_year, 1, 1),
                "end": datetime.date(first_year + years - 1, 12, 1),
                "n": n,
            },
        )
    loaded = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE indicators_measurement")
    began = time.perf_counter()
    rebuild_rollups(list(framework.indicators.values_list("pk", flat=True)))
    rebuilt = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE indicators_rollup")
    return framework, loaded, rebuilt


def clear() -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM indicators_measurement WHERE indicator_id IN (SELECT i.id FROM indicators_indicator i "
            "JOIN indicators_framework f ON f.id = i.framework_id WHERE f.code = %s)",
            [CODE],
        )
        Framework.objects.filter(code=CODE).delete()  # its indicators, dimensions, rollups and runs with it
        Practice.objects.filter(source=CODE).delete()
        Lab.objects.filter(slug__startswith=PREFIX).delete()


ROLLUP_SQL = """
SELECT indicator_id, lab_id, country, year, count, total, numerator, denominator, latest
  FROM indicators_rollup WHERE indicator_id = ANY(%(indicators)s)
"""
NAIVE_SQL = """
SELECT indicator_id, lab_id, country, extract(year FROM period_start)::int AS year, count(*), sum(value),
       sum(numerator), sum(denominator)
  FROM indicators_measurement
 WHERE state = 'approved' AND indicator_id = ANY(%(indicators)s)
 GROUP BY indicator_id, lab_id, country, year
"""


def explain(sql: str, params: dict) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return [row[0] for row in cursor.fetchall()]


def coordinator():
    from django.contrib.auth import get_user_model

    user, _created = get_user_model().objects.get_or_create(
        email="bench-indicators@example.org", defaults={"is_coordinator": True, "display_name": "Bench coordinator"}
    )
    return user


def measure(framework: Framework, samples: int) -> tuple[list[dict], dict]:
    client = test_client()
    client.force_login(coordinator())
    page = f"/en/indicators/dashboard/?framework={CODE}"
    first = client.get(page)
    assert first.status_code == 200, first.status_code
    with CaptureQueriesContext(connection) as captured:
        client.get(page)
    statements = [re.sub(r"^DECLARE .*? CURSOR (WITH HOLD )?FOR ", "", q["sql"]) for q in captured.captured_queries]
    scans = [sql for sql in statements if _seq_scan_of_measurements(sql)]

    def replay():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()

    indicators = list(framework.indicators.all())
    params = {"indicators": [i.pk for i in indicators]}

    def run(sql):
        def go():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()

        return go

    year = Rollup.objects.filter(indicator__framework=framework).aggregate(last=Max("year"))["last"]
    method = default_method(framework)
    table, subjects, spec = matrix(framework, level="lab", year=year)

    timings = {name: [] for name in ("page", "yearly", "sql", "rollups", "naive", "composite", "engine")}
    for sample in range(samples):
        timings["page"].append(timed(lambda: client.get(page)))
        timings["yearly"].append(timed(lambda: yearly(indicators)))
        timings["sql"].append(timed(replay))
        timings["rollups"].append(timed(run(ROLLUP_SQL)))
        if sample < max(3, samples // 4):  # seconds each: fewer samples
            timings["naive"].append(timed(run(NAIVE_SQL)))
        timings["composite"].append(
            timed(lambda: compute_results(framework, level="lab", year=year, method=method.to_json()))
        )
        timings["engine"].append(timed(lambda: composite.compute(table, subjects, spec, method)))
    rows = [
        summary(f"dashboard page, {len(first.content) // 1024} KiB, {len(statements)} queries", timings["page"]),
        summary("yearly() alone (rollups + Python)", timings["yearly"]),
        summary(f"the dashboard's {len(statements)} SQL queries alone", timings["sql"]),
        summary("the rollup query alone", timings["rollups"]),
        summary("naive peer: GROUP BY over the measurements", timings["naive"]),
        summary(f"composite index, {len(subjects)} Labs × {len(spec.codes)} indicators, {year}", timings["composite"]),
        summary("the engine alone on the same matrix", timings["engine"]),
    ]
    sql_p50 = rows[2]["p50_ms"] or 1
    for row in rows:
        row["ratio_to_sql_p50"] = round(row["p50_ms"] / sql_p50, 2)
        print(f"{row['measure']:<64} {row['ratio_to_sql_p50']:>8.2f} × the dashboard's SQL alone (p50)")
    plans = {"rollups": explain(ROLLUP_SQL, params), "naive": explain(NAIVE_SQL, params)}
    for name, plan in plans.items():
        print(f"\nEXPLAIN {name}:\n  " + "\n  ".join(plan))
    print(f"\ndashboard queries that scan indicators_measurement: {len(scans)}")
    for sql in scans:
        print("  " + sql[:200])
    return rows, plans | {"dashboard_scans_of_measurements": scans}


def _seq_scan_of_measurements(sql: str) -> bool:
    if "indicators_measurement" not in sql or not sql.lstrip().upper().startswith("SELECT"):
        return False
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        return any("Seq Scan on indicators_measurement" in row[0] for row in cursor.fetchall())


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench indicators")
    parser.add_argument("-n", type=int, default=1_000_000, help="measurements")
    parser.add_argument("--labs", type=int, default=50)
    parser.add_argument("--indicators", type=int, default=40)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the generated rows")
    args = parser.parse_args(argv)
    clear()
    framework, loaded, rebuilt = generate(n=args.n, labs=args.labs, indicators=args.indicators, years=args.years)
    count = Measurement.objects.filter(indicator__framework=framework).count()
    rollups = Rollup.objects.filter(indicator__framework=framework).count()
    print(f"{count} measurements loaded in {loaded:.1f} s; {rollups} rollup rows rebuilt in {rebuilt:.1f} s")
    try:
        rows, plans = measure(framework, args.samples)
    finally:
        if not args.keep:
            clear()
    write_results(
        "indicators",
        {
            "measurements": count,
            "labs": args.labs,
            "indicators": args.indicators,
            "years": args.years,
            "load_s": round(loaded, 2),
            "rebuild_rollups_s": round(rebuilt, 2),
            "rollup_rows": rollups,
            "rows": rows,
            "plans": plans,
        },
    )
