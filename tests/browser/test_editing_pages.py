import pytest
from playwright.sync_api import expect

from labs.models import MembershipRole
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import make_lab, make_member, make_practice

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def facilitator_page(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    lab = make_lab(name="CoNECT Lab Palermo")
    make_member(lab, MembershipRole.FACILITATOR, email="fabio@example.org", display_name="Fabio")
    sign_in(page, "fabio@example.org")
    page.lab = lab
    return page


def test_a_facilitator_reads_the_history_and_adds_a_space(facilitator_page):
    page = facilitator_page
    practice = make_practice(title="Emporio", lab=page.lab)
    page.goto(practice.get_absolute_url())
    page.get_by_role("link", name="History of changes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("History of Emporio")
    assert axe_violations(page) == []
    page.goto("/en/spaces/new/")
    assert axe_violations(page) == []
    page.get_by_label("Name").fill("Centro sociale Zen")
    page.get_by_label("Kind").select_option("social_centre")
    page.get_by_label("Find a city").fill("Palermo")
    page.get_by_role("button", name="Find", exact=True).click()
    page.get_by_role("button", name="Palermo (IT)").click()
    expect(page.get_by_label("Latitude")).to_have_value("38.116600")  # Palermo in the GeoNames extract
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Centro sociale Zen")
    assert axe_violations(page) == []


def test_the_photos_and_translations_pages_are_accessible(facilitator_page):
    page = facilitator_page
    practice = make_practice(title="Emporio", lab=page.lab, original_language="it")
    page.goto(f"/en/practices/{practice.slug}/images/")
    assert axe_violations(page) == []
    page.goto(f"/en/practices/{practice.slug}/translations/")
    assert axe_violations(page) == []
    page.get_by_label("Language").last.select_option("en")
    page.get_by_label("Title").fill("Solidarity market")
    page.get_by_role("button", name="Save the translations").click()
    expect(page.get_by_text("Translations saved.")).to_be_visible()
