"""The spreadsheet import of measurements on the task queue: its dry run and its import, each a task
(indicators.tasks), run as the practices and networks imports run (the same job states, attempts and failure handling:
practices.services). Both steps call indicators.importers.import_measurements, as the command and the tests do."""

from contextlib import contextmanager

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from indicators import importers, tasks
from indicators.models import MeasurementImportJob, MeasurementImportRow, MeasurementState
from practices.importers import ImportFileError
from practices.services import _claim, _next_attempt, _still_latest

Status, Step = MeasurementImportJob.Status, MeasurementImportJob.Step


def start_import(
    *, by, content: File, filename: str, framework, lab=None, state: str = MeasurementState.DRAFT, period: str = ""
) -> MeasurementImportJob:
    """A job for an uploaded spreadsheet of values, its dry run put on the task queue. The choices (the state the
    values go to, the period of plain `<code>` columns) are kept in the job's report under "options"."""
    job = MeasurementImportJob(
        created_by=by,
        lab=lab,
        framework=framework,
        filename=filename[:255],
        publish=state != MeasurementState.DRAFT,
        language=get_language() or settings.LANGUAGE_CODE,
        report={"options": {"state": state, "period": period}},
    )
    job.file.save(filename, content, save=False)
    job.save()
    queue_step(job, Step.PLAN)
    return job


def options(job: MeasurementImportJob) -> dict:
    return {"state": MeasurementState.DRAFT, "period": ""} | (job.report or {}).get("options", {})


def queue_step(job: MeasurementImportJob, step: str, *, retry: bool = False) -> bool:
    """Put the dry run or the import on the task queue (with retry, the step that failed or stalled again). False
    when the job is not ready for it (an import asked twice, say)."""
    with transaction.atomic():
        attempt = _next_attempt(job, step, retry=retry)
        if attempt is None:
            return False
        task = tasks.plan_measurement_import if step == Step.PLAN else tasks.run_measurement_import
        task.enqueue(job.pk, attempt)
    return True


def plan_import(job_id: int, attempt: int) -> None:
    """The dry run: read the file and say what each row would do. A file with a refused row stops here."""
    job = _claim(job_id, attempt, model=MeasurementImportJob)
    if job is None:
        return
    with translation.override(job.language), _failure_recorded(job):
        report = _import(job, dry_run=True)
        if report is None:
            return
        with transaction.atomic():
            if _still_latest(job):
                _finish(job, *_outcome(report), report=report)


def run_import(job_id: int, attempt: int) -> None:
    """The import: checks every row again against the data as it is now, then saves all of them, or none."""
    job = _claim(job_id, attempt, model=MeasurementImportJob)
    if job is None:
        return
    with translation.override(job.language), _failure_recorded(job):
        if not job.may_run():
            _refuse(job, _("%(person)s may not import these values (any more): nothing was imported.")
                    % {"person": job.created_by})  # fmt: skip
            return
        try:
            with transaction.atomic():
                report = _import(job, dry_run=False)
                if report is None:
                    return
                if not _still_latest(job) or not job.may_run():
                    raise _RolledBack
                if report.imported:
                    _finish(job, Status.IMPORTED, report=report)
                else:
                    _finish(job, *_outcome(report), report=report)
        except _RolledBack:
            pass


class _RolledBack(Exception):
    """Retried meanwhile, or its owner lost the right to import: what this run wrote is undone."""


def _import(job: MeasurementImportJob, *, dry_run: bool) -> importers.ImportReport | None:
    chosen = options(job)
    try:
        with job.file.open("rb") as handle:
            data = handle.read()
        return importers.import_measurements(
            framework=job.framework,
            rows_or_file=data,
            filename=job.filename,
            by=job.created_by,
            lab=job.lab,
            period=chosen["period"] or None,
            state=chosen["state"],
            dry_run=dry_run,
        )
    except ImportFileError as error:
        _refuse(job, str(error))
        return None


def _outcome(report: importers.ImportReport) -> tuple[str, str]:
    refused = report.refused
    if not refused:
        return Status.PLANNED, ""
    message = ngettext(
        "Nothing will be imported: %(count)s row is refused. Correct it and upload the file again.",
        "Nothing will be imported: %(count)s rows are refused. Correct them and upload the file again.",
        refused,
    )
    return Status.REFUSED, message % {"count": refused}


def _refuse(job: MeasurementImportJob, error: str) -> None:
    with transaction.atomic():
        if _still_latest(job):
            _finish(job, Status.REFUSED, error=error)


def _finish(
    job: MeasurementImportJob, status: str, error: str = "", *, report: importers.ImportReport | None = None
) -> None:
    """Store a step's outcome, and its rows for the page (replacing the dry run's)."""
    if report is not None:
        job.counts = report.counts
        if report.imported:
            job.report = {"options": options(job), "created": report.created, "updated": report.updated}
        job.rows.all().delete()
        MeasurementImportRow.objects.bulk_create(
            (
                MeasurementImportRow(
                    job=job,
                    number=row.number,
                    action=row.action,
                    title=row.title[:250],
                    reasons=row.reasons,
                    warnings=row.warnings,
                    measurement=row.measurements[0] if report.imported and row.measurements else None,
                )
                for row in report.rows
            ),
            batch_size=2000,
        )
        job.progress_done = job.progress_total = len(report.rows)
    job.status, job.error = status, error
    job.heartbeat_at = job.finished_at = timezone.now()
    job.save()


@contextmanager
def _failure_recorded(job: MeasurementImportJob):
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
