"""Every scenario of issue 11 at one data size, against gunicorn, beside the peers, the SQL alone and the code before.

    .venv/bin/python -m bench run [--size 10000] [--no-peers] [--before 70891b4 | --no-before] [--samples 200]
                                  [--cold-samples 30] [--concurrency 1] [--no-browser] [--database URL]

`make bench` runs it. Its own database (postgis://conect@127.0.0.1:$CONECT_PG_PORT/conect_bench_<size>, or
BENCH_DATABASE_URL, or --database) is created, migrated and filled by bench.generate.ensure(size) (a top-up: a second
run adds nothing). Then, each server started here on a loopback port:
- ours: this code under gunicorn (2 sync workers, DEBUG off, the shared cache in Redis when redis-server is there,
  statement_timeout 10 s on its connections);
- before: the code of --before REV (default 70891b4, the commit before issue 11), from `git archive`, on the same
  database, the same way; a path it does not answer with 200 is left out;
- TiPg 1.6.1 (tiles, bbox items, one feature) and pygeoapi 0.21 (bbox items, one feature) on the view of the
  published practices (bench/peers/install.sh installs them; --no-peers leaves them out);
- sql: the request's own queries, captured in a process of our code and replayed on a cursor (the database's floor).

Warm scenarios run wrk for about --samples requests after a warm-up and an idle-database wait; cold ones are
sequential requests timed here, the map version bumped before each (every cached tile then misses). For each:
p50/p95/p99, requests/s, errors, worker RSS before and after, PostgreSQL time per request (pg_stat_statements).
The raw results go to bench/results/<size>-<timestamp>.json; bench/report.py writes <size>.md and the plots.
"""

import argparse
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from django.db import connection

from bench import harness
from bench.harness import ROOT, Server

DEFAULT_BEFORE = "70891b4"
ZOOMS = (4, 8, 12)
SERVERS = ("ours", "before", "tipg", "pygeoapi", "sql")


# ---------------------------------------------------------------- the data


def ensure_data(size: int, *, seed: int = 1, progress: bool = True) -> dict:
    """h2's generator tops the database up to `size` practices (and the rest); its manifest says what it holds."""
    from bench import generate

    if hasattr(generate, "ensure"):
        return generate.ensure(size, seed=seed, progress=progress)
    return manifest_of_database()  # an older generator: measure what is there


def manifest_of_database() -> dict:
    """What a manifest would say, read from the database (the suite's test, or data made otherwise)."""
    from indicators.models import Framework, Measurement
    from labs.models import Lab
    from networks.models import Network
    from practices.models import Practice

    published = Practice.objects.filter(state="published")
    network = Network.objects.filter(state="published").order_by("-pk").first() if hasattr(Network, "state") else None
    network = network or Network.objects.order_by("-pk").first()
    framework = Framework.objects.order_by("-pk").first()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT slug FROM practices_practice WHERE state = 'published' AND location IS NOT NULL"
            " ORDER BY md5(slug) LIMIT 500"
        )
        sample = [row[0] for row in cursor.fetchall()]
    return {
        "practices": published.count(),
        "measurements": Measurement.objects.count(),
        "labs": list(Lab.objects.order_by("pk").values_list("slug", flat=True)[:20]),
        "network": network.slug if network else None,
        "framework": framework.pk if framework else None,
        "search_word": "practice",
        "library_word": "energy",
        "sample_practices": sample,
    }


def coordinates(slugs: list[str]) -> list[tuple[float, float]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_X(location), ST_Y(location) FROM practices_practice"
            " WHERE slug = ANY(%s) AND location IS NOT NULL ORDER BY md5(slug)",
            [slugs],
        )
        return cursor.fetchall()


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    lat = max(min(lat, 85.05), -85.05)
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def tiles(points: list[tuple[float, float]], z: int) -> list[tuple[int, int, int]]:
    """The tiles of the sampled practices at zoom z, repeats kept: busy tiles come up as often as they are busy."""
    return [(z, *tile_of(lon, lat, z)) for lon, lat in points]


def bump_map_version() -> None:
    from practices.mapcache import bump_map_version as bump

    bump()


def bump_map_version_and_close() -> None:
    from django.db import connection as thread_connection

    try:
        bump_map_version()
    finally:
        thread_connection.close()


def coordinator_cookie() -> dict:
    """A coordinator of the bench database and a session of theirs, as the Cookie header our servers read."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _created = get_user_model().objects.get_or_create(
        email="bench-coordinator@example.org", defaults={"display_name": "Bench coordinator"}
    )
    if not getattr(user, "is_coordinator", True):
        user.is_coordinator = True
        user.save(update_fields=["is_coordinator"])
    client = Client()
    client.force_login(user)  # the session is written to the database (cached_db), which every server reads
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"}


def export_filter(target: int = 100_000) -> str:
    """Countries whose published practices add up to about `target` rows (all of them when there are fewer)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT country, count(*) FROM practices_practice WHERE state = 'published' GROUP BY country"
            " ORDER BY count(*) DESC"
        )
        counts = cursor.fetchall()
    if sum(n for _, n in counts) <= target:
        return ""
    chosen, total = [], 0
    for country, n in sorted(counts, key=lambda c: c[1]):
        if total + n > target * 1.1:
            continue
        chosen.append(country)
        total += n
    return "&".join(f"country={c}" for c in chosen)


