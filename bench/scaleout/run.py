"""Past one machine, on one machine: two app servers behind nginx, a PostGIS primary and its streaming replica, Redis.

    .venv/bin/python -m bench.scaleout [--source-db conect_bench] [--seconds 20] [--concurrency 8]

Starts, under .local/scaleout/ and on free loopback ports: a fresh PostgreSQL 15 primary holding a copy of
--source-db (pg_dump | pg_restore from the project's cluster; --empty: migrations and the demo data instead), a
streaming read replica made from it with `pg_basebackup -R`, redis-server, two gunicorn app servers (2 workers each,
DATABASE_URL on the primary, DATABASE_REPLICA_URL on the replica, REDIS_URL) with a task worker (`manage.py
db_worker`) beside each, and nginx (installed from Debian when missing) balancing them; a second nginx port sends
everything to the first app server alone. Then wrk runs the read mix (map tiles, practice pages, the API) through each
port while a writer posts practices through the API with a submit token and reads each back at once; afterwards
every acknowledged write is counted on the primary and on the replica (exactly once each), the replica's lag is
sampled throughout, and the results go to bench/results/scaleout.md (and .json). Everything started is stopped.
"""

import argparse
import json
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
WORK = ROOT / ".local" / "scaleout"
RESULTS = ROOT / "bench" / "results"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PROJECT_PG = ("127.0.0.1", int(os.environ.get("CONECT_PG_PORT", "54329")))
WRK_LUA = ROOT / "bench" / "peers" / "wrk.lua"
PG_SETTINGS = [
    "listen_addresses=127.0.0.1", "unix_socket_directories=", "shared_buffers=512MB", "work_mem=32MB", "jit=off",
    "max_parallel_workers_per_gather=0", "random_page_cost=1.1", "max_connections=100", "wal_level=replica",
    "max_wal_senders=5", "hot_standby=on", "fsync=on",
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def say(text: str) -> None:
    print(f"==> {text}", flush=True)


def as_postgres(argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    """PostgreSQL refuses to run as root: its servers and files belong to the postgres user then."""
    if os.geteuid() == 0:
        argv = ["runuser", "-u", "postgres", "--", *argv]
    return subprocess.run(argv, check=True, cwd="/", **kwargs)


def psql(port: int, sql: str, db: str = "conect") -> str:
    argv = ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "conect", "-d", db, "-tAXc", sql]
    return subprocess.run(argv, check=True, capture_output=True, text=True).stdout.strip()


class Process:
    """A process started here in a session of its own, stopped by its id (its whole group)."""

    def __init__(self, name: str, argv: list[str], env: dict | None = None, log: Path | None = None):
        self.name, self.argv, self.env, self.log = name, argv, env, log or WORK / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> "Process":
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                self.argv, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


class Cluster:
    """A PostgreSQL cluster in .local/scaleout/<name>, started with pg_ctl on a free port."""

    def __init__(self, name: str):
        self.name, self.data, self.port = name, WORK / name, free_port()

    def start(self) -> None:
        options = f"-p {self.port} " + " ".join(f"-c {setting}" for setting in PG_SETTINGS)
        as_postgres([str(PG_BIN / "pg_ctl"), "start", "-D", str(self.data), "-l", str(WORK / f"{self.name}.log"),
                     "-w", "-t", "120", "-o", options], stdout=subprocess.DEVNULL)  # fmt: skip

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            as_postgres([str(PG_BIN / "pg_ctl"), "stop", "-D", str(self.data), "-m", "fast"], stdout=subprocess.DEVNULL)

    def url(self) -> str:
        return f"postgis://conect@127.0.0.1:{self.port}/conect"


def prepare_work_dir() -> None:
    if WORK.exists():
        for name in ("primary", "replica"):
            if (WORK / name / "postmaster.pid").exists():
                Cluster(name).stop()  # left by an interrupted run
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)
    if os.geteuid() == 0:
        shutil.chown(WORK, "postgres", "postgres")


