"""The practices' work on the task queue (django-tasks; README "Background jobs"). Each task is a thin wrapper: the
work itself lives in practices.services, where `manage.py import_practices` calls the same functions in-process.

Arguments are plain JSON values (ids, strings), since the database backend stores them until a worker runs the task.
"""

from django_tasks import task

from practices import services


@task()
def plan_import(job_id: int, attempt: int) -> None:
    """The dry run of an import job."""
    services.plan_import(job_id, attempt=attempt)


@task()
def run_import(job_id: int, attempt: int) -> None:
    """The import of a job's rows, all or nothing."""
    services.run_import(job_id, attempt=attempt)


@task()
def send_decision_email(
    *, to: str, title: str, action: str, reason: str, moderator: str, link: str, language: str
) -> None:
    """The e-mail that tells an author what a moderator decided."""
    services.send_decision_email(
        to=to, title=title, action=action, reason=reason, moderator=moderator, link=link, language=language
    )