def filters(manifest: dict) -> dict[str, str]:
    """One value of every filter the map's form offers (practices.filters.PracticeFilter)."""
    from practices.models import SDG, Theme
    from practices.vocabularies import PracticeStatus, ResilienceDimension, Scale, TargetGroup

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT country FROM practices_practice WHERE state = 'published' GROUP BY country"
            " ORDER BY count(*) DESC LIMIT 1"
        )
        country = (cursor.fetchone() or ["DE"])[0]
    theme = Theme.objects.order_by("pk").first()
    sdg = SDG.objects.order_by("pk").values_list("pk", flat=True).first()
    chosen = {
        "theme": f"theme={theme.slug}" if theme else "",
        "sdg": f"sdg={sdg}" if sdg else "",
        "dimension": f"dimension={ResilienceDimension.values[0]}",
        "target_group": f"target_group={TargetGroup.values[0]}",
        "country": f"country={country}",
        "lab": f"lab={manifest['labs'][0]}" if manifest.get("labs") else "",
        "status": f"status={PracticeStatus.values[0]}",
        "scale": f"scale={Scale.values[0]}",
        "q": f"q={manifest.get('search_word') or 'practice'}",
    }
    return {k: v for k, v in chosen.items() if v}


# ---------------------------------------------------------------- the scenarios