def make_primary(primary: Cluster, source_db: str, empty: bool, env: dict) -> None:
    say(f"A fresh primary on 127.0.0.1:{primary.port}")
    as_postgres([str(PG_BIN / "initdb"), "-D", str(primary.data), "-U", "conect", "--auth=trust", "--encoding=UTF8",
                 "--locale=C.UTF-8"], stdout=subprocess.DEVNULL)  # fmt: skip
    primary.start()
    subprocess.run(["createdb", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "conect", "conect"], check=True)
    if empty:
        say("Migrations and the demo data")
        manage(env, "migrate", "-v", "0")
        manage(env | {"DJANGO_DEBUG": "true"}, "load_demo")
    else:
        say(f"Copying {source_db} from the project's cluster (pg_dump | pg_restore)")
        dump = subprocess.Popen(
            ["pg_dump", "-Fc", "-h", PROJECT_PG[0], "-p", str(PROJECT_PG[1]), "-U", "conect", "-d", source_db],
            stdout=subprocess.PIPE,
        )
        restore = subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "-h", "127.0.0.1", "-p",
                                  str(primary.port), "-U", "conect", "-d", "conect"], stdin=dump.stdout)  # fmt: skip
        if dump.wait() != 0 or restore.returncode != 0:
            say("pg_dump or pg_restore reported errors (above); going on with what was restored")
        manage(env, "migrate", "-v", "0")  # the code may be ahead of the copy
    manage(env, "createcachetable")
    psql(primary.port, "ANALYZE")


def make_replica(primary: Cluster) -> Cluster:
    replica = Cluster("replica")
    say(f"A streaming replica on 127.0.0.1:{replica.port} (pg_basebackup -R)")
    as_postgres([str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port), "-U", "conect",
                 "-D", str(replica.data), "-R", "-X", "stream", "-c", "fast"])  # fmt: skip
    replica.start()
    assert psql(replica.port, "SELECT pg_is_in_recovery()") == "t"
    return replica


def manage(env: dict, *args: str) -> str:
    run = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{run.stderr[-2000:]}")
    return run.stdout


def app_env(primary: Cluster, replica: Cluster | None, redis_url: str) -> dict:
    """The app servers' and task workers' environment: the benchmark's served one (bench.harness.served_env), no
    throttles, nginx as the one proxy, the primary and its replica."""
    from bench.harness import served_env

    return served_env(None, anon_rate="", redis_url=redis_url) | {
        "API_NUM_PROXIES": "1",  # nginx
        "DATABASE_URL": primary.url(),
        "DATABASE_REPLICA_URL": replica.url() if replica else "",
    }


def wait_http(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback only)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s (logs in {WORK})")


def ensure_nginx() -> str:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx:
        return nginx
    say("Installing nginx-light from Debian")
    prefix = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*prefix, "apt-get", "install", "-y", "--no-install-recommends", "nginx-light"], check=True,
                   env=os.environ | {"DEBIAN_FRONTEND": "noninteractive"}, stdout=subprocess.DEVNULL)  # fmt: skip
    return shutil.which("nginx") or "/usr/sbin/nginx"


NGINX_CONF = """
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {work}/nginx-body;
  proxy_temp_path {work}/nginx-proxy;
  fastcgi_temp_path {work}/nginx-fastcgi;
  uwsgi_temp_path {work}/nginx-uwsgi;
  scgi_temp_path {work}/nginx-scgi;
  upstream both {{ least_conn; {both} keepalive 32; }}
  upstream one {{ {one} keepalive 16; }}
  server {{
    listen 127.0.0.1:{port_both};
    location / {{ proxy_pass http://both; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header Host $host; proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; }}
  }}
  server {{
    listen 127.0.0.1:{port_one};
    location / {{ proxy_pass http://one; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header Host $host; proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; }}
  }}
}}
"""


def read_paths(port: int, n: int = 300) -> list[str]:
    """The read mix: a third map tiles (zoom 4 to 12 around the practices), a third practice pages, a third the API."""
    rows = psql(port, f"SELECT slug, ST_X(location), ST_Y(location) FROM practices_practice WHERE state = 'published'"
                      f" AND location IS NOT NULL ORDER BY random() LIMIT {n}").splitlines()  # fmt: skip
    rng, paths = random.Random(11), []
    for row in rows:
        slug, lon, lat = row.split("|")
        z = rng.choice([4, 6, 8, 10, 12])
        x, y = tile_of(float(lon), float(lat), z)
        paths += [f"/tiles/practices/{z}/{x}/{y}.geojson", f"/en/practices/{slug}/", f"/api/v1/practices/{slug}/"]
    return paths


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    import math

    n = 2**z
    lat_r = math.radians(lat)
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(lat_r)) / math.pi) / 2 * n)


