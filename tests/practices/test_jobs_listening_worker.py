"""A worker waiting for work (`manage.py db_worker`, conect/management/commands/db_worker.py) takes a job as soon as it
is queued, woken by PostgreSQL, not at its next look at the queue. The worker runs as on a server: its own process,
its poll interval set far longer than the test may wait, so only the wake-up can make the job run in time."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from practices.models import ImportJob
from tests.conftest import client_for
from tests.practices.test_jobs import queue_in_the_database, upload  # noqa: F401 (a fixture, used by its name)

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
POLL_SECONDS = 600  # the worker's --interval: a job found by polling would make the test time out
WAIT_SECONDS = 60  # how long the test waits for the worker


def database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgis://{s['USER']}{password}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"waited {WAIT_SECONDS} s for {what}")


def listening() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN conect_tasks'"
        )
        return cursor.fetchone()[0] > 0


@pytest.fixture
def worker():
    env = {**os.environ, "DATABASE_URL": database_url(), "TASKS_BACKEND": "database"}
    process = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", f"--interval={POLL_SECONDS}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(lambda: process.poll() is not None or listening(), "the worker to listen")
        assert process.poll() is None, process.stderr.read().decode()
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_a_waiting_worker_plans_then_imports_a_job_as_soon_as_each_step_is_queued(lab, facilitator, worker):
    c = client_for(facilitator)
    job_url = upload(c, lab)
    wait_for(lambda: ImportJob.objects.get().status == ImportJob.Status.PLANNED, "the plan")
    c.post(job_url, {"import": "1", **c.get(job_url).context["form"].initial})
    wait_for(lambda: ImportJob.objects.get().status == ImportJob.Status.IMPORTED, "the import")
    assert worker.poll() is None  # still waiting for the next job


def listener_pid() -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN conect_tasks'"
        )
        found = cursor.fetchone()
    return found[0] if found else None


def test_a_worker_whose_listening_connection_ended_listens_again_and_still_takes_a_job_at_once(
    lab, facilitator, worker
):
    first = listener_pid()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [first])  # as a PostgreSQL restart or a pooler would
    wait_for(lambda: listener_pid() not in (None, first), "the worker to listen again")
    upload(client_for(facilitator), lab)
    wait_for(lambda: ImportJob.objects.get().status == ImportJob.Status.PLANNED, "the plan")
    assert worker.poll() is None
