"""The library's work on the task queue (django-tasks; README "Background jobs"): thin wrappers around
library.services. Arguments are plain JSON values, since the database backend stores them until a worker runs them."""

from django_tasks import task

from library import services


@task()
def extract_text(resource_id: int) -> None:
    """Read the text inside a resource's file, for search and passages."""
    services.extract_text(resource_id)
