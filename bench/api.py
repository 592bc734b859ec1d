"""The API at 100,000 published practices, in one run beside pygeoapi 0.21, TiPg 1.6.1 and the SQL alone.

    .venv/bin/python -m bench generate -n 100000     (once)
    .venv/bin/python -m bench api [--samples 200] [--concurrency 1,8] [--no-peers] [--tree DIR] [--label NAME]

Each server runs on a loopback port of its own, started and stopped here:
- this API: gunicorn, 2 workers, DEBUG off, as scripts/serve.sh serves it (the anonymous throttle on, at a rate never
  reached, so its cache costs what it costs in production); `--tree DIR` serves another copy of the code (e.g. an
  earlier commit, exported with `git archive`) with the same database and virtualenv;
- pygeoapi 0.21 (gunicorn, 2 workers) and TiPg 1.6.1 (uvicorn, 2 workers), installed by bench/peers/install.sh into
  .local/peers/, both serving the view bench_published_practices (the published rows of practices_practice, its
  public columns), made here;
- the SQL alone, twice, timed on cursors (one connection per concurrent client, started as our server's), as the
  client receives the text: the peers' columns (PostGIS assembles the same 1,000 features, json_agg, or the one
  feature), and our columns (our server's own queries for the same requests, captured in a process of the served
  code and replayed: the same JSON text our response joins).
- Redis (when redis-server is installed; bench/peers/install.sh installs it as root) on a loopback port, our server's
  shared cache (REDIS_URL) for the throttles, as in production; --no-redis counts them in the database.

Requests (rotating over the 20 most populous European cities' boxes, and over 200 generated practices):
- page: the GeoJSON page of up to 1,000 practices in a bbox (/api/v1/practices/?format=geojson&bbox=…&page_size=1000,
  /ogc/collections/practices/items?bbox=…&limit=1000 and the peers' items with the same bbox and limit);
- one: a single practice (/api/v1/practices/<slug>/, /ogc/collections/practices/items/<slug>, the peers' item).
Each is measured under each concurrency with wrk (a C load tool; bench/peers/wrk.lua rotates the paths and reports
p50/p95) for as long as about --samples requests take (the warm-up's rate tells; at least 3 s, at most --max-seconds),
after a 2-second warm-up and once the database is idle (no other client running a query, waited for up to 30 s).
An endpoint that does not answer 200 here (e.g. /ogc/ before it exists) is skipped.

Writes bench/results/<timestamp>-api.json and bench/results/api.md (or api-<label>.md): the machine, then p50, p95
and requests per second, with the ratios to the SQL alone and to each peer.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection

from bench.generate import european_cities
from bench.harness import (  # noqa: F401 - RESULTS and the rest are this module's names for its callers and tests
    COLUMNS,
    RESULTS,
    ROOT,
    TIPG_COLLECTION,
    VIEW,
    VIEW_SQL,
    RedisServer,
    Server,
    archive_tree,
    conect_server,
    database,
    database_url,
    get,
    git_commit,
    install_peers,
    machine,
    pygeoapi_server,
    tipg_server,
    wait_idle,
    wrk,
)

PAGE_SQL = f"""
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
  'type', 'Feature', 'id', slug, 'geometry', ST_AsGeoJSON(location, 6)::json,
  'properties', to_jsonb(p) - 'location' - 'id' - 'slug')), '[]'))::text
FROM (SELECT id, {COLUMNS}, location FROM {VIEW}
       WHERE location && ST_MakeEnvelope(%s, %s, %s, %s, 4326)
       ORDER BY title, id LIMIT 1000) p
"""
ONE_SQL = f"""
SELECT json_build_object('type', 'Feature', 'id', slug, 'geometry', ST_AsGeoJSON(location, 6)::json,
  'properties', to_jsonb(p) - 'location' - 'id' - 'slug')::text
