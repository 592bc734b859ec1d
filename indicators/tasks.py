"""The indicators' work on the task queue (django-tasks; README "Background jobs"): thin wrappers around
indicators.services. Arguments are plain JSON values (ids, strings)."""

from django_tasks import task


@task()
def send_review_email(*, to: str, measurement_id: int, state: str, note: str, reviewer: str, language: str) -> None:
    """The e-mail that tells an author their value was approved or returned."""
    from indicators import services  # services queues this task: imported when it runs

    services.send_review_email(
        to=to, measurement_id=measurement_id, state=state, note=note, reviewer=reviewer, language=language
    )


@task()
def plan_measurement_import(job_id: int, attempt: int) -> None:
    """The dry run of a spreadsheet of measurements (indicators.import_tasks)."""
    from indicators import import_tasks

    import_tasks.plan_import(job_id, attempt)


@task()
def run_measurement_import(job_id: int, attempt: int) -> None:
    """The import of a spreadsheet of measurements, all or nothing (indicators.import_tasks)."""
    from indicators import import_tasks

    import_tasks.run_import(job_id, attempt)


@task()
def run_composite(composite_id: int) -> None:
    """Compute a requested composite index and store its results (indicators.composite_services)."""
    from indicators import composite_services  # it queues this task: imported when it runs

    composite_services.run_composite(composite_id)
