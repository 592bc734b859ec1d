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
