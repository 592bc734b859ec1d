import signal

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from labs.models import MembershipRole
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import add_to_network, make_lab, make_member, make_network, make_organisation, make_relationship

pytestmark = pytest.mark.django_db(transaction=True)


def run_worker() -> None:
    """What `manage.py db_worker` does on a server, until the queue is empty (its signal handlers undone after)."""
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0", verbosity=0)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


def test_a_facilitator_computes_a_networks_figures_and_reads_them(page, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    network = make_network(name="CoNet")
    berlin, zabrze, lecce = (make_organisation(name=name, sector="public") for name in ("Berlin", "Zabrze", "Lecce"))
    for organisation in (berlin, zabrze, lecce):
        add_to_network(network, organisation)
    make_relationship(berlin, zabrze, network=network, strength=4)
    make_relationship(berlin, lecce, network=network)
    make_member(make_lab(name="Lab Lecce"), MembershipRole.FACILITATOR, email="fabio@example.org")
    sign_in(page, "fabio@example.org")

    page.goto(f"/en/networks/analysis/?network={network.slug}")
    expect(page.get_by_text("No figures have been computed for this graph yet.")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Compute").click()
    expect(page.get_by_text("Waiting for a worker to take the computation.")).to_be_visible()
    expect(page.get_by_text("This page shows where the computation was when it was loaded.")).to_be_hidden()
    assert axe_violations(page) == []
    run_worker()
    expect(page.get_by_role("heading", name="The whole network")).to_be_visible(timeout=10_000)
    table = page.get_by_role("table", name="Organisations by betweenness, highest first (page 1 of 1)")
    expect(table.get_by_role("row").nth(1)).to_contain_text("Berlin")
    expect(page.get_by_role("button", name="Compute again")).to_be_visible()
    assert axe_violations(page) == []
