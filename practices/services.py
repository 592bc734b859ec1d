"""Write logic that spans models or talks to the outside: moderation decisions with their e-mails, and imports run as
jobs on the task queue. (Adding and editing go through the models' own save_new() and save_edit(), in
labs.moderation.)"""

import dataclasses
import logging
import time
from collections.abc import Callable
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.mail import send_mail
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from labs.models import Lab
from labs.moderation import Moderated
from practices import importers, tasks
from practices.models import ImportJob, ImportJobBase, ImportRow

logger = logging.getLogger(__name__)


@transaction.atomic
def decide(item: Moderated, *, action: str, by, reason: str = "", request=None, version: int | None = None) -> None:
    """Publish, reject or ask for changes, and tell the author by e-mail (a task queued once the decision is saved).

    `version` is the version the moderator read: if the author saved since, nothing is decided (EditConflict)."""
    item.check_version(version)
    if action == "publish":
        item.publish(by=by)
    elif action == "reject":
        item.reject(by=by, reason=reason)
    elif action == "request_changes":
        item.request_changes(by=by, reason=reason)
    else:
        raise ValueError(action)
    author = item.created_by
    if author is None or not author.email or author == by:
        return
    link = request.build_absolute_uri(item.get_absolute_url()) if request else item.get_absolute_url()
    email = {"to": author.email, "title": str(item), "action": action, "reason": reason, "moderator": by.public_name,
             "link": link, "language": get_language() or settings.LANGUAGE_CODE}  # fmt: skip
    transaction.on_commit(partial(tasks.send_decision_email.enqueue, **email))


def send_decision_email(
    *, to: str, title: str, action: str, reason: str, moderator: str, link: str, language: str
) -> None:
    """Tell an author what was decided, in the language the moderator used (run by a worker, after the decision)."""
    with translation.override(language):
        subject = {
            "publish": _("Published: %(title)s"),
            "reject": _("Not published: %(title)s"),
            "request_changes": _("Changes asked for: %(title)s"),
        }[action] % {"title": title}
        context = {"title": title, "action": action, "reason": reason, "moderator": moderator, "link": link}
        body = render_to_string("practices/email/decision.txt", context)
    # Not silent: a failure is stored with the task's result (and logged) for the operators to see.
    send_mail(subject, body, None, [to])


# --- Imports ---------------------------------------------------------------------------------------------------------
# One job per uploaded file (ImportJob). Its two steps run on the task queue for the pages (queue_step), and here and
# now for `manage.py import_practices` (run_step): the same functions, plan_import() and run_import(), either way.


def create_import(
    *,
    by,
    content: File,
    filename: str,
    lab: Lab | None,
    source: str = "",
    publish: bool = False,
    europe_only: bool = True,
    strict: bool = False,
    mapping: dict[str, str] | None = None,
) -> ImportJob:
    """A job for a file of practices, its dry run not started yet. Without a mapping, the dry run guesses one."""
    job = ImportJob(
        created_by=by,
        lab=lab,
        filename=filename[:255],
        source=source[:100],
        language=get_language() or settings.LANGUAGE_CODE,
        mapping=mapping or {},
        publish=publish,
        europe_only=europe_only,
        strict=strict,
    )
    job.file.save(filename, content, save=False)
    job.save()
    return job


def start_import(**options) -> ImportJob:
    """create_import(), with its dry run put on the task queue."""
    job = create_import(**options)
    queue_step(job, ImportJob.Step.PLAN)
    return job


def queue_step(job: ImportJob, step: str, *, mapping: dict[str, str] | None = None, retry: bool = False) -> bool:
    """Put a step of the job on the task queue: its dry run (again, with new columns) or its import; with retry, the
    step that failed or stalled. False when the job is not ready for it (an import asked twice, say)."""
    with transaction.atomic():
        attempt = _next_attempt(job, step, mapping=mapping, retry=retry)
        if attempt is None:
            return False
        # In the transaction that moves the job on: with the database backend, a worker sees both or neither.
        (tasks.plan_import if step == ImportJob.Step.PLAN else tasks.run_import).enqueue(job.pk, attempt)
    return True


def run_step(job: ImportJob, step: str, *, echo: Callable[[int, int], None] | None = None) -> None:
    """Run a step of the job here and now, as a worker would (`manage.py import_practices`); `echo(done, total)`
    follows its progress."""
    with transaction.atomic():
        attempt = _next_attempt(job, step)
    if attempt is None:
        raise ValueError(f"import job {job.pk} is not ready for its {step} step")
    (plan_import if step == ImportJob.Step.PLAN else run_import)(job.pk, attempt=attempt, echo=echo)
    job.refresh_from_db()


