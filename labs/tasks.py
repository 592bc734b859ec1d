"""The labs' work on the task queue (django-tasks; README "Background jobs"): thin wrappers around labs.services.

Arguments are plain JSON values (ids, strings), since the database backend stores them until a worker runs the task.
"""

from django_tasks import task


@task()
def send_invitation_email(*, invitation_id: int, link: str, language: str) -> None:
    """The e-mail that carries an invitation's link."""
    from labs import services  # services queues this task: imported when it runs

    services.send_invitation_email(invitation_id=invitation_id, link=link, language=language)