def scenarios(manifest: dict, samples: int, tile_concurrency: tuple[int, ...] = (8,)) -> list[dict]:
    """Each scenario: name, group, kind (warm: wrk; cold: sequential, map version bumped before each; hit: wrk on one
    path; browser; export; task), and the paths each kind of server answers it with. The warm tiles, ours and TiPg's,
    again at each of `tile_concurrency`'s connections (throughput at one connection is one request after another)."""
    from bench.api import bbox_text, boxes

    slugs = manifest.get("sample_practices") or []
    points = coordinates(slugs)
    tipg = f"/collections/{harness.TIPG_COLLECTION}"
    out: list[dict] = []
    for z in ZOOMS:
        zxy = tiles(points, z)
        ours = [f"/tiles/practices/{z}/{x}/{y}.geojson" for z, x, y in zxy]
        # TiPg's vector tile with the properties ours carries (by default it encodes every column, descriptions too)
        peer = [f"{tipg}/tiles/WebMercatorQuad/{z}/{x}/{y}?properties=slug,title" for z, x, y in zxy]
        paths = {"ours": ours, "before": ours, "tipg": peer, "sql": ours}
        out.append({"name": f"tile z{z}, cold", "group": "tiles", "kind": "cold", "paths": paths})
        out.append(
            {
                "name": f"tile z{z}, warm",
                "group": "tiles",
                "kind": "warm",
                "paths": {k: v for k, v in paths.items() if k != "sql"},
            }
        )  # fmt: skip  (a cache hit: no SQL)
        for c in tile_concurrency:
            out.append({"name": f"tile z{z}, warm, {c} connections", "group": "tiles", "kind": "warm",
                        "concurrency": c, "paths": {"ours": ours, "tipg": peer}})  # fmt: skip
    z8 = tiles(points, 8)[:1]
    if z8:
        one = [f"/tiles/practices/{z}/{x}/{y}.geojson" for z, x, y in z8]
        out.append({"name": "tile cache hit (one z8 tile)", "group": "tiles", "kind": "hit",
                    "paths": {"ours": one, "before": one}})  # fmt: skip
    for name, query in filters(manifest).items():
        for z in (4, 8):
            paths = [f"/tiles/practices/{z}/{x}/{y}.geojson?{query}" for z, x, y in tiles(points, z)]
            out.append({"name": f"map z{z}, filter {name}", "group": "map filters", "kind": "cold",
                        "paths": {"ours": paths, "before": paths, "sql": paths}})  # fmt: skip
    out.append({"name": "first marker in Chromium, cold", "group": "browser", "kind": "browser", "cold": True,
                "paths": {"ours": ["/en/map/"], "before": ["/en/map/"]}})  # fmt: skip
    out.append({"name": "first marker in Chromium, warm", "group": "browser", "kind": "browser", "cold": False,
                "paths": {"ours": ["/en/map/"], "before": ["/en/map/"]}})  # fmt: skip
    bbs = boxes()
    page = [f"/api/v1/practices/?format=geojson&bbox={bbox_text(b)}&page_size=1000" for b in bbs]
    ogc = [f"/ogc/collections/practices/items?bbox={bbox_text(b)}&limit=1000" for b in bbs]
    out.append({"name": "GeoJSON bbox page (/api/v1/, 1,000)", "group": "API", "kind": "warm",
                "paths": {"ours": page, "before": page, "sql": page,
                          "tipg": [f"{tipg}/items?bbox={bbox_text(b)}&limit=1000" for b in bbs],
                          "pygeoapi": [f"/collections/practices/items?bbox={bbox_text(b)}&limit=1000&f=json"
                                       for b in bbs]}})  # fmt: skip
    out.append({"name": "OGC items page (1,000)", "group": "API", "kind": "warm",
                "paths": {"ours": ogc, "before": ogc, "sql": ogc}})  # fmt: skip
    one = [f"/ogc/collections/practices/items/{s}" for s in slugs[:200]]
    out.append({"name": "one feature (OGC)", "group": "API", "kind": "warm",
                "paths": {"ours": one, "before": one, "sql": one,
                          "tipg": [f"{tipg}/items/{s}" for s in slugs[:200]],
                          "pygeoapi": [f"/collections/practices/items/{s}?f=json" for s in slugs[:200]]}})  # fmt: skip
    pages = {
        "practice page": [f"/en/practices/{s}/" for s in slugs[:200]],
        "search, a common word": [f"/en/search/?q={manifest.get('search_word') or 'practice'}"],
        "map result list": [f"/en/map/results/?bbox={bbox_text(b)}" for b in bbs],
        "Lab page": [f"/en/labs/{s}/" for s in (manifest.get("labs") or [])[:20]],
        "library search": [f"/en/library/?q={manifest.get('library_word') or 'energy'}"],
    }
    if manifest.get("network"):
        pages["network page"] = [f"/en/networks/{manifest['network']}/"]
        pages["network metrics"] = [f"/en/networks/analysis/?network={manifest['network']}"]
    for name, paths in pages.items():
        if paths:
            out.append({"name": name, "group": "pages", "kind": "warm",
                        "paths": {"ours": paths, "before": paths, "sql": paths}})  # fmt: skip
    framework = framework_code(manifest.get("framework"))
    if framework:
        dashboard = [f"/en/indicators/dashboard/?framework={framework}"]
        out.append({"name": "cross-Lab dashboard (coordinator)", "group": "indicators", "kind": "warm",
                    "login": True, "paths": {"ours": dashboard, "before": dashboard}})  # fmt: skip
        out.append({"name": "composite index, computed on the task queue", "group": "indicators", "kind": "task",
                    "task": "composite", "paths": {"ours": ["(task)"]}})  # fmt: skip
    query = export_filter()
    export = [f"/en/practices/export.csv?{query}" if query else "/en/practices/export.csv"]
    out.append({"name": "CSV export (up to 100k rows, streamed)", "group": "exports", "kind": "export",
                "paths": {"ours": export, "before": export}})  # fmt: skip
    out.append({"name": "SUSY import on the task queue", "group": "imports", "kind": "task", "task": "import",
                "paths": {"ours": ["(task)"]}})  # fmt: skip
    return out


def framework_code(pk) -> str:
    if not pk:
        return ""
    from indicators.models import Framework

    framework = Framework.objects.filter(pk=pk).first()
    return framework.code if framework else ""


# ---------------------------------------------------------------- measuring