def retry_import(job: ImportJob) -> bool:
    """Run the step that failed (or whose worker was stopped) again."""
    return queue_step(job, job.step, retry=True)


def _next_attempt(job: ImportJobBase, step: str, *, mapping: dict | None = None, retry: bool = False) -> int | None:
    locked = type(job).objects.select_for_update().get(pk=job.pk)
    if retry:
        ready = locked.can_retry and step == locked.step
    elif step == ImportJob.Step.PLAN:
        ready = locked.attempt == 0 or locked.status in (ImportJob.Status.PLANNED, ImportJob.Status.REFUSED)
    else:  # one import per job, however often the button is pressed
        ready = locked.status == ImportJob.Status.PLANNED
    if not ready:
        return None
    if mapping is not None:
        locked.mapping = mapping
    locked.step, locked.status, locked.attempt = step, ImportJob.Status.WAITING, locked.attempt + 1
    locked.progress_done = locked.progress_total = 0
    locked.error, locked.heartbeat_at, locked.finished_at = "", timezone.now(), None
    locked.save()
    job.refresh_from_db()
    return locked.attempt


def plan_import(job_id: int, *, attempt: int, echo: Callable[[int, int], None] | None = None) -> None:
    """A job's dry run: read the file, guess its columns the first time, plan every row and store what each will do,
    so that no request ever plans (50,000 rows take half a minute)."""
    job = _claim(job_id, attempt)
    if job is None:
        return
    with translation.override(job.language), _failure_recorded(job):
        table = _read(job)
        if table is None:
            return
        job.mapping = job.mapping or importers.guess_mapping(table)
        job.source = job.source or (table.source_hint or Path(job.filename).stem)[:100]
        with _Progress(job, total=len(table.rows), echo=echo) as progress:
            rows = importers.plan(
                table, job.mapping, source=job.source, lab=job.lab, europe_only=job.europe_only, progress=progress
            )
        with transaction.atomic():
            if _still_latest(job):
                job.columns = table.columns
                _finish(job, ImportJob.Status.PLANNED, rows=rows)


def run_import(job_id: int, *, attempt: int, echo: Callable[[int, int], None] | None = None) -> None:
    """A job's import: checks again that its owner may import into its Lab, plans again against the database as it
    is now, then writes every row in one transaction, or nothing."""
    job = _claim(job_id, attempt)
    if job is None:
        return
    with translation.override(job.language), _failure_recorded(job):
        if not job.may_run():
            _refuse_no_longer_allowed(job)
            return
        table = _read(job)
        if table is None:
            return
        total = len(table.rows)
        # Progress counts the rows planned again, then the rows written: twice the rows in all.
        with _Progress(job, total=2 * total, echo=echo) as progress:
            rows = importers.plan(
                table, job.mapping, source=job.source, lab=job.lab, europe_only=job.europe_only, progress=progress
            )
            try:
                with transaction.atomic():
                    summary = importers.apply(
                        rows, source=job.source, lab=job.lab, by=job.created_by, publish=job.publish,
                        strict=job.strict, progress=lambda done: progress(total + done),
                    )  # fmt: skip
                    progress.stop()  # before the job's row is locked below: progress is written on another connection
                    if not _still_latest(job):
                        raise _Superseded
                    if not job.may_run():  # demoted while the rows were planned again: nothing is written
                        raise _NoLongerAllowed
                    job.report = dataclasses.asdict(summary)
                    _finish(job, ImportJob.Status.IMPORTED, rows=rows)
            except importers.StrictImportRefused:
                with transaction.atomic():
                    if _still_latest(job):
                        error = _("Nothing was imported: some rows are refused and you asked for all or nothing.")
                        _finish(job, ImportJob.Status.REFUSED, rows=rows, error=error)
            except _Superseded:
                pass
            except _NoLongerAllowed:
                _refuse_no_longer_allowed(job)


def _refuse_no_longer_allowed(job: ImportJob) -> None:
    with transaction.atomic():
        if _still_latest(job):
            message = _("%(person)s may not import into %(lab)s (any more): nothing was imported.")
            _finish(job, ImportJob.Status.REFUSED, error=message % {"person": job.created_by, "lab": job.lab})


class _NoLongerAllowed(Exception):
    """The job's owner lost the right to import into its Lab while it ran: what it wrote is rolled back."""


