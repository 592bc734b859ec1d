"""The EXPLAIN section of the benchmark report: for each hot request, its slowest queries' plans, key lines only.

    .venv/bin/python -m bench.explain    # prints the Markdown (DATABASE_URL: the bench database)

`section(connection)` asks each page of the bench scenarios once through Django's test client (as a visitor, the
caches switched off so every query runs), records the SQL it sends, and runs EXPLAIN (ANALYZE, BUFFERS) on its
slowest SELECTs: which index each scan uses (or a Seq Scan), how many rows it reads and removes, sorts, and the
execution time. So the report shows that the indexes of issue 11 are the ones the planner picks at each size.
"""

import argparse
import math
import re
from collections.abc import Callable

PLANS_PER_REQUEST = 2
SLOWEST_SHOWN_MS = 0.5  # faster queries are listed in the count, not explained

# Plan lines worth a reader's eye: scans and the index they use, row counts, sorts and spills, loops, the total.
KEY_LINE = re.compile(
    r"(Scan|Index Cond|Order By|Sort Method|Sort Key|Rows Removed|Heap Fetches|Limit|Aggregate|Hash Join|Nested Loop"
    r"|Merge Join|Memoize|Execution Time|Disk|Workers)"
)


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return z, min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def default_paths(manifest: dict) -> dict[str, str]:
    """One URL per hot request, from the generated dataset's manifest (bench.generate.manifest())."""
    from practices.models import Practice

    slugs = manifest.get("sample_practices") or []
    practice = Practice.objects.filter(slug__in=slugs[:1], location__isnull=False).first()
    paths: dict[str, str] = {}
    if practice:
        paths["practice page (related practices by KNN)"] = practice.get_absolute_url()
        lon, lat = practice.location.x, practice.location.y
        for z in (4, 8, 12):
            z, x, y = tile_of(lon, lat, z)
            paths[f"tile z{z}"] = f"/tiles/practices/{z}/{x}/{y}.geojson"
        box = f"{lon - 0.5:.4f},{lat - 0.3:.4f},{lon + 0.5:.4f},{lat + 0.3:.4f}"
        paths["map result list (a city's box)"] = f"/en/map/results/?bbox={box}"
        paths["GeoJSON bbox page (/api/v1/)"] = f"/api/v1/practices/?format=geojson&bbox={box}&page_size=1000"
    paths["search, a common word"] = f"/en/search/?q={manifest.get('search_word') or 'practice'}"
    paths["map result list, one small country"] = "/en/map/results/?country=MT"
    for lab in (manifest.get("labs") or [])[:1]:
        paths["Lab page"] = f"/en/labs/{lab}/"
    paths["library search"] = f"/en/library/?q={manifest.get('library_word') or 'energy'}"
    if manifest.get("network"):
        paths["network page"] = f"/en/networks/{manifest['network']}/"
        paths["network metrics"] = f"/en/networks/analysis/?network={manifest['network']}"
    paths["CSV export, one country"] = "/en/practices/export.csv?country=IT"
    return paths


def captured(path: str) -> tuple[int, list[dict]]:
    """The status and the queries of one anonymous GET of `path`, every cache off, a streamed body read to its end."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    dummy = {alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"} for alias in settings.CACHES}
    # The log keeps the last 9,000 queries of the connection: once full (a long bench run), a capture's slice of it
    # would be empty. Emptied first, it holds this request's queries alone.
    connection.queries_log.clear()
    with override_settings(CACHES=dummy, ALLOWED_HOSTS=["*"]), CaptureQueriesContext(connection) as queries:
        response = Client().get(path)
        if response.streaming:
            for _chunk in response.streaming_content:
                pass
    return response.status_code, list(queries.captured_queries)


def explain(connection, sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return [row[0] for row in cursor.fetchall()]


def key_lines(plan: list[str]) -> list[str]:
    return [line.rstrip()[:160] for line in plan if KEY_LINE.search(line)]


def summary(plan: list[str]) -> tuple[str, str]:
    """The indexes the plan reads (or "Seq Scan on ..."), and its execution time."""
    used = []
    for line in plan:
        found = re.search(r"((?:Parallel )?(?:Index Only Scan|Index Scan) (?:Backward )?using \S+"
                          r"|Bitmap Index Scan on \S+|(?:Parallel )?Seq Scan on \S+)", line)  # fmt: skip
        if found and found.group(1) not in used:
            used.append(found.group(1))
    total = next((line.split(":", 1)[1].strip() for line in plan if line.startswith("Execution Time")), "")
    return "; ".join(used) or "no table scan", total


def section(connection, paths: dict[str, str] | None = None, *, progress: Callable[[str], None] | None = None) -> str:
    """Markdown: per request, its queries and the plans of the slowest (see the module's docstring)."""
    if paths is None:
        from bench.generate import manifest

        paths = default_paths(manifest())
    lines = [
        "## Query plans",
        "",
        "Each request asked once as a visitor with the caches off; its slowest SELECTs under EXPLAIN (ANALYZE, "
        "BUFFERS) (`python -m bench.explain`). Times are those of the plan, on the machine described above.",
        "",
        "| request | queries | SQL total (ms) | slowest query: indexes read | its execution time |",
        "|---|---|---|---|---|",
    ]
    details = []
    for name, path in paths.items():
        if progress:
            progress(name)
        try:
            status, queries = captured(path)
        except Exception as error:  # a scenario the database cannot serve (e.g. not migrated): said, not fatal
            lines.append(f"| {name} | failed: {type(error).__name__}: {str(error).splitlines()[0][:80]} | | | |")
            continue
        selects = [q for q in queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
        total = sum(float(q["time"]) for q in queries) * 1000
        slowest = sorted(selects, key=lambda q: float(q["time"]), reverse=True)[:PLANS_PER_REQUEST]
        slowest = [q for q in slowest if float(q["time"]) * 1000 >= SLOWEST_SHOWN_MS] or slowest[:1]
        plans = [explain(connection, q["sql"]) for q in slowest]
        used, took = summary(plans[0]) if plans else ("no query", "")
        label = name if status == 200 else f"{name} (HTTP {status})"
        lines.append(f"| {label} | {len(queries)} | {total:.1f} | {used} | {took} |")
        details += ["", f"### {name}", "", f"`GET {path}`: {len(queries)} queries, {total:.1f} ms of SQL."]
        for query, plan in zip(slowest, plans, strict=True):
            details += ["", f"{float(query['time']) * 1000:.1f} ms: `{query['sql'][:200]}…`", "", "```"]
            details += key_lines(plan) + ["```"]
    return "\n".join(lines + details) + "\n"


def main(argv: list[str] | None = None) -> None:
    import django

    parser = argparse.ArgumentParser(prog="python -m bench.explain", description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    django.setup()
    from django.db import connection

    print(section(connection))


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conect.settings")
    main()
