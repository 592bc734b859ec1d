"""The pieces every load measurement shares: servers started and stopped here (this code under gunicorn, an earlier
commit's code from `git archive`, Redis, the peers pygeoapi and TiPg, task-queue workers), wrk, the wait for an idle
database, pg_stat_statements, worker memory and the machine's description.

Nothing here measures by itself: bench/api.py and bench/suite.py decide what to run and what to report.
"""

import json
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
PEERS = ROOT / ".local" / "peers"
HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
VIEW = "bench_published_practices"
TIPG_COLLECTION = f"public.{VIEW}"
STATEMENT_TIMEOUT_MS = 10_000

# The public columns of a practice, as the peers serve them and as the SQL alone assembles them.
COLUMNS = (
    "slug, title, summary, description, original_language, dimensions, target_groups, resources, scale, status, "
    "start_date, end_date, country, city, website, created_at, updated_at"
)
VIEW_SQL = f"""
CREATE OR REPLACE VIEW {VIEW} AS
SELECT id, {COLUMNS}, location FROM practices_practice WHERE state = 'published'
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database() -> dict:
    db = settings.DATABASES["default"]
    return {
        "host": db.get("HOST") or "127.0.0.1",
        "port": int(db.get("PORT") or 5432),
        "name": db["NAME"],
        "user": db.get("USER") or "",
        "password": db.get("PASSWORD") or "",
    }


def database_url(db: dict) -> str:
    auth = db["user"] + (f":{db['password']}" if db["password"] else "")
    return f"postgresql://{auth}@{db['host']}:{db['port']}/{db['name']}"


def server_database_url(db: dict, statement_timeout_ms: int = STATEMENT_TIMEOUT_MS) -> str:
    """The DATABASE_URL of a served process: our connections' options (jit and parallel workers off) and a
    statement_timeout, so that a runaway query fails the request instead of stalling the run."""
    options = settings.DATABASES["default"].get("OPTIONS", {}).get("options", "")
    options = f"{options} -c statement_timeout={statement_timeout_ms}".strip()
    query = urllib.parse.urlencode({"options": options}, quote_via=urllib.parse.quote)
    return "postgis://" + database_url(db).removeprefix("postgresql://") + "?" + query


def get(url: str, headers: dict | None = None, timeout: float = 60) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (loopback only)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, b""


class Server:
    """A server process started here, in a session of its own, stopped by its id."""

    def __init__(self, name: str, base: str, probe: str, argv: list[str], env: dict, cwd: Path, log: Path):
        self.name, self.base, self.probe = name, base, probe
        self.argv, self.env, self.cwd, self.log = argv, env, cwd, log
        self.process = None

    def ready(self) -> bool:
        return get(self.base + self.probe)[0] == 200

    def start(self, timeout: float = 90) -> "Server":
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                self.argv, env=self.env, cwd=self.cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} stopped at start (exit {self.process.returncode}): see {self.log}")
            if self.ready():
                return self
            time.sleep(0.3)
        self.stop()
        raise SystemExit(f"{self.name} did not answer {self.probe} within {timeout:.0f} s: see {self.log}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None

    def workers(self) -> list[int]:
        """The process ids of the server's workers (the children of its master), or the master alone."""
        if self.process is None:
            return []
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return []
        return [int(c) for c in children] or [pid]

    def rss_mib(self) -> list[float]:
        """Each worker's resident memory, MiB."""
        return [rss_mib(pid) for pid in self.workers()]


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return 0.0


class RedisServer(Server):
    """redis-server on a loopback port, nothing saved to disk: the shared cache of our server (REDIS_URL)."""

    def __init__(self, logs: Path):
        port = free_port()
        argv = ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]
        super().__init__("Redis", f"redis://127.0.0.1:{port}/0", "", argv, dict(os.environ), logs, logs / "redis.log")
        self.port = port

    def ready(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def flush(self) -> None:
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
            s.sendall(b"FLUSHALL\r\n")
            s.recv(16)


def served_env(db: dict | None, anon_rate: str = "100000000/hour", redis_url: str = "") -> dict:
    """The environment of a process of the served code (gunicorn, a task worker), DEBUG off; without `db`, the
    caller sets DATABASE_URL (bench.scaleout: its own primary and replica)."""
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "conect.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "API_ANON_RATE": anon_rate,
        "API_TOKEN_RATE": anon_rate,
        "STATIC_ROOT": str(ROOT / ".local" / "staticfiles"),  # collected here, also for an earlier tree's pages
        "REDIS_URL": redis_url,
        "TASKS_BACKEND": "database",
    }
    return env | {"DATABASE_URL": server_database_url(db)} if db is not None else env


