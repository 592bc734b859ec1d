"""The activities' work on the task queue (django-tasks): the registrants' e-mails. Arguments are plain JSON values."""

from django_tasks import task


@task()
def send_registration_email(*, registration_id: int, kind: str, base_url: str) -> None:
    """Confirmation, waiting list, moved up from it, or cancelled."""
    from activities import services  # services queue this task: imported here, not at the top, to avoid a cycle

    services.send_registration_email(registration_id=registration_id, kind=kind, base_url=base_url)