FROM (SELECT id, {COLUMNS}, location FROM {VIEW} WHERE slug = %s) p
"""


def boxes(n: int = 20) -> list[tuple[float, float, float, float]]:
    cities = sorted(european_cities(), key=lambda c: -c["population"])[:n]
    return [(c["longitude"] - 1.5, c["latitude"] - 1, c["longitude"] + 1.5, c["latitude"] + 1) for c in cities]


def sample_slugs(n: int = 200) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT slug FROM {VIEW} WHERE location IS NOT NULL ORDER BY md5(slug) LIMIT %s", [n])
        return [row[0] for row in cursor.fetchall()]


def bbox_text(box) -> str:
    return ",".join(f"{v:.4f}" for v in box)


def paths_for(server: str, request: str, bbs: list, slugs: list[str]) -> list[str]:
    if request == "page":
        template = {
            "api": "/api/v1/practices/?format=geojson&bbox={b}&page_size=1000",
            "ogc": "/ogc/collections/practices/items?bbox={b}&limit=1000",
            "pygeoapi": "/collections/practices/items?bbox={b}&limit=1000&f=json",
            "tipg": f"/collections/{TIPG_COLLECTION}/items?bbox={{b}}&limit=1000",
        }[server]
        return [template.format(b=bbox_text(box)) for box in bbs]
    template = {
        "api": "/api/v1/practices/{s}/",
        "ogc": "/ogc/collections/practices/items/{s}",
        "pygeoapi": "/collections/practices/items/{s}?f=json",
        "tipg": f"/collections/{TIPG_COLLECTION}/items/{{s}}",
    }[server]
    return [template.format(s=slug) for slug in slugs]


CAPTURE = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
settings.ALLOWED_HOSTS = ["*"]
client, out = Client(), []
for path in sys.argv[1:]:
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    out.append([q["sql"] for q in queries.captured_queries])
print(json.dumps(out))
"""