def conect_server(tree: Path, db: dict, logs: Path, anon_rate: str = "100000000/hour", redis_url: str = "",
                  name: str = "this code", workers: int = 2) -> Server:  # fmt: skip
    """gunicorn serving the code in `tree` (2 sync workers, as scripts/serve.sh), DEBUG off."""
    port = free_port()
    env = served_env(db, anon_rate, redis_url)
    argv = [str(ROOT / ".venv" / "bin" / "gunicorn"), "conect.wsgi", "--chdir", str(tree)]
    argv += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--error-logfile", "-", "--timeout", "120"]
    log = logs / f"conect-{name.replace(' ', '-')}.log"
    return Server(name, f"http://127.0.0.1:{port}", "/healthz", argv, env, tree, log)


def task_worker(tree: Path, db: dict, logs: Path, redis_url: str = "") -> subprocess.Popen:
    """`manage.py db_worker` of the code in `tree`: runs what the task queue holds (imports, composite indexes)."""
    env = served_env(db, redis_url=redis_url)
    with open(logs / "db_worker.log", "ab") as log:
        return subprocess.Popen(
            [sys.executable, "manage.py", "db_worker"], cwd=tree, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip


def stop_process(process: subprocess.Popen | None) -> None:
    if process is not None and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def archive_tree(rev: str) -> Path:
    """The code of commit `rev`, exported with `git archive` into a temporary directory."""
    tree = Path(tempfile.mkdtemp(prefix=f"bench-tree-{rev[:12]}-"))
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def install_peers() -> str:
    """bench/peers/install.sh (pygeoapi 0.21, TiPg 1.6.1 from the package registry); '' or why it failed."""
    install = subprocess.run([str(HERE / "peers" / "install.sh")], capture_output=True, text=True)
    return "" if install.returncode == 0 else (install.stderr.strip()[-500:] or f"exit {install.returncode}")


def make_view() -> int:
    with connection.cursor() as cursor:
        cursor.execute(VIEW_SQL)
        cursor.execute(f"SELECT count(*) FROM {VIEW}")  # noqa: S608 - a constant name
        return cursor.fetchone()[0]


def drop_view() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP VIEW IF EXISTS {VIEW}")  # never in the way of a migration of practices_practice


def pygeoapi_server(db: dict, logs: Path) -> Server:
    port = free_port()
    venv = PEERS / "pygeoapi" / "bin"
    config = PEERS / f"pygeoapi-{port}.yml"
    text = (HERE / "peers" / "pygeoapi.yml.in").read_text()
    values = {"PORT": port, "DB_HOST": db["host"], "DB_PORT": db["port"], "DB_NAME": db["name"]}
    values |= {"DB_USER": db["user"], "DB_PASSWORD": db["password"]}
    for key, value in values.items():
        text = text.replace(f"@{key}@", str(value))
    config.write_text(text)
    openapi = PEERS / f"pygeoapi-openapi-{port}.yml"
    env = os.environ | {"PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
    env["PGOPTIONS"] = f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"
    subprocess.run(
        [str(venv / "pygeoapi"), "openapi", "generate", str(config), "--output-file", str(openapi)],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    argv = [str(venv / "gunicorn"), "pygeoapi.flask_app:APP", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    return Server("pygeoapi 0.21", f"http://127.0.0.1:{port}", "/collections/practices", argv, env, PEERS,
                  logs / "pygeoapi.log")  # fmt: skip


def tipg_server(db: dict, logs: Path) -> Server:
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": database_url(db),
        "TIPG_DB_SCHEMAS": '["public"]',
        "TIPG_DB_TABLES": json.dumps([TIPG_COLLECTION]),
        "TIPG_DB_FUNCTIONS": "[]",
        f"TIPG_TABLE_CONFIG__public_{VIEW}__PK": "slug",
        "TIPG_DB_MAX_CONN_SIZE": "10",
        "TIPG_MAX_FEATURES_PER_TILE": "20000",  # its cap on the points of a tile (default 10,000): ours has none
        "PGOPTIONS": f"-c statement_timeout={STATEMENT_TIMEOUT_MS}",
    }
    argv = [str(PEERS / "tipg" / "bin" / "uvicorn"), "tipg.main:app", "--host", "127.0.0.1", "--port", str(port)]
    argv += ["--workers", "2", "--no-access-log", "--log-level", "warning"]
    return Server("TiPg 1.6.1", f"http://127.0.0.1:{port}", f"/collections/{TIPG_COLLECTION}", argv, env, PEERS,
                  logs / "tipg.log")  # fmt: skip


def wait_idle(timeout: float) -> bool:
    """Until no other client of the cluster runs a query for a second (True), or `timeout` passed (False)."""
    deadline, quiet = time.monotonic() + timeout, 0
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid()"
                " AND backend_type = 'client backend'"
            )
            quiet = quiet + 1 if cursor.fetchone()[0] == 0 else 0
            if quiet >= 3:  # 0.6 s without a query
                return True
            time.sleep(0.2)
    return False


def wrk(base: str, paths: list[str], concurrency: int, seconds: float, headers: dict | None = None) -> dict:
    """wrk for `seconds` (it runs for a duration, not a number of requests), rotating over `paths`."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(paths) + "\n")
    threads = min(concurrency, 2)
    argv = ["wrk", "-t", str(threads), "-c", str(concurrency), "-d", f"{max(1, round(seconds))}s", "--timeout", "60s"]
    for key, value in (headers or {}).items():
        argv += ["-H", f"{key}: {value}"]
    argv += ["-s", str(HERE / "peers" / "wrk.lua"), base, "--", f.name]
    try:
        out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(f.name)
    line = next(line for line in out.splitlines() if line.startswith("{"))
    raw = json.loads(line)
    return {
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p95_ms": round(raw["p95_us"] / 1000, 2),
        "p99_ms": round(raw.get("p99_us", raw["p95_us"]) / 1000, 2),
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 2),
        "requests": raw["requests"],
        "errors": raw["status"] + raw["connect"] + raw["read"] + raw["write"] + raw["timeout"],
    }


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] if ordered else 0.0


def summarise(latencies_ms: list[float], errors: int = 0, elapsed_s: float | None = None) -> dict:
    """p50/p95/p99 of latencies timed here (sequential requests), and the throughput they amount to."""
    if not latencies_ms:
        return {"p50_ms": None, "p95_ms": None, "p99_ms": None, "rps": None, "requests": 0, "errors": errors}
    elapsed = elapsed_s if elapsed_s else sum(latencies_ms) / 1000
    return {
        "p50_ms": round(statistics.median(latencies_ms), 2),
        "p95_ms": round(percentile(latencies_ms, 0.95), 2),
        "p99_ms": round(percentile(latencies_ms, 0.99), 2),
        "rps": round(len(latencies_ms) / elapsed, 2) if elapsed else None,
        "requests": len(latencies_ms),
        "errors": errors,
    }


def timed_get(url: str, headers: dict | None = None) -> tuple[float, int, bytes]:
    start = time.perf_counter()
    status, body = get(url, headers)
    return (time.perf_counter() - start) * 1000, status, body


def pg_statements_ready() -> bool:
    """pg_stat_statements in the bench database (the cluster preloads it: scripts/pg.sh), planning time counted too
    (pg_stat_statements.track_planning on for this database's new connections: the servers started afterwards)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
            cursor.execute("SELECT current_database()")
            name = cursor.fetchone()[0].replace('"', '""')
            cursor.execute(f'ALTER DATABASE "{name}" SET pg_stat_statements.track_planning = on')
            cursor.execute("SELECT oid FROM pg_database WHERE datname = current_database()")
            cursor.execute("SELECT pg_stat_statements_reset(0, %s, 0)", [cursor.fetchone()[0]])  # this database's
        return True
    except Exception:  # noqa: BLE001 - not preloaded, or not allowed: the column stays empty
        connection.close()
        return False


def pg_reset() -> dict:
    """Not a reset (pg_stat_statements_reset() empties every database's statistics, others' runs included): each
    statement's total now, which pg_total_ms(since=) subtracts."""
    return pg_statements()


def pg_statements() -> dict:
    """(user, query id) -> planning + execution ms so far, for this database's statements (pg_stat_statements,
    top-level statements only: a function's own queries count in its caller's time); the harness's own statistics
    and idle-wait queries left out."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT userid, queryid, total_exec_time + total_plan_time FROM pg_stat_statements s"
            " JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = current_database()"
            " AND query NOT ILIKE '%pg_stat_%'"
        )
        return {(user, query): float(ms) for user, query, ms in cursor.fetchall()}


def pg_total_ms(since: dict | None = None) -> float:
    """The planning and execution time spent on this database's statements since the snapshot `since`, statement by
    statement: one reset since (by another run) or evicted meanwhile counts from zero, never negative."""
    since = since or {}
    total = 0.0
    for key, ms in pg_statements().items():
        before = since.get(key, 0.0)
        total += ms - before if ms >= before else ms
    return total


def machine() -> dict:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor(),
    )  # fmt: skip
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
        cursor.execute("SELECT PostGIS_Lib_Version()")
        postgis = cursor.fetchone()[0]
        settings_ = {}
        for name in ("shared_buffers", "work_mem", "jit", "effective_cache_size", "random_page_cost"):
            cursor.execute(f"SHOW {name}")
            settings_[name] = cursor.fetchone()[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "postgresql": pg,
        "postgis": postgis,
        "pg_settings": settings_,
        "python": platform.python_version(),
        "kernel": platform.release(),
        "load_before": os.getloadavg(),
    }


def git_commit(tree: Path, rev: str = "HEAD") -> str:
    """The commit served, and whether the working tree differs from it."""
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%h %s", rev], cwd=tree, capture_output=True, text=True)
        if rev == "HEAD" and out.stdout:
            dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=tree,
                                   capture_output=True, text=True).stdout  # fmt: skip
            return out.stdout.strip()[:100] + (" + uncommitted changes of the working tree" if dirty else "")
        return out.stdout.strip()[:100] or f"(the code in {tree})"
    except OSError:
        return "(unknown)"
