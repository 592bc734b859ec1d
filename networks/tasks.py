"""The networks' work on the task queue (django-tasks; README "Background jobs"): thin wrappers around
networks.analysis, where `manage.py analyse_networks` calls the same function in-process. Imports have their own
tasks (networks.import_tasks)."""

from django_tasks import task

from networks import analysis


@task()
def analyse(analysis_id: int, token: str) -> None:
    """Compute one stored analysis, unless a newer request replaced this one (`token`, its request's time)."""
    analysis.analyse(analysis_id, token)