class Run:
    """The servers of one run and how to measure a scenario on each."""

    def __init__(self, args, manifest: dict, logs: Path):
        self.args, self.manifest, self.logs = args, manifest, logs
        self.servers: dict[str, Server] = {}
        self.trees: dict[str, Path] = {"ours": ROOT}
        self.skipped: dict[str, str] = {}
        self.redis: harness.RedisServer | None = None
        self.pg = False
        self.headers: dict = {}
        self.own: dict[str, list] = {}
        self.pg_since: dict = {}
        self.idle_waits = self.idle_timeouts = 0
        self.idle_seconds = 0.0

    # -- set-up and tear-down
    def start(self) -> None:
        db = harness.database()
        if shutil.which("redis-server") and not self.args.no_redis:
            self.redis = harness.RedisServer(self.logs).start()
        redis_url = self.redis.base if self.redis else ""
        self.servers["ours"] = harness.conect_server(ROOT, db, self.logs, redis_url=redis_url, name="ours").start()
        if self.args.before:
            tree = harness.archive_tree(self.args.before)
            self.trees["before"] = tree
            self.servers["before"] = harness.conect_server(tree, db, self.logs, redis_url=redis_url,
                                                           name="before").start()  # fmt: skip
        if self.args.peers:
            print("the peers: bench/peers/install.sh (pip, the first time a minute or two), then TiPg and pygeoapi",
                  flush=True)  # fmt: skip
            failure = harness.install_peers()
            if failure:
                self.skipped["tipg"] = self.skipped["pygeoapi"] = failure
            else:
                self.servers["tipg"] = harness.tipg_server(db, self.logs).start()
                self.servers["pygeoapi"] = harness.pygeoapi_server(db, self.logs).start()
        self.pg = harness.pg_statements_ready()
        self.headers = coordinator_cookie()

    def capture(self, scenarios: list[dict]) -> None:
        """Every scenario's own queries, captured at once in one process of our code (the SQL-alone rows)."""
        wanted = [(s["name"], s["kind"] == "cold", s["paths"]["sql"][: self.args.sql_paths]) for s in scenarios
                  if s["paths"].get("sql")]  # fmt: skip
        requests = [(cold, path) for _name, cold, paths in wanted for path in paths]
        captured = iter(capture_queries(ROOT, requests))
        for name, _cold, paths in wanted:
            self.own[name] = [next(captured, []) for _ in paths]

    def stop(self) -> None:
        for server in self.servers.values():
            server.stop()
        if self.redis is not None:
            self.redis.stop()

    # -- one scenario on every server that answers it
    def measure(self, scenario: dict) -> list[dict]:
        rows = []
        for key in SERVERS:
            paths = scenario["paths"].get(key)
            if not paths or (key != "sql" and key not in self.servers):
                continue
            try:
                row = self.one(scenario, key, paths)
            except Exception as error:  # noqa: BLE001 - a failure is a row of the report, not the end of the run
                row = {"error": f"{type(error).__name__}: {error}"[:300]}
            if row is None:
                continue
            row = {"scenario": scenario["name"], "group": scenario["group"], "kind": scenario["kind"],
                   "server": key, **row}  # fmt: skip
            rows.append(row)
            print_row(row)
        return rows

    def one(self, scenario: dict, key: str, paths: list[str]) -> dict | None:
        kind = scenario["kind"]
        headers = self.headers if scenario.get("login") else {}
        concurrency = scenario.get("concurrency") or self.args.concurrency
        if key == "sql":
            return self.sql_alone(scenario, paths)
        server = self.servers[key]
        if kind == "task":
            return self.task(scenario["task"]) if key == "ours" else None
        status, _body = harness.get(server.base + paths[0], headers)
        if status != 200:
            if key == "ours":
                return {"error": f"{paths[0]} answered {status or 'nothing'}"}
            self.skipped[f"{scenario['name']} ({key})"] = f"{paths[0]} answered {status or 'nothing'}"
            return None
        if kind == "browser":
            return self.browser(server, scenario["cold"])
        if kind == "export":
            return self.export(server, paths[0])
        rss_before = server.rss_mib()
        if kind == "cold":  # sequential requests (TiPg caches nothing: every tile of its is computed, a bump or not)
            n = self.args.filter_samples if scenario["group"] == "map filters" else self.args.cold_samples
            latencies, errors = [], 0
            self.wait_idle()
            self.pg_reset()
            for i in range(n):
                bump_map_version()
                ms, status, _ = harness.timed_get(server.base + paths[i % len(paths)], headers)
                latencies.append(ms)
                errors += status != 200
            result = harness.summarise(latencies, errors)
            result["pg_ms"] = self.pg_per(n)
        else:
            if kind == "hit":
                harness.get(server.base + paths[0], headers)
            if scenario["group"] == "tiles" and key in ("ours", "before"):  # warm: every tile of the rotation cached
                for path in dict.fromkeys(paths):
                    harness.get(server.base + path, headers)
            seconds = self.args.min_seconds
            if self.args.warm_seconds > 0:  # the warm-up, and how long --samples requests take
                warm = harness.wrk(server.base, paths, concurrency, self.args.warm_seconds, headers)
                seconds = min(self.args.max_seconds, max(seconds, self.args.samples / max(warm["rps"], 0.1)))
            else:
                for path in paths[:20]:
                    harness.get(server.base + path, headers)
            self.wait_idle()
            self.pg_reset()
            result = harness.wrk(server.base, paths, concurrency, seconds, headers)
            result["connections"] = concurrency
            result["pg_ms"] = self.pg_per(result["requests"])
        return {**result, "rss_before": rss_before, "rss_after": server.rss_mib()}

    def pg_reset(self) -> None:
        if self.pg:
            self.pg_since = harness.pg_reset()

    def pg_per(self, requests: int) -> float | None:
        if not self.pg or not requests:
            return None
        return round(harness.pg_total_ms(self.pg_since) / requests, 2)

    def wait_idle(self) -> None:
        """The wait for an idle database; how often it timed out (other clients of the cluster) goes in the report."""
        self.idle_waits += 1
        began = time.perf_counter()
        if not harness.wait_idle(self.args.idle_timeout) and self.args.idle_timeout > 0:
            self.idle_timeouts += 1
        self.idle_seconds += time.perf_counter() - began

    def sql_alone(self, scenario: dict, paths: list[str]) -> dict | None:
        """The request's own queries (captured in a process of our code: the first request after a bump for a cold
        scenario), replayed on a cursor one request after another."""
        from bench.api import sql_alone

        cold = scenario["kind"] == "cold"
        captured = self.own.get(scenario["name"])
        if not captured or not all(captured):
            return None
        self.wait_idle()
        self.pg_reset()
        n = self.args.cold_samples if cold else max(20, self.args.samples // 2)
        result = sql_alone(None, captured, 1, n)
        return {**result, "p99_ms": result["p95_ms"], "pg_ms": self.pg_per(result["requests"]),
                "queries": len(captured[0])}  # fmt: skip

    def browser(self, server: Server, cold: bool) -> dict:
        return first_marker(server.base, self.args.browser_samples, cold)

    def export(self, server: Server, path: str) -> dict:
        """The CSV streamed once or more, the workers' memory sampled every 50 ms during it: the peak."""
        rss_before = server.rss_mib()
        peak, stop = [max(rss_before or [0])], threading.Event()

        def sample():
            while not stop.is_set():
                peak.append(max(server.rss_mib() or [0]))
                time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        latencies, errors, size = [], 0, 0
        for _ in range(self.args.export_samples):
            ms, status, body = harness.timed_get(server.base + path)
            latencies.append(ms)
            errors += status != 200
            size = len(body)
        stop.set()
        sampler.join()
        rows = max(0, size and body.count(b"\n") - 1)
        return {**harness.summarise(latencies, errors), "rss_before": rss_before, "rss_after": server.rss_mib(),
                "rss_peak": max(peak), "bytes": size, "rows": rows}  # fmt: skip

    def task(self, which: str) -> dict:
        """Time from putting the job on the task queue to done, one db_worker of our code running it."""
        log = self.logs / "db_worker.log"
        seen = log.read_text().count("Starting worker") if log.exists() else 0
        worker = harness.task_worker(ROOT, harness.database(), self.logs, self.redis.base if self.redis else "")
        deadline = time.monotonic() + 60  # timed from asking, not from the worker's own start (Django's set-up)
        while time.monotonic() < deadline and worker.poll() is None:
            if log.exists() and log.read_text().count("Starting worker") > seen:
                break
            time.sleep(0.1)
        try:
            latencies, errors, detail = [], 0, {}
            samples = self.args.task_samples
            if which == "composite":
                # A worker that serves people has been up for a while: its first task (after upstream's random start-up
                # delay of up to a second, and the imports of the index's code) is not timed; then several, each cheap.
                run_composite(self.args.task_timeout)
                samples = self.args.composite_samples
            for _ in range(samples):
                if which == "import":
                    ms, ok, detail = run_import(self.args.task_timeout, self.args.import_file)
                else:
                    ms, ok, detail = run_composite(self.args.task_timeout)
                latencies.append(ms)
                errors += not ok
            return {**harness.summarise(latencies, errors), **detail}
        finally:
            harness.stop_process(worker)


CAPTURE = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from practices.mapcache import bump_map_version
from django.core.management import call_command
call_command("createcachetable", verbosity=0)
settings.ALLOWED_HOSTS = ["*"]
client, out = Client(), []
for cold, path in json.load(sys.stdin):
    client.get(path)
    if cold:
        bump_map_version()
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    out.append([q["sql"] for q in queries.captured_queries])
print(json.dumps(out))
"""
LEFT_OUT = ("conect_cache", "partners_throttlecounter", "django_session", "practices_mapversion SET")


def capture_queries(tree: Path, requests: list[tuple[bool, str]]) -> list[list[tuple[str, None]]]:
    """The queries the code in `tree` runs for each (cold, path): after a bump of the map version when cold; the
    cache table's and the session's left out."""
    if not requests:
        return []
    env = harness.served_env(harness.database(), anon_rate="")
    env["DATABASE_URL"] = "postgis://" + harness.database_url(harness.database()).removeprefix("postgresql://")
    env["REDIS_URL"] = ""
    run = subprocess.run([sys.executable, "-c", CAPTURE], cwd=tree, env=env, capture_output=True, text=True,
                         input=json.dumps(requests))  # fmt: skip
    if run.returncode != 0:
        print(f"could not capture the queries: {run.stderr.strip()[-300:]}")
        return []

    def keep(sql: str) -> bool:
        return not any(t in sql for t in LEFT_OUT) and sql not in ("BEGIN", "COMMIT", "ROLLBACK")

    return [[(sql, None) for sql in queries if keep(sql)] for queries in json.loads(run.stdout.splitlines()[-1])]


FIRST_MARKER = """
window.__firstMarker = null;
new MutationObserver((changes, observer) => {
  if (document.querySelector(".leaflet-marker-icon, .leaflet-overlay-pane path.leaflet-interactive")) {
    window.__firstMarker = performance.now();
    observer.disconnect();
  }
}).observe(document, {subtree: true, childList: true});
"""


def first_marker(base: str, samples: int, cold: bool) -> dict:
    """From navigation start to the first cluster marker on /en/map/, in Debian's chromium (headless): cold, a fresh
    browser context and the map version bumped (every tile computed again); warm, a fresh context, tiles cached."""
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CONECT_CHROMIUM", "/usr/bin/chromium")
    if not shutil.which(chromium):
        return {"error": f"{chromium} is missing"}
    latencies, errors = [], 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        )
        try:
            for _ in range(samples + (0 if cold else 1)):
                if cold:  # Django's ORM refuses to run in Playwright's event loop: in a thread of its own
                    with ThreadPoolExecutor(1) as pool:
                        pool.submit(bump_map_version_and_close).result()
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                context.route(
                    "**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort()
                )  # fmt: skip  (the base map's tiles: none here)
                context.add_init_script(FIRST_MARKER)
                page = context.new_page()
                try:
                    page.goto(base + "/en/map/")
                    page.wait_for_function("window.__firstMarker !== null", timeout=60_000)
                    latencies.append(page.evaluate("window.__firstMarker"))
                except Exception:  # noqa: BLE001 - no marker within a minute: an error of the row
                    errors += 1
                context.close()
        finally:
            browser.close()
    if not cold and latencies:
        latencies = latencies[1:]  # the first visit filled the tile cache
    return harness.summarise(latencies, errors) | {"rps": None}  # one page load after another: no throughput


def coordinator():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(email="bench-coordinator@example.org")


SUSY = ROOT / "practices" / "data" / "susy-ssedas.geojson"


def run_import(timeout: float, path: Path = SUSY) -> tuple[float, bool, dict]:
    """practices/data/susy-ssedas.geojson through the web form's importer (practices.services.start_import), its dry
    run and its import on the task queue: milliseconds from the upload to done."""
    from django.core.files.base import ContentFile

    from practices import services
    from practices.models import ImportJob

    data = path.read_bytes()
    began = time.perf_counter()
    job = services.start_import(
        by=coordinator(), content=ContentFile(data, name=path.name), filename=path.name,
        lab=None, source=f"{IMPORT_SOURCE}{int(time.time())}", publish=True, europe_only=False, strict=False,
    )  # fmt: skip
    job = wait_job(job, lambda j: j.status not in ("waiting", "running"), timeout)
    if job.status == ImportJob.Status.PLANNED:
        services.queue_step(job, ImportJob.Step.APPLY, mapping=job.mapping or None)
        job = wait_job(job, lambda j: j.step == "apply" and j.status not in ("waiting", "running"), timeout)
    ms = (time.perf_counter() - began) * 1000
    ok = job.status == ImportJob.Status.IMPORTED
    remove_imported()
    return ms, ok, {"detail": f"{job.status}: {json.dumps(job.report or job.counts)[:200]}"}


IMPORT_SOURCE = "bench-susy-"


def remove_imported() -> int:
    """The practices the import scenario added (their source bench-susy-…), removed: the next run measures the size
    it says, not 1,794 more practices a run."""
    from practices.models import Practice

    deleted, _by_model = Practice.objects.filter(source__startswith=IMPORT_SOURCE).delete()
    return deleted


def wait_job(job, done, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if done(job):
            return job
        time.sleep(0.2)
    return job


def run_composite(timeout: float) -> tuple[float, bool, dict]:
    """A composite index over the framework's measurements (indicators.composite_services.request_composite, as the
    form asks for it), on the task queue: milliseconds from asking to done."""
    from indicators import composite_services
    from indicators.composite_views import initial_of
    from indicators.models import Composite, CompositeStatus, Framework

    framework = Framework.objects.order_by("-pk").first()
    years = composite_services.years_with_data(framework)
    level = initial_of(framework, None)["level"]  # the level the form offers first
    method = composite_services.default_method(framework)
    # The bench coordinator's earlier runs removed: asked again on the same data, the stored run answers at once
    Composite.objects.filter(framework=framework, requested_by=coordinator()).delete()
    began = time.perf_counter()
    run = composite_services.request_composite(framework=framework, level=level, year=years[0] if years else None,
                                               method=method, by=coordinator())  # fmt: skip
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status in (CompositeStatus.DONE, CompositeStatus.FAILED):
            break
        time.sleep(0.1)
    ms = (time.perf_counter() - began) * 1000
    return ms, run.status == CompositeStatus.DONE, {"detail": f"{run.status}, run {run.pk}, computed by the worker"}


def print_row(row: dict) -> None:
    if row.get("error"):
        print(f"{row['scenario']:<46} {row['server']:<8} ERROR {row['error']}", flush=True)
        return
    p = lambda v: f"{v:>9.2f}" if isinstance(v, int | float) else f"{'–':>9}"  # noqa: E731
    print(
        f"{row['scenario']:<46} {row['server']:<8} p50 {p(row.get('p50_ms'))} p95 {p(row.get('p95_ms'))}"
        f" p99 {p(row.get('p99_ms'))} ms {p(row.get('rps'))} req/s  {row.get('requests', 0)} requests,"
        f" {row.get('errors', 0)} errors, PG {row.get('pg_ms')} ms/request",
        flush=True,
    )


# ---------------------------------------------------------------- the run


def options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench run")
    parser.add_argument("--size", type=int, default=10_000, help="published practices (default 10,000)")
    parser.add_argument("--database", default="", help="the bench database's URL (default: conect_bench_<size>)")
    parser.add_argument("--no-peers", dest="peers", action="store_false", help="leave TiPg and pygeoapi out")
    parser.add_argument("--before", default=DEFAULT_BEFORE, help="the commit served as 'before' (the code we improved)")
    parser.add_argument("--no-before", dest="before", action="store_const", const="", help="no 'before' server")
    parser.add_argument("--no-redis", action="store_true", help="our cache in the database, not Redis")
    parser.add_argument("--no-browser", dest="browser", action="store_false", help="no Chromium measurement")
    parser.add_argument("--samples", type=int, default=200, help="requests per warm measurement, about")
    parser.add_argument("--cold-samples", type=int, default=30, help="requests per cold measurement")
    parser.add_argument("--filter-samples", type=int, default=15, help="requests per filtered map's measurement")
    parser.add_argument("--browser-samples", type=int, default=5)
    parser.add_argument("--export-samples", type=int, default=2)
    parser.add_argument("--task-samples", type=int, default=1, help="imports on the task queue")
    parser.add_argument("--composite-samples", type=int, default=10, help="composite indexes on the task queue")
    parser.add_argument("--task-timeout", type=float, default=600)
    parser.add_argument("--import-file", type=Path, default=SUSY, help="the file the import scenario imports")
    parser.add_argument("--concurrency", type=int, default=1, help="wrk's connections (default 1)")
    parser.add_argument(
        "--tile-concurrency",
        default="8",
        help="the warm tiles (ours and TiPg's) again at these connections, comma-separated ('': no)",
    )
    parser.add_argument("--no-explain", dest="explain", action="store_false", help="no query plans in the report")
    parser.add_argument("--min-seconds", type=float, default=3)
    parser.add_argument("--max-seconds", type=float, default=10, help="a warm measurement's longest wrk run")
    parser.add_argument("--warm-seconds", type=float, default=1, help="wrk's warm-up before each warm measurement")
    parser.add_argument(
        "--idle-timeout",
        type=float,
        default=5,
        help="the longest wait for an idle database before a measurement (then measured anyway)",
    )
    parser.add_argument("--sql-paths", type=int, default=10, help="paths per scenario whose queries are replayed")
    parser.add_argument("--only", default="", help="only the scenarios whose name contains this text")
    parser.add_argument("--results", type=Path, default=harness.RESULTS, help="where results and the report go")
    parser.add_argument("--no-generate", dest="generate", action="store_false", help="measure the data there")
    return parser.parse_args(argv)


def bench_database_url(size: int, given: str = "") -> str:
    if given or os.environ.get("BENCH_DATABASE_URL"):
        return given or os.environ["BENCH_DATABASE_URL"]
    port = os.environ.get("CONECT_PG_PORT", "54329")
    return f"postgis://conect@127.0.0.1:{port}/conect_bench_{size}"


def create_database(url: str) -> None:
    """CREATE DATABASE if it is missing (connected to the cluster's postgres database)."""
    import urllib.parse

    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(scheme="postgresql", path="/postgres", query="").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created the database {name}")


def prepare(size: int, generate: bool = True) -> dict:
    """Migrated, its cache table made, filled to `size`: the manifest."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    began = time.perf_counter()
    manifest = ensure_data(size) if generate else manifest_of_database()
    manifest["generate_seconds"] = round(time.perf_counter() - began, 1)
    return manifest


def main(argv: list[str]) -> Path:
    """`bench run`: the database (set by bench/__main__.py before Django started), the data, every scenario, the
    raw results and the report. Returns the raw results' path."""
    args = options(argv)
    manifest = prepare(args.size, args.generate)
    return measure_all(args, manifest)


def measure_all(args: argparse.Namespace, manifest: dict) -> Path:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    began = time.perf_counter()
    remove_imported()  # a run stopped during its import scenario left them
    published = harness.make_view()
    logs = Path(tempfile.mkdtemp(prefix="bench-run-"))
    run = Run(args, manifest, logs)
    rows: list[dict] = []
    info = {
        "size": args.size,
        "published": published,
        "manifest": {k: v for k, v in manifest.items() if k != "sample_practices"},
        "machine": harness.machine(),
        "code": harness.git_commit(ROOT),
        "before": harness.git_commit(ROOT, args.before) if args.before else "",
        "argv": sys.argv[1:],
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "statement_timeout_ms": harness.STATEMENT_TIMEOUT_MS,
        "concurrency": args.concurrency,
    }
    from django.core.management import call_command

    call_command("createcachetable", verbosity=0)  # the database cache's tables, when the settings name one
    tile_concurrency = tuple(int(c) for c in args.tile_concurrency.split(",") if c.strip())
    chosen = [s for s in scenarios(manifest, args.samples, tile_concurrency)
              if (not args.only or args.only in s["name"]) and (s["kind"] != "browser" or args.browser)]  # fmt: skip
    try:
        run.start()
        info["cache"] = "Redis" if run.redis else "the database"
        run.capture(chosen)
        for scenario in chosen:
            print(f"-- {scenario['name']}", flush=True)
            rows += run.measure(scenario)
    finally:
        run.stop()
        harness.drop_view()
    if args.explain:
        info["explain"] = explain_section(manifest)
    info["skipped"] = run.skipped
    info["idle_waits"], info["idle_timeouts"] = run.idle_waits, run.idle_timeouts
    info["idle_seconds"] = round(run.idle_seconds, 1)
    info["rows"] = rows
    info["seconds"] = round(time.perf_counter() - began, 1)
    args.results.mkdir(parents=True, exist_ok=True)
    raw = args.results / f"{args.size}-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    raw.write_text(json.dumps(info, indent=2, default=str))
    from bench import report

    written = report.write(args.results, args.size)
    print(f"written to {raw} and {', '.join(str(p) for p in written)}")
    return raw


def explain_section(manifest: dict) -> str:
    """bench/explain.py's section: the hot requests' slowest queries under EXPLAIN (ANALYZE, BUFFERS)."""
    from bench import explain

    print("-- query plans (bench/explain.py)", flush=True)
    try:
        return explain.section(connection, explain.default_paths(manifest))
    except Exception as error:  # noqa: BLE001 - the plans are a section of the report, not the run
        return f"## Query plans\n\nnot written: {type(error).__name__}: {str(error)[:300]}\n"


# ---------------------------------------------------------------- the soak


def soak_main(argv: list[str]) -> Path:
    """`bench soak --minutes 30`: mixed load through wrk on our server (tiles at every zoom, practice pages, search,
    the result list, the API page), each worker's RSS sampled every --every seconds: flat or not."""
    parser = argparse.ArgumentParser(prog="bench soak")
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--database", default="")
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--every", type=float, default=10, help="seconds between two memory samples")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--no-redis", action="store_true")
    parser.add_argument("--no-generate", dest="generate", action="store_false")
    parser.add_argument("--results", type=Path, default=harness.RESULTS)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    manifest = prepare(args.size, args.generate)
    mixed = []
    for scenario in scenarios(manifest, 0):
        if scenario["kind"] in ("warm", "cold") and not scenario.get("login") and "filter" not in scenario["name"]:
            mixed += scenario["paths"]["ours"][:50]
    logs = Path(tempfile.mkdtemp(prefix="bench-soak-"))
    redis = harness.RedisServer(logs).start() if shutil.which("redis-server") and not args.no_redis else None
    server = harness.conect_server(ROOT, harness.database(), logs, redis_url=redis.base if redis else "", name="soak")
    samples, result = [], {}
    try:
        server.start()
        harness.wrk(server.base, mixed, args.concurrency, min(30, args.minutes * 6))  # warm-up
        load = threading.Thread(
            target=lambda: result.update(harness.wrk(server.base, mixed, args.concurrency, args.minutes * 60))
        )
        began = time.monotonic()
        load.start()
        while load.is_alive():
            samples.append({"t": round(time.monotonic() - began, 1), "rss": server.rss_mib()})
            load.join(args.every)
        samples.append({"t": round(time.monotonic() - began, 1), "rss": server.rss_mib()})
    finally:
        server.stop()
        if redis is not None:
            redis.stop()
    soak = {"size": args.size, "minutes": args.minutes, "argv": sys.argv[1:], "samples": samples,
            "at": datetime.now(UTC).isoformat(timespec="seconds"), "paths": len(mixed), **result}  # fmt: skip
    args.results.mkdir(parents=True, exist_ok=True)
    raw = args.results / f"soak-{args.size}-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    raw.write_text(json.dumps(soak, indent=2))
    from bench import report

    plot = report.soak_plot(args.results, soak)
    print(report.soak_line(soak))
    if report.latest(args.results, args.size):
        report.write(args.results, args.size)
    print(f"written to {raw} and {plot}")
    return raw
