"""`manage.py db_worker`: django-tasks-db's worker, woken by PostgreSQL as soon as a task is queued.

django-tasks-db's worker looks for a ready task, and when there is none sleeps `--interval` seconds (1 by default)
before it looks again: a person waiting for a composite index or an import waited for that sleep too (half a second on
average, a second at worst: "composite index, computed on the task queue" in bench/results/). Here the worker LISTENs on
TASKS_CHANNEL on a connection of its own, and a trigger on the queue's table (migration conect 0005) NOTIFYs it when a
task is queued, at the commit of the transaction that queued it; the worker then looks at once. `--interval` stays the
longest wait: a task queued to run later (`run_after`), or one whose notification was lost with a broken listening
connection, is found by the next poll as before.

Everything else is django-tasks-db's own worker and command (arguments, signals, claiming, logging); `--batch` never
listens (it stops when the queue is empty). Behind a pooler in transaction mode (PgBouncer), LISTEN needs a direct
connection to PostgreSQL: point the workers' DATABASE_URL at it (README "Background jobs").
"""

import logging
import time

from django.db import close_old_connections, connections, router
from django.db.utils import OperationalError
from django_tasks_db.management.commands import db_worker as upstream
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

logger = logging.getLogger("django_tasks_db")

TASKS_CHANNEL = "conect_tasks"  # the channel migration conect 0005's trigger notifies


class Listener:
    """A connection of its own, LISTENing on TASKS_CHANNEL: `wait(seconds)` returns when a task has been queued since
    the last wait, or when the seconds have passed. A notification that arrives while the worker runs a task or looks
    at the queue waits in the connection, so the next wait returns at once: none is missed between a look and a wait.
    Without a connection (PostgreSQL restarting) it sleeps, and connects again at the next wait."""

    def __init__(self, alias: str):
        self.alias = alias
        self.connection = None
        self.failing = False

    def _connect(self) -> None:
        wrapper = connections[self.alias]
        self.connection = wrapper.get_new_connection(wrapper.get_connection_params())
        self.connection.autocommit = True
        self.connection.execute(f"LISTEN {TASKS_CHANNEL}")

    def start(self) -> bool:
        try:
            self._connect()
        # Whatever the failure to connect, the worker goes on polling, as upstream's does; said once per outage.
        except Exception as error:  # noqa: BLE001
            if not self.failing:
                logger.warning("Not listening for queued tasks (%s): looking every interval instead", error)
            self.failing = True
            self.close()
            return False
        if self.failing:
            logger.warning("Listening for queued tasks again")
        self.failing = False
        return True

    def wait(self, seconds: float) -> None:
        if self.connection is None:
            # Listening again after a failure: a task queued before the LISTEN sent its notification to nobody, so
            # return for one more look at the queue (or, still without a connection, after the poll interval).
            if not self.start():
                time.sleep(seconds)
            return
        try:
            for _ in self.connection.notifies(timeout=seconds, stop_after=1):
                pass
            for _ in self.connection.notifies(timeout=0):  # the others already there: one look finds all their tasks
                pass
        # Whatever broke the connection (PostgreSQL restarted, the backend ended), it is made again at once, and the
        # worker looks at the queue: a task queued meanwhile notified nobody. Without PostgreSQL, the poll interval.
        except Exception as error:  # noqa: BLE001
            logger.warning("The connection listening for queued tasks broke (%s)", error)
            self.close()
            if not self.start():
                time.sleep(seconds)

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            finally:
                self.connection = None


class Worker(upstream.Worker):
    def run(self) -> None:
        """django-tasks-db 0.13's Worker.run, with its sleep between two looks replaced by Listener.wait."""
        logger.info("Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names))
        listener = None if self.batch else Listener(router.db_for_write(DBTaskResult))
        if listener is not None:
            listener.start()  # before the first look, so that a task queued after it wakes the first wait
        if self.startup_delay and self.interval:
            time.sleep(upstream.random.random())  # noqa: S311 (upstream's guard against a thundering herd)
        try:
            while self.running:
                close_old_connections()
                task_result, retrieved = self._claim()
                if task_result is not None:
                    self.run_task(task_result)
                if self.batch and retrieved and task_result is None:
                    logger.info("No more tasks to run for worker_id=%s - exiting gracefully.", self.worker_id)
                    return
                if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                    done, worker = self._run_tasks, self.worker_id
                    logger.info("Run maximum tasks (%d) on worker=%s - exiting gracefully.", done, worker)
                    return
                close_old_connections()
                if self.running and task_result is None:
                    if listener is None:
                        time.sleep(self.interval)
                    else:
                        listener.wait(self.interval)
        finally:
            if listener is not None:
                listener.close()

    def _claim(self) -> tuple[DBTaskResult | None, bool]:
        """The next ready task, claimed by this worker (None when there is none), and whether the queue was read."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)  # so that no other worker runs it
            except OperationalError as error:
                if is_locked_database_exception(error):
                    return None, False
                raise
        return task_result, True


upstream.Worker = Worker  # the command below (upstream's) makes its worker from the module's Worker


class Command(upstream.Command):
    help = "Run a database background worker, woken by PostgreSQL as soon as a task is queued"
