"""A facilitator invites someone by e-mail; the invitee opens the link, creates an account and lands in the Lab's
workspace. The Lab page, the workspace and the acceptance page are axe-core clean."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from labs.models import MembershipRole
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import make_activity, make_lab, make_member, make_practice

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def lab():
    lab = make_lab(name="CoNECT Lab Palermo", description="Citizens, researchers and planners of Palermo.")
    make_member(lab, MembershipRole.FACILITATOR, email="fabio@example.org", display_name="Fabio")
    make_practice(lab=lab, title="Orto di Ballarò")
    make_activity(lab=lab, title="Local Support Group meeting")
    return lab


def test_a_visitor_sees_the_lab_page_with_its_practices_on_a_map(page, lab):
    page.goto(f"/en/labs/{lab.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("CoNECT Lab Palermo")
    expect(page.locator("#lab-map")).to_have_attribute("data-practices", "1")
    expect(page.get_by_role("link", name="Orto di Ballarò")).to_be_visible()
    assert axe_violations(page) == []


def test_an_invited_person_creates_an_account_and_lands_in_the_workspace(page, browser, live_server, lab):
    sign_in(page, "fabio@example.org")
    page.goto(f"/en/labs/{lab.slug}/")
    page.get_by_role("link", name="Workspace").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Workspace of CoNECT Lab Palermo")
    assert axe_violations(page) == []
    page.get_by_label("E-mail address").fill("nadia@example.org")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("The invitation to nadia@example.org is on its way.")).to_be_visible()
    expect(page.get_by_role("cell", name="nadia@example.org", exact=True)).to_be_visible()

    link = re.search(r"https?://\S+/labs/invitations/\S+/", mail.outbox[-1].body).group(0)
    invitee = browser.new_context(base_url=live_server.url).new_page()
    invitee.goto(link)
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Join CoNECT Lab Palermo")
    expect(invitee.get_by_label("E-mail address")).to_have_value("nadia@example.org")
    assert axe_violations(invitee) == []
    invitee.get_by_label("Your name, as other members see it").fill("Nadia")
    invitee.get_by_label("Password:", exact=True).fill("Ballaro-2024!x")
    invitee.get_by_label("Password (again)").fill("Ballaro-2024!x")
    invitee.get_by_role("button", name="Create my account and join").click()
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Workspace of CoNECT Lab Palermo")
    expect(invitee.get_by_text("Welcome to CoNECT Lab Palermo.")).to_be_visible()
    expect(invitee.get_by_role("cell", name="Nadia", exact=True)).to_be_visible()
    assert axe_violations(invitee) == []

    invitee.goto(link)
    expect(invitee.get_by_text("This invitation has already been used.")).to_be_visible()
    invitee.context.close()


def test_a_facilitator_uploads_the_territory_as_geojson(page, lab, tmp_path):
    territory = tmp_path / "palermo.geojson"
    territory.write_text(
        '{"type": "Polygon", "coordinates": [[[13.3, 38.1], [13.4, 38.1], [13.4, 38.2], [13.3, 38.2], [13.3, 38.1]]]}'
    )
    sign_in(page, "fabio@example.org")
    page.goto(f"/en/labs/{lab.slug}/edit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit CoNECT Lab Palermo")
    assert axe_violations(page) == []
    page.get_by_label("Description in Italian").fill("Cittadini, ricercatori e urbanisti di Palermo.")
    page.get_by_label("Or upload the territory as a GeoJSON file").set_input_files(str(territory))
    page.get_by_role("button", name="Save the Lab").click()
    expect(page.get_by_text("The Lab is saved.")).to_be_visible()
    expect(page.locator("#lab-territory")).to_be_attached()
    page.goto("/en/labs/mine/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Workspace of CoNECT Lab Palermo")