def own_queries(tree: Path, db: dict, paths: list[str]) -> list[list[tuple[str, list]]]:
    """The queries the served code runs for each path (captured in a process of that code)."""
    env = os.environ | {"DATABASE_URL": "postgis://" + database_url(db).removeprefix("postgresql://")}
    env |= {"DJANGO_SETTINGS_MODULE": "conect.settings", "API_ANON_RATE": "", "DJANGO_DEBUG": "false"}
    env |= {"DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "SECURE_SSL_REDIRECT": "false"}
    env |= {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    run = subprocess.run([sys.executable, "-c", CAPTURE, *paths], cwd=tree, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        print(f"could not capture the API's own queries: {run.stderr.strip()[-300:]}")
        return []
    # The throttle's count (in Redis during the run; in the database only without it) and the transactions around
    # the old cache table's writes are left out: what is replayed is what reads the practices.
    left_out = ("conect_cache", "partners_throttlecounter")
    keep = lambda sql: not any(t in sql for t in left_out) and sql not in ("BEGIN", "COMMIT", "ROLLBACK")  # noqa: E731
    return [[(sql, None) for sql in queries if keep(sql)] for queries in json.loads(run.stdout.splitlines()[-1])]


def sql_alone(sql: str | None, params: list, concurrency: int, samples: int) -> dict:
    """The query on `concurrency` connections of its own, each fetching the text as a client would; with `sql`
    None, each item of `params` is a list of (sql, params) run one after the other (a request's own queries)."""
    import psycopg

    def execute(cursor, item) -> None:
        for one_sql, one_params in [(sql, item)] if sql is not None else item:
            cursor.execute(one_sql, one_params)
            if cursor.description is not None:
                cursor.fetchall()

    db = database()
    per = max(1, samples // concurrency)
    latencies: list[float] = []
    lock = threading.Lock()

    def client(k: int) -> None:
        with psycopg.connect(database_url(db), autocommit=True, **OPTIONS) as conn, conn.cursor() as cursor:
            execute(cursor, params[k % len(params)])  # warm: plan, connection
            mine = []
            ready.wait()  # every client connected and warm: they start together
            began = time.perf_counter()
            for i in range(per):
                start = time.perf_counter()
                execute(cursor, params[(k * 7 + i) % len(params)])
                mine.append((time.perf_counter() - start) * 1000)
            with lock:
                latencies.extend(mine)
                spans.append((began, time.perf_counter()))

    ready = threading.Barrier(concurrency)
    spans: list[tuple[float, float]] = []
    threads = [threading.Thread(target=client, args=(k,)) for k in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = max(end for _, end in spans) - min(start for start, _ in spans)
    ordered = sorted(latencies)
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 2),
        "rps": round(len(ordered) / elapsed, 2),
        "requests": len(ordered),
        "errors": 0,
    }


# The cursors of the SQL rows start as our server's connections do (conect/settings.py: jit and parallel workers off).
OPTIONS = {k: v for k, v in settings.DATABASES["default"].get("OPTIONS", {}).items() if k == "options"}


def replayed_bytes(queries: list[tuple[str, list]]) -> int:
    """The size of the text the last of a request's queries returns (the documents our server joins)."""
    with connection.cursor() as cursor:
        for sql, params in queries:
            cursor.execute(sql, params)
        return sum(len(v) for row in cursor.fetchall() for v in row if isinstance(v, str))


def describe(body: bytes) -> dict:
    """What an answer holds: its size and, for a collection, how many features."""
    try:
        data = json.loads(body)
    except ValueError:
        return {"bytes": len(body)}
    features = data.get("features") if isinstance(data, dict) else None
    return {"bytes": len(body), **({"features": len(features)} if isinstance(features, list) else {})}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench api")
    parser.add_argument("--samples", type=int, default=200, help="requests per measurement, about (default 200)")
    parser.add_argument("--concurrency", default="1,8", help="concurrent clients, comma-separated (default 1,8)")
    parser.add_argument("--max-seconds", type=int, default=60, help="cap on one measurement's duration")
    parser.add_argument("--min-seconds", type=int, default=3, help="floor of one measurement's duration")
    parser.add_argument("--warm-seconds", type=int, default=2, help="warm-up before each measurement")
    parser.add_argument("--idle-timeout", type=float, default=30, help="how long to wait for an idle database")
    parser.add_argument("--no-peers", action="store_true", help="only this API and the SQL alone")
    parser.add_argument("--tree", type=Path, default=ROOT, help="serve the code in this directory (default: here)")
    parser.add_argument("--commit", help="serve this commit's code (git archive into a temporary directory)")
    parser.add_argument("--label", default="", help="written to bench/results/api-<label>.md (default api.md)")
    parser.add_argument("--anon-rate", default="100000000/hour", help="API_ANON_RATE for the run ('' for none)")
    parser.add_argument("--no-redis", action="store_true", help="count the throttles in the database, not Redis")
    args = parser.parse_args(argv)
    # Stopped by TERM or Ctrl-C (even when started in the background, where INT is ignored): the servers stop too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    levels = [int(c) for c in args.concurrency.split(",")]
    code = git_commit(args.tree)
    if args.commit:
        code = git_commit(ROOT, args.commit)
        args.tree = archive_tree(args.commit)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")

    with connection.cursor() as cursor:
        cursor.execute(VIEW_SQL)
        cursor.execute(f"SELECT count(*) FROM {VIEW}")
        published = cursor.fetchone()[0]
    print(f"{published} published practices")
    bbs, slugs = boxes(), sample_slugs()
    if not slugs:
        raise SystemExit("no published practice with a place: run `python -m bench generate -n 100000` first")

    logs = Path(tempfile.mkdtemp(prefix="bench-api-"))
    db = database()
    here = {"DATABASE_URL": "postgis://" + database_url(db).removeprefix("postgresql://")}
    subprocess.run([sys.executable, "manage.py", "createcachetable"], cwd=args.tree, env=os.environ | here,
                   check=False, capture_output=True)  # fmt: skip
    servers: dict[str, Server] = {}
    redis = RedisServer(logs) if shutil.which("redis-server") and not args.no_redis else None
    conect = conect_server(args.tree.resolve(), db, logs, args.anon_rate, redis.base if redis else "")
    servers["api"] = servers["ogc"] = conect
    skipped: dict[str, str] = {}
    if not args.no_peers:
        failure = install_peers()
        if failure:
            skipped["pygeoapi"] = skipped["tipg"] = failure
        else:
            servers["pygeoapi"] = pygeoapi_server(db, logs)
            servers["tipg"] = tipg_server(db, logs)
    started = []
    try:
        if redis is not None:
            redis.start()
            started.append(redis)
        for server in dict.fromkeys(servers.values()):
            server.start()
            started.append(server)
        results = run(args, levels, servers, bbs, slugs, skipped)
    finally:
        for server in started:
            server.stop()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP VIEW IF EXISTS {VIEW}")  # never in the way of a migration of practices_practice
    info = {
        "published": published,
        "machine": machine(),
        "code": code,
        "samples": args.samples,
        "anon_rate": args.anon_rate,
        "throttle_cache": "Redis" if redis else "the database (partners_throttlecounter)",
        "options": OPTIONS.get("options", ""),
        "skipped": skipped,
        "rows": results,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    RESULTS.mkdir(exist_ok=True)
    raw = RESULTS / f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-api.json"
    raw.write_text(json.dumps({"scenario": "api", "results": info}, indent=2))
    name = f"api-{args.label}.md" if args.label else "api.md"
    (RESULTS / name).write_text(markdown(info, argv))
    print(f"written to {raw} and {RESULTS / name}")


SERVERS = {
    "api": "this API (/api/v1/)",
    "ogc": "this API (/ogc/)",
    "pygeoapi": "pygeoapi 0.21",
    "tipg": "TiPg 1.6.1",
    "sql": "the SQL alone, the peers' columns",
    "own": "the SQL alone, our columns",
}
REQUESTS = {"page": "GeoJSON page of up to 1,000 practices in a bbox", "one": "one practice"}


def run(args, levels, servers, bbs, slugs, skipped) -> list[dict]:
    rows = []
    for request in REQUESTS:
        for key, server in servers.items():
            paths = paths_for(key, request, bbs, slugs)
            status, body = get(server.base + paths[0])
            if status != 200:
                skipped[f"{key} {request}"] = f"{paths[0]} answered {status or 'nothing'}"
                print(f"skipped {SERVERS[key]} {request}: {skipped[f'{key} {request}']}")
                continue
            shape = describe(body)
            for c in levels:
                wait_idle(args.idle_timeout)
                warm = wrk(server.base, paths, c, args.warm_seconds)  # warm-up, and how long --samples take
                seconds = min(args.max_seconds, max(args.min_seconds, args.samples / max(warm["rps"], 0.1)))
                idle = wait_idle(args.idle_timeout)
                row = wrk(server.base, paths, c, seconds)
                rows.append({"request": request, "server": key, "c": c, "idle": idle, **shape, **row})
                print_row(rows[-1])
        sql, params = (PAGE_SQL, [list(b) for b in bbs]) if request == "page" else (ONE_SQL, [[s] for s in slugs])
        with connection.cursor() as cursor:
            cursor.execute(sql, params[0])
            shape = describe(cursor.fetchone()[0].encode())
        for c in levels:
            sql_alone(sql, params, c, max(20, args.samples // 5))
            idle = wait_idle(args.idle_timeout)
            rows.append({"request": request, "server": "sql", "c": c, "idle": idle, **shape,
                         **sql_alone(sql, params, c, args.samples)})  # fmt: skip
            print_row(rows[-1])
        own = own_queries(args.tree, database(), paths_for("api", request, bbs, slugs)[:20])
        own_bytes = replayed_bytes(own[0]) if own and all(own) else 0
        for c in levels if own and all(own) else []:  # a request with no captured query measures nothing
            sql_alone(None, own, c, max(20, args.samples // 5))
            idle = wait_idle(args.idle_timeout)
            rows.append({"request": request, "server": "own", "c": c, "idle": idle, "bytes": own_bytes,
                         "queries": len(own[0]), **sql_alone(None, own, c, args.samples)})  # fmt: skip
            print_row(rows[-1])
    return rows


def print_row(row: dict) -> None:
    print(
        f"{row['request']:<5} {SERVERS[row['server']]:<22} c={row['c']:<2} p50 {row['p50_ms']:>8.2f} ms"
        f"  p95 {row['p95_ms']:>8.2f} ms  {row['rps']:>8.2f} req/s  ({row['requests']} requests,"
        f" {row['errors']} errors, {row.get('features', '-')} features, {row['bytes']} bytes)"
    )


def ratio(a: float | None, b: float | None) -> str:
    if not a or not b:
        return "–"
    return f"{a / b:.2f}×" if a / b < 10 else f"{a / b:.0f}×"


def markdown(info: dict, argv: list[str]) -> str:
    m = info["machine"]
    rows = info["rows"]
    find = {(r["request"], r["server"], r["c"]): r for r in rows}
    lines = [
        "# The API beside pygeoapi, TiPg and the SQL alone",
        "",
        f"`{' '.join(['.venv/bin/python -m bench api', *argv])}` at {info['at']}, code: {info['code']}.",
        "",
        f"{info['published']:,} published practices. Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM,"
        f" PostgreSQL {m['postgresql']}, PostGIS {m['postgis']}, Python {m['python']}; load average before the run"
        f" {m['load_before'][0]:.2f}. Servers on loopback, each with 2 worker processes; the load tool (wrk) and"
        f" PostgreSQL on the same machine. {info['samples']} requests per measurement after a warm-up; p50 and p95"
        " in milliseconds, throughput in requests per second.",
        "",
        "Two SQL-alone rows, timed on cursors as a client receives the text (one connection per concurrent client,"
        f" started as our server's are: `{info.get('options') or 'default settings'}`): *the SQL alone, the peers'"
        " columns* is PostGIS assembling the peers' features (the columns they serve, json_agg); *the SQL alone, our"
        " columns* replays the very queries our server runs for the same request (captured in a process of the"
        " served code, the throttle's count left out), which return our features' JSON text, byte for byte what the"
        " response joins (its *bytes*: the text the query returns). Ratios: *× SQL, peers' columns* and *× SQL, our"
        " columns* divide the p50 by that row's p50 at the same concurrency (1×: as fast as the database answers"
        " that SQL); *÷ pygeoapi* and *÷ TiPg* divide this row's throughput by that peer's at the same concurrency"
        " (above 1×: more requests per second than the peer).",
        "",
        f"Our server's throttles (anonymous rate {info['anon_rate']}, never reached) counted in"
        f" {info.get('throttle_cache', 'the shared cache')}.",
        "",
    ]
    for request, title in REQUESTS.items():
        lines += [f"## {title}", "", "| server | c | p50 ms | p95 ms | req/s | × SQL, peers' columns (p50) |"
                  " × SQL, our columns (p50) |"
                  " ÷ pygeoapi (req/s) | ÷ TiPg (req/s) | features | bytes |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
        for server in SERVERS:
            for c in sorted({r["c"] for r in rows}):
                r = find.get((request, server, c))
                if r is None:
                    continue
                sql = find.get((request, "sql", c), {})
                own = find.get((request, "own", c), {})
                size = f"{r['bytes']:,}" if r["bytes"] else "–"
                peer = {p: find.get((request, p, c), {}).get("rps") for p in ("pygeoapi", "tipg")}
                errors = f" ({r['errors']} errors)" if r["errors"] else ""
                idle = "" if r["idle"] else " †"
                lines.append(
                    f"| {SERVERS[server]}{idle} | {c} | {r['p50_ms']} | {r['p95_ms']} | {r['rps']}{errors} |"
                    f" {ratio(r['p50_ms'], sql.get('p50_ms'))} | {ratio(r['p50_ms'], own.get('p50_ms'))} |"
                    f" {ratio(r['rps'], peer['pygeoapi'])} | {ratio(r['rps'], peer['tipg'])} |"
                    f" {r.get('features', '–')} | {size} |"
                )
        lines.append("")
    if any(not r["idle"] for r in rows):
        lines += ["† the database was not idle within the wait before this measurement (other clients were running"
                  " queries on the cluster).", ""]  # fmt: skip
    if info["skipped"]:
        lines += ["Not measured:", ""] + [f"- {k}: {v}" for k, v in info["skipped"].items()] + [""]
    lines += [
        "What each server serves: this API reads practices_practice through Practice.objects.visible_to() as a"
        " visitor (published rows only), with its own fields; pygeoapi (PostgreSQL provider, id_field slug) and TiPg"
        f" (pk slug) serve the view {VIEW} (the published rows of practices_practice: {COLUMNS}, location) with"
        " their own ordering; the SQL alone, the peers' columns assembles those columns as GeoJSON in PostGIS"
        " (json_agg over the"
        " first 1,000 rows by title in the bbox, or the one row by slug) and is timed on a cursor as the client"
        " receives the text, one connection per concurrent client.",
        "",
    ]
    return "\n".join(lines)