class _Superseded(Exception):
    """This run of a step is no longer its job's latest (retried meanwhile): what it wrote is rolled back."""


def _claim(job_id: int, attempt: int, *, model: type[ImportJobBase] = ImportJob) -> ImportJobBase | None:
    """The job, marked running, when this run is its latest; None when it was retried or ran already."""
    claimed = model.objects.filter(pk=job_id, attempt=attempt, status=model.Status.WAITING).update(
        status=model.Status.RUNNING, heartbeat_at=timezone.now()
    )
    return model.objects.select_related("lab", "created_by").get(pk=job_id) if claimed else None


def _still_latest(job: ImportJobBase) -> bool:
    """Locks the job's row: call inside the transaction that writes the step's outcome."""
    return type(job).objects.select_for_update().filter(pk=job.pk, attempt=job.attempt).exists()


def _read(job: ImportJob) -> importers.Table | None:
    try:
        with job.file.open("rb") as handle:
            return importers.read_table(handle.read(), job.filename)
    except importers.ImportFileError as error:
        with transaction.atomic():
            if _still_latest(job):
                _finish(job, ImportJob.Status.REFUSED, error=str(error))
        return None


def _finish(job: ImportJob, status: str, *, rows: list[importers.RowPlan] | None = None, error: str = "") -> None:
    """Store a step's outcome, and its rows for the report (replacing the dry run's)."""
    if rows is not None:
        job.counts = {action: sum(1 for r in rows if r.action == action) for action in ("create", "update", "reject")}
        if status == ImportJob.Status.IMPORTED:  # the import knows which updates changed nothing
            job.counts["update"] += sum(1 for r in rows if r.action == "unchanged")
        job.rows.all().delete()
        ImportRow.objects.bulk_create(
            (
                ImportRow(job=job, number=row.number, action=row.action, title=row.title[:250], reasons=row.reasons,
                          warnings=row.warnings, practice_id=row.practice_id)
                for row in rows
            ),
            batch_size=2000,
        )  # fmt: skip
        job.progress_done = job.progress_total
    job.status, job.error = status, error
    job.heartbeat_at = job.finished_at = timezone.now()
    job.save()


@contextmanager
def _failure_recorded(job: ImportJob):
    """An unexpected error fails the job with a reason its owner can read, and a retry button; the traceback goes to
    the task's stored result and to the log."""
    try:
        yield
    except Exception as error:
        with transaction.atomic():
            if _still_latest(job):
                _finish(job, ImportJob.Status.FAILED, error=_("The job stopped on an unexpected error (%(error)s). "
                        "Try again; if it fails again, tell the platform's administrators.")
                        % {"error": type(error).__name__})  # fmt: skip
        raise


class _Progress:
    """A job's progress and heartbeat, written at most once a second on a database connection of its own: the
    import writes in one transaction that nobody sees until it commits, while its page must show how far it got."""

    EVERY = 1.0  # seconds

    def __init__(self, job: ImportJobBase, *, total: int, echo: Callable[[int, int], None] | None = None):
        self.job, self.total, self.echo = job, total, echo
        job.progress_total = total  # the outcome, written by _finish(), says all of it was done
        self.connection = None
        self.written_at = 0.0
        self.stopped = False

    def __enter__(self) -> "_Progress":
        self(0)
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def __call__(self, done: int) -> None:
        if self.echo:
            self.echo(done, self.total)
        now = time.monotonic()
        if self.stopped or (0 < done < self.total and now - self.written_at < self.EVERY):
            return
        self.written_at = now
        try:
            if self.connection is None:
                self.connection = connections.create_connection(DEFAULT_DB_ALIAS)
                with self.connection.cursor() as cursor:
                    # Progress is a courtesy: it never waits on a lock held by the job's own transaction.
                    cursor.execute("SET lock_timeout = '200ms'")
            with self.connection.cursor() as cursor:
                table = self.connection.ops.quote_name(type(self.job)._meta.db_table)
                cursor.execute(
                    f"UPDATE {table} SET progress_done = %s, progress_total = %s, heartbeat_at = now() "  # noqa: S608
                    "WHERE id = %s AND attempt = %s",
                    [done, self.total, self.job.pk, self.job.attempt],
                )
        except DatabaseError:
            # The job's row is locked when the step runs inside the transaction that queued it (the immediate
            # backend): the page could not show progress then anyway.
            logger.info("progress of import job %s not written", self.job.pk, exc_info=True)
            self.stop()

    def stop(self) -> None:
        self.stopped = True
        if self.connection is not None:
            self.connection.close()
            self.connection = None