def wrk(base: str, paths: list[str], concurrency: int, seconds: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(paths) + "\n")
    argv = ["wrk", "-t", "2", "-c", str(concurrency), "-d", f"{seconds}s", "--timeout", "30s", "-s", str(WRK_LUA),
            base, "--", f.name]  # fmt: skip
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    os.unlink(f.name)
    raw = json.loads(next(line for line in out.splitlines() if line.startswith("{")))
    return {
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p95_ms": round(raw["p95_us"] / 1000, 1),
        "requests": raw["requests"],
        "errors": sum(raw[k] for k in ("status", "connect", "read", "write", "timeout")),
    }


def make_token(env: dict) -> str:
    code = (
        "from conect.models import User; from partners.models import PartnerToken, Scope\n"
        "user, _ = User.objects.get_or_create(email='scaleout@example.org', defaults={'is_active': True})\n"
        "scopes = [Scope.READ, Scope.PRIVATE, Scope.SUBMIT]\n"
        "print(PartnerToken.objects.create_key(name='scaleout', user=user, scopes=scopes)[1])"
    )
    return manage(env, "shell", "-c", code).strip().splitlines()[-1]


class Writer(threading.Thread):
    """Posts practices through the API and reads each back at once: with the pin cookie, and without it."""

    def __init__(self, base: str, key: str, tag: str, stop: threading.Event):
        super().__init__(daemon=True)
        self.base, self.key, self.tag, self.stop_event = base, key, tag, stop
        self.sent, self.acknowledged, self.read_back, self.missed_with_pin, self.missed_without_pin = 0, [], 0, 0, 0
        self.errors: list[str] = []
        self.pinned = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.plain = urllib.request.build_opener()

    def call(self, opener, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.key}")
        request.add_header("Content-Type", "application/json")
        try:
            with opener.open(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, {"error": error.read()[:300].decode(errors="replace")}

    def run(self) -> None:
        n = 0
        while not self.stop_event.is_set():
            n += 1
            title = f"{self.tag} write {n}"
            self.sent += 1
            status, body = self.call(self.pinned, "POST", "/api/v1/practices/", {
                "title": title, "summary": "Written through nginx during the scale-out run.", "country": "IT",
                "city": "Palermo", "location": {"type": "Point", "coordinates": [13.36, 38.11]},
            })  # fmt: skip
            if status != 201:
                self.errors.append(f"POST {status}: {body}")
                time.sleep(0.2)
                continue
            self.acknowledged.append(title)
            slug = body["slug"]
            # The writer's next read, with its pin cookie, then the same read by a client without cookies.
            status_pinned, answer = self.call(self.pinned, "GET", f"/api/v1/practices/{slug}/")
            if status_pinned != 200:
                self.errors.append(f"GET {status_pinned}: {answer}")
            status_plain, _ = self.call(self.plain, "GET", f"/api/v1/practices/{slug}/")
            self.read_back += status_pinned == 200
            self.missed_with_pin += status_pinned != 200
            self.missed_without_pin += status_plain != 200
            time.sleep(0.05)


class LagSampler(threading.Thread):
    """The replica's replay lag every half second, seen by the primary (pg_stat_replication)."""

    def __init__(self, primary: Cluster, stop: threading.Event):
        super().__init__(daemon=True)
        self.primary, self.stop_event, self.bytes, self.ms = primary, stop, [], []

    def run(self) -> None:
        sql = ("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn),"
               " coalesce(extract(epoch FROM replay_lag) * 1000, 0) FROM pg_stat_replication")  # fmt: skip
        while not self.stop_event.wait(0.5):
            row = psql(self.primary.port, sql).split("|")
            if len(row) == 2:
                self.bytes.append(float(row[0]))
                self.ms.append(float(row[1]))


def load(base: str, paths: list[str], concurrency: int, seconds: int, primary: Cluster, key: str, tag: str) -> dict:
    stop = threading.Event()
    writer, lag = Writer(base, key, tag, stop), LagSampler(primary, stop)
    writer.start()
    lag.start()
    row = wrk(base, paths, concurrency, seconds)
    stop.set()
    writer.join(60)
    lag.join(5)
    return row | {
        "writes_sent": writer.sent,
        "writes_acknowledged": len(writer.acknowledged),
        "write_errors": writer.errors[:5],
        "read_own_write": writer.read_back,
        "missed_with_pin": writer.missed_with_pin,
        "missed_without_pin": writer.missed_without_pin,
        "lag_ms_max": round(max(lag.ms, default=0), 1),
        "lag_ms_p50": round(statistics.median(lag.ms), 1) if lag.ms else 0,
        "lag_bytes_max": int(max(lag.bytes, default=0)),
        "titles": writer.acknowledged,
    }


def landed_once(port: int, titles: list[str]) -> dict:
    """How many acknowledged writes are in this database exactly once, and how many are missing or doubled."""
    if not titles:
        return {"once": 0, "missing": 0, "doubled": 0}
    literal = "ARRAY[" + ",".join("'" + t.replace("'", "''") + "'" for t in titles) + "]"
    counts = psql(port, f"SELECT t, (SELECT count(*) FROM practices_practice WHERE title = t)"
                        f" FROM unnest({literal}) t").splitlines()  # fmt: skip
    n = [int(line.rsplit("|", 1)[1]) for line in counts]
    return {"once": n.count(1), "missing": n.count(0), "doubled": sum(1 for c in n if c > 1)}


def wait_replayed(primary: Cluster, replica: Cluster, timeout: float = 60) -> float:
    lsn = psql(primary.port, "SELECT pg_current_wal_lsn()")
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if psql(replica.port, f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn") == "t":
            break
        time.sleep(0.1)
    return time.monotonic() - started


def machine(primary: Cluster) -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))  # fmt: skip
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "postgresql": psql(primary.port, "SHOW server_version"),
        "practices": int(psql(primary.port, "SELECT count(*) FROM practices_practice WHERE state = 'published'")),
        "load_before": [round(x, 2) for x in os.getloadavg()],
        "commit": subprocess.run(
            ["git", "log", "-1", "--format=%h"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
    }


def markdown(info: dict, rows: dict, argv: list[str]) -> str:
    m = info["machine"]
    lines = [
        "# Scale-out: two app servers behind nginx, a primary and a streaming replica, Redis",
        "",
        f"`.venv/bin/python -m bench.scaleout {' '.join(argv)}` at commit {m['commit']}, {info['date']}.",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB, PostgreSQL {m['postgresql']}; load average "
        f"before the run {m['load_before'][0]}. {m['practices']:,} published practices (copied from "
        f"{info['source']}).",
        "",
        "Everything runs on this one machine: nginx (1 worker), two gunicorn app servers of 2 workers each with a task"
        " worker beside each, the primary, the replica, Redis and the load tool share its cores. Two app servers on"
        " one 2-core machine cannot double throughput: the CPU is already shared by everything. This run shows the"
        " layout working under load (reads on the replica, writes on the primary, nothing lost, the writer reading"
        " its own writes); the throughput gain of a second app server shows on a second machine.",
        "",
        f"Read mix: {info['paths']} paths, a third map tiles (zoom 4 to 12), a third practice pages, a third"
        f" /api/v1/practices/<slug>/; wrk, {info['concurrency']} connections, {info['seconds']} s per row. Beside it"
        " one writer posts practices through the API with a submit token, then reads each back at once with its"
        " cookie (pinned to the primary) and without (a client that did not write).",
        "",
        "| through nginx to | requests/s | p50 ms | p95 ms | errors | writes acknowledged | landed once on the"
        " primary | on the replica | doubled | writer read its own write | missed without the pin |"
        " replica lag p50 / max ms | lag max bytes |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, row in rows.items():
        lines.append(
            f"| {name} | {row['rps']} | {row['p50_ms']} | {row['p95_ms']} | {row['errors']} |"
            f" {row['writes_acknowledged']} of {row['writes_sent']} | {row['primary']['once']} |"
            f" {row['replica']['once']} | {row['primary']['doubled']} |"
            f" {row['read_own_write']} of {row['writes_acknowledged']} | {row['missed_without_pin']} |"
            f" {row['lag_ms_p50']} / {row['lag_ms_max']} | {row['lag_bytes_max']} |"
        )
    one, two = rows.get("one app server"), rows.get("two app servers")
    if one and two and one["rps"]:
        lines += ["", f"Two app servers against one: {two['rps'] / one['rps']:.2f}x the requests per second."]
    lines += [
        "",
        "Each app server runs 2 sync gunicorn workers, which wait on the database as much as they compute: part of"
        " the second server's gain comes from 4 workers overlapping those waits instead of 2, which one server with"
        " 4 workers would give as well on this machine.",
        "",
        f"Replica caught up with the primary {info['replayed_after_s']:.2f} s after the last write. Reads sent to the"
        f" replica during the run (pg_stat_database.tup_returned growth): replica {info['tuples_replica']:,},"
        f" primary {info['tuples_primary']:,}.",
    ]
    return "\n".join(lines) + "\n"


def tuples_returned(port: int) -> int:
    return int(psql(port, "SELECT tup_returned FROM pg_stat_database WHERE datname = 'conect'"))


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.scaleout", description=__doc__.split("\n\n")[0])
    parser.add_argument("--source-db", default="conect_bench", help="database of the project's cluster to copy")
    parser.add_argument("--empty", action="store_true", help="no copy: migrations and the demo data")
    parser.add_argument("--seconds", type=int, default=20, help="wrk's duration per row")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--out", default=str(RESULTS / "scaleout"), help="results file, without .md / .json")
    args = parser.parse_args(argv)
    for tool in ("wrk", "redis-server", "pg_dump", "psql"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is needed (wrk, redis-server and the PostgreSQL 15 client from Debian)")
    nginx = ensure_nginx()
    prepare_work_dir()
    started: list = []
    try:
        redis_port = free_port()
        redis = Process("redis", ["redis-server", "--bind", "127.0.0.1", "--port", str(redis_port), "--save", "",
                                  "--appendonly", "no"]).start()  # fmt: skip
        started.append(redis)
        redis_url = f"redis://127.0.0.1:{redis_port}/0"
        primary = Cluster("primary")
        started.append(primary)
        make_primary(primary, args.source_db, args.empty, app_env(primary, None, redis_url))
        replica = make_replica(primary)
        started.append(replica)
        env = app_env(primary, replica, redis_url)
        apps = []
        for n in (1, 2):
            port = free_port()
            apps.append(port)
            gunicorn = [str(ROOT / ".venv" / "bin" / "gunicorn"), "conect.wsgi", "--bind", f"127.0.0.1:{port}",
                        "--workers", "2", "--error-logfile", "-"]  # fmt: skip
            started.append(Process(f"app{n}", gunicorn, env).start())
            worker = [sys.executable, "manage.py", "db_worker", "--no-reload"]
            started.append(Process(f"worker{n}", worker, env).start())
        for port in apps:
            wait_http(f"http://127.0.0.1:{port}/healthz")
        port_both, port_one = free_port(), free_port()
        conf = WORK / "nginx.conf"
        conf.write_text(NGINX_CONF.format(
            work=WORK, port_both=port_both, port_one=port_one,
            both=" ".join(f"server 127.0.0.1:{p};" for p in apps), one=f"server 127.0.0.1:{apps[0]};",
        ))  # fmt: skip
        started.append(Process("nginx", [nginx, "-c", str(conf), "-g", "daemon off;"]).start())
        wait_http(f"http://127.0.0.1:{port_both}/healthz")
        say(f"nginx on 127.0.0.1:{port_both} (both app servers) and :{port_one} (the first alone)")
        key = make_token(env)
        paths = read_paths(primary.port)
        tuples = (tuples_returned(replica.port), tuples_returned(primary.port))
        rows, tag = {}, f"scaleout-{int(time.time())}"
        for name, port in (("one app server", port_one), ("two app servers", port_both)):
            say(f"Warming up, then {args.seconds} s of load through nginx to {name}")
            wrk(f"http://127.0.0.1:{port}", paths, args.concurrency, max(3, args.seconds // 4))
            rows[name] = load(f"http://127.0.0.1:{port}", paths, args.concurrency, args.seconds, primary, key,
                              f"{tag} {name}")  # fmt: skip
        replayed = wait_replayed(primary, replica)
        for row in rows.values():
            row["primary"] = landed_once(primary.port, row["titles"])
            row["replica"] = landed_once(replica.port, row["titles"])
            del row["titles"]
        info = {
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "machine": machine(primary),
            "source": "the demo data" if args.empty else args.source_db,
            "paths": len(paths),
            "concurrency": args.concurrency,
            "seconds": args.seconds,
            "replayed_after_s": replayed,
            "tuples_replica": tuples_returned(replica.port) - tuples[0],
            "tuples_primary": tuples_returned(primary.port) - tuples[1],
        }
        for name, row in rows.items():
            print(name, {k: v for k, v in row.items() if k != "write_errors"})
            for error in row["write_errors"]:
                print("   write error:", error)
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.with_suffix(".md").write_text(markdown(info, rows, argv))
        out.with_suffix(".json").write_text(json.dumps({"info": info, "rows": rows}, indent=1) + "\n")
        say(f"Written {out.with_suffix('.md')}")
    finally:
        for thing in reversed(started):
            thing.stop()
