"""The network import on the task queue: its dry run and its import, each a task, run as the practices import runs
(the same job states, attempts, progress and failure handling: practices.services)."""

import dataclasses
from contextlib import contextmanager

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django_tasks import task

from networks import exchange
from networks.models import GraphImportJob, GraphImportRow
from practices.services import _claim, _next_attempt, _Progress, _still_latest

Status, Step = GraphImportJob.Status, GraphImportJob.Step


def start_import(
    *, by, content: File, filename: str, lab, publish: bool, connections: File | None = None
) -> GraphImportJob:
    """A job for an uploaded network (and its connections CSV), its dry run put on the task queue."""
    job = GraphImportJob(
        created_by=by,
        lab=lab,
        filename=filename[:255],
        publish=publish,
        language=get_language() or settings.LANGUAGE_CODE,
    )
    job.file.save(filename, content, save=False)
    if connections is not None:
        job.connections_filename = connections.name[:255]
        job.connections_file.save(connections.name, connections, save=False)
    job.save()
    queue_step(job, Step.PLAN)
    return job


def queue_step(job: GraphImportJob, step: str, *, retry: bool = False) -> bool:
    """Put the dry run or the import on the task queue (with retry, the step that failed or stalled again). False
    when the job is not ready for it (an import asked twice, say)."""
    with transaction.atomic():
        attempt = _next_attempt(job, step, retry=retry)
        if attempt is None:
            return False
        (plan_graph_import if step == Step.PLAN else run_graph_import).enqueue(job.pk, attempt)
    return True


@task()
def plan_graph_import(job_id: int, attempt: int) -> None:
    """The dry run: read the file and say what each row would do. A file with refused rows stops here."""
    job = _claim(job_id, attempt, model=GraphImportJob)
    if job is None:
        return
    with translation.override(job.language), _failure_recorded(job):
        graph = _read(job)
        if graph is None:
            return
        with _Progress(job, total=len(graph.elements) + len(graph.connections)) as progress:
            rows = exchange.plan(graph, lab=job.lab, user=job.created_by, progress=progress)
        with transaction.atomic():
            if _still_latest(job):
                _finish(job, *_outcome(rows), rows=rows)


@task()
def run_graph_import(job_id: int, attempt: int) -> None:
    """The import: plans again against the data as it is now, then writes every row in one transaction, or none."""
    job = _claim(job_id, attempt, model=GraphImportJob)
    if job is None:
        return
    with translation.override(job.language), _failure_recorded(job):
        if not job.may_run():
            _refuse(job, _("%(person)s may not import into %(lab)s (any more): nothing was imported.")
                    % {"person": job.created_by, "lab": job.lab})  # fmt: skip
            return
        graph = _read(job)
        if graph is None:
            return
        total = len(graph.elements) + len(graph.connections)
        with _Progress(job, total=2 * total) as progress:
            rows = exchange.plan(graph, lab=job.lab, user=job.created_by, progress=progress)
            try:
                with transaction.atomic():
                    summary = exchange.apply(
                        rows, lab=job.lab, by=job.created_by, publish=job.publish,
                        progress=lambda done: progress(total + done),
                    )  # fmt: skip
                    progress.stop()  # before the job's row is locked below: progress is written on another connection
                    if not _still_latest(job) or not job.may_run():
                        raise _RolledBack
                    job.report = dataclasses.asdict(summary)
                    _finish(job, Status.IMPORTED, rows=rows)
            except exchange.RowsRefused:
                with transaction.atomic():
                    if _still_latest(job):
                        _finish(job, *_outcome(rows), rows=rows)
            except _RolledBack:
                pass


class _RolledBack(Exception):
    """Retried meanwhile, or its owner lost the right to import into its Lab: what this run wrote is undone."""


def _outcome(rows: list[exchange.PlannedRow]) -> tuple[str, str]:
    refused = sum(1 for row in rows if row.action == "reject")
    if not refused:
        return Status.PLANNED, ""
    message = ngettext(
        "Nothing will be imported: %(count)s row is refused. Correct it and upload the file again.",
        "Nothing will be imported: %(count)s rows are refused. Correct them and upload the file again.",
        refused,
    )
    return Status.REFUSED, message % {"count": refused}


def _read(job: GraphImportJob) -> exchange.GraphFile | None:
    try:
        with job.file.open("rb") as handle:
            data = handle.read()
        connections = None
        if job.connections_file:
            with job.connections_file.open("rb") as handle:
                connections = handle.read()
        return exchange.read_graph_file(data, job.filename, connections=connections)
    except exchange.GraphFileError as error:
        _refuse(job, str(error))
        return None


def _refuse(job: GraphImportJob, error: str) -> None:
    with transaction.atomic():
        if _still_latest(job):
            _finish(job, Status.REFUSED, error=error)


def _finish(
    job: GraphImportJob, status: str, error: str = "", *, rows: list[exchange.PlannedRow] | None = None
) -> None:
    """Store a step's outcome, and its rows for the report (replacing the dry run's)."""
    if rows is not None:
        job.counts = {action: sum(1 for row in rows if row.action == action)
                      for action in ("create", "update", "unchanged", "reject")}  # fmt: skip
        job.rows.all().delete()
        GraphImportRow.objects.bulk_create(
            (
                GraphImportRow(job=job, sheet=row.sheet, number=row.number, action=row.action, title=row.title[:250],
                               reasons=row.reasons, warnings=row.warnings, organisation_id=row.organisation_id,
                               relationship_id=row.relationship_id)
                for row in rows
            ),
            batch_size=2000,
        )  # fmt: skip
        job.progress_done = job.progress_total
    job.status, job.error = status, error
    job.heartbeat_at = job.finished_at = timezone.now()
    job.save()


@contextmanager
def _failure_recorded(job: GraphImportJob):
    """An unexpected error fails the job with a reason its owner can read and a retry button; the traceback goes to
    the task's stored result and to the log."""
    try:
        yield
    except Exception as error:
        with transaction.atomic():
            if _still_latest(job):
                message = _("The job stopped on an unexpected error (%(error)s). Try again; if it fails again, "
                            "tell the platform's administrators.") % {"error": type(error).__name__}  # fmt: skip
                _finish(job, Status.FAILED, message)
        raise
