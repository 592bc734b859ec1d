import signal

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from labs.models import MembershipRole
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import make_lab, make_member

pytestmark = pytest.mark.django_db(transaction=True)

CSV = (
    "id,name,country,city,lat,lon,themes\n"
    "1,Emporio solidale,Italia,Palermo,38.11,13.36,food\n"
    "2,Spesa sospesa,Atlantis,,,,food\n"
)


@pytest.fixture
def facilitator_page(page, tmp_path):
    lab = make_lab(name="CoNECT Lab Palermo")
    make_member(lab, MembershipRole.FACILITATOR, email="fabio@example.org", display_name="Fabio")
    sign_in(page, "fabio@example.org")
    csv_file = tmp_path / "practices.csv"
    csv_file.write_text(CSV)
    page.csv_file = str(csv_file)
    return page


def upload(page) -> None:
    page.goto("/en/practices/import/")
    page.get_by_label("File (CSV, XLSX or GeoJSON)").set_input_files(page.csv_file)
    page.get_by_role("button", name="Read the file").click()


def test_a_facilitator_imports_a_csv_after_reading_the_dry_run_and_opens_the_new_draft(facilitator_page):
    page = facilitator_page
    page.goto("/en/practices/import/")
    expect(page.get_by_role("heading", name="The columns the import reads")).to_be_visible()
    assert axe_violations(page) == []
    upload(page)
    expect(page.get_by_text("Unknown country Atlantis.")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Import 1 practice").click()
    expect(page.get_by_role("heading", name="Report")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="The new drafts").click()
    page.get_by_role("link", name="Emporio solidale").click()
    expect(page.get_by_role("heading", name="Emporio solidale", level=1)).to_be_visible()


def test_the_job_page_follows_the_worker_without_being_reloaded(facilitator_page, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    page = facilitator_page
    upload(page)
    expect(page.get_by_text("Waiting for a worker to take the job.")).to_be_visible()
    expect(page.get_by_text("This page shows where the job was when it was loaded.")).to_be_hidden()  # it follows
    assert axe_violations(page) == []
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0", verbosity=0)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
    expect(page.get_by_role("heading", name="Dry run", exact=True)).to_be_visible(timeout=10_000)
    expect(page.get_by_role("button", name="Import 1 practice")).to_be_visible()
