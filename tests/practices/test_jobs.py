"""Jobs through the real path: queued in the database (django-tasks-db), run by `manage.py db_worker`.

The other tests run each job where it is queued (tests/conftest.py); these commit their rows, as a worker in another
process needs them to, so the database is emptied after each and its vocabularies are loaded again before."""

import importlib
import signal

import pytest
from django.apps import apps
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from labs.models import MembershipRole
from labs.moderation import ModerationState
from practices import services
from practices.models import ImportJob, Practice
from tests.conftest import client_for
from tests.factories import make_practice

pytestmark = pytest.mark.django_db(transaction=True)

CSV = (
    "id;name;description;country;city;lat;lon;themes\n"
    "a1;Emporio solidale;Un market gratuito;Italia;Palermo;38.11;13.36;food\n"
    "a2;Repair Café Lyon;On répare ensemble;France;Lyon;45.76;4.84;ecology\n"
)


@pytest.fixture(autouse=True)
def queue_in_the_database(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # Emptied after each test, data migrations included: the themes and SDGs go back in.
    importlib.import_module("practices.migrations.0002_themes_and_sdgs").load(apps, None)


def run_worker() -> None:
    """What `manage.py db_worker` does on a server, until the queue is empty (its signal handlers undone after)."""
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0", verbosity=0)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


def upload(client, lab) -> str:
    data = {"file": SimpleUploadedFile("practices.csv", CSV.encode()), "source": "test", "lab": lab.pk}
    return client.post("/en/practices/import/", data)["Location"]


def test_an_import_waits_for_a_worker_which_plans_then_imports_it(lab, facilitator):
    c = client_for(facilitator)
    job_url = upload(c, lab)
    assert "Waiting for a worker to take the job." in c.get(job_url).text
    assert c.get(f"{job_url}progress/").json()["under_way"] is True
    run_worker()
    job = ImportJob.objects.get()
    assert (job.status, job.progress_done, job.progress_total) == (ImportJob.Status.PLANNED, 2, 2)
    c.post(job_url, {"import": "1", **c.get(job_url).context["form"].initial})
    assert not Practice.objects.exists()
    run_worker()
    assert ImportJob.objects.get().status == ImportJob.Status.IMPORTED
    assert Practice.objects.filter(lab=lab, state=ModerationState.DRAFT).count() == 2
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == [TaskResultStatus.SUCCESSFUL] * 2


@pytest.mark.parametrize("demoted", [False, True])
def test_the_worker_refuses_an_import_whose_owner_no_longer_facilitates_its_lab(lab, other_lab, facilitator, demoted):
    other_lab.add_member(facilitator, MembershipRole.FACILITATOR)
    c = client_for(facilitator)
    job_url = upload(c, lab)
    run_worker()
    c.post(job_url, {"import": "1", **c.get(job_url).context["form"].initial})
    if demoted:  # after pressing "Import", before a worker takes the job
        lab.add_member(facilitator, MembershipRole.MEMBER)
    run_worker()
    job = ImportJob.objects.get()
    assert job.status == (ImportJob.Status.REFUSED if demoted else ImportJob.Status.IMPORTED)
    assert Practice.objects.count() == (0 if demoted else 2)


def test_a_run_that_was_retried_meanwhile_writes_nothing(lab, facilitator):
    c = client_for(facilitator)
    job_url = upload(c, lab)
    run_worker()
    c.post(job_url, {"import": "1", **c.get(job_url).context["form"].initial})
    job = ImportJob.objects.get()
    ImportJob.objects.update(attempt=job.attempt + 1)  # a retry queued its own run meanwhile
    services.run_import(job.pk, attempt=job.attempt)
    assert not Practice.objects.exists()
    assert ImportJob.objects.get().status == ImportJob.Status.WAITING


def test_a_decision_email_leaves_once_the_decision_is_saved_in_the_moderators_language(lab, member, facilitator):
    practice = make_practice(lab=lab, state=ModerationState.SUBMITTED, created_by=member, title="Orto")
    with translation.override("it"):
        services.decide(practice, action="publish", by=facilitator)
    assert mail.outbox == []  # queued, not sent by the request
    run_worker()
    assert mail.outbox[0].to == [member.email]
    assert mail.outbox[0].subject == "Pubblicata: Orto"


def test_a_run_overtaken_by_a_retry_while_it_writes_rolls_back_every_row(lab, facilitator, monkeypatch):
    from django.db.models import F

    from practices import importers

    c = client_for(facilitator)
    job_url = upload(c, lab)
    run_worker()
    c.post(job_url, {"import": "1", **c.get(job_url).context["form"].initial})
    job = ImportJob.objects.get()
    apply = importers.apply

    def apply_then_retried(*args, **kwargs):
        summary = apply(*args, **kwargs)
        assert Practice.objects.count() == 2  # written, not yet committed
        ImportJob.objects.filter(pk=job.pk).update(attempt=F("attempt") + 1)  # a retry took the job meanwhile
        return summary

    monkeypatch.setattr(importers, "apply", apply_then_retried)
    services.run_import(job.pk, attempt=job.attempt)
    assert not Practice.objects.exists()
