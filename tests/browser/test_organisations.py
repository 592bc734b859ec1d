import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse
from playwright.sync_api import expect

from labs.models import MembershipRole
from networks.models import NetworkRole, Organisation
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import add_to_network, make_lab, make_member, make_network, make_organisation, make_relationship

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def mapped():
    lab = make_lab(name="CoNECT Lab Palermo")
    network = make_network(name="NETCO")
    barcelona = make_organisation(name="City of Barcelona", kind="municipality", sector="public", city="Barcelona",
                                  country="ES", location=Point(2.17, 41.39, srid=4326))  # fmt: skip
    cesie = make_organisation(name="CESIE", sector="civic", city="Palermo", country="IT", lab=lab,
                              location=Point(13.36, 38.12, srid=4326), description="Research and action.")  # fmt: skip
    add_to_network(network, barcelona, NetworkRole.LEAD)
    add_to_network(network, cesie, NetworkRole.PARTNER)
    make_relationship(barcelona, cesie, network=network, lab=lab)
    return lab


def test_visitor_filters_the_organisations_on_the_map_and_opens_one(page, mapped):
    page.goto(reverse("networks:organisations"))
    expect(page.locator("#organisations-map")).to_have_attribute("data-organisations", "2")
    expect(page.locator(".leaflet-interactive")).to_have_count(2)
    assert axe_violations(page) == []
    page.get_by_label("Sector").select_option("civic")
    page.get_by_role("button", name="Apply the filters").click()
    expect(page.locator("#organisations-map")).to_have_attribute("data-organisations", "1")
    expect(page.get_by_role("link", name="City of Barcelona")).to_have_count(0)
    page.get_by_role("link", name="CESIE").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CESIE")
    expect(page.get_by_role("link", name="City of Barcelona", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="NETCO", exact=True)).to_be_visible()
    assert axe_violations(page) == []


def test_facilitator_adds_an_organisation_through_the_form(page, mapped):
    facilitator = make_member(mapped, MembershipRole.FACILITATOR)
    sign_in(page, facilitator.email)
    page.goto(reverse("networks:organisation_create"))
    expect(page.get_by_role("heading", level=1)).to_have_text("New organisation")
    assert axe_violations(page) == []
    page.get_by_label("Name").fill("Casa del Quartiere")
    page.get_by_label("Kind").select_option("ngo")
    page.get_by_label("Sector").select_option("civic")
    page.locator("#id_city").fill("Palermo")
    page.locator("#id_country").select_option("IT")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Casa del Quartiere")
    expect(page.locator(".state-banner")).to_contain_text("Draft")
    organisation = Organisation.objects.get(name="Casa del Quartiere")
    assert organisation.lab == mapped and organisation.location is not None
    assert axe_violations(page) == []
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".state-banner")).to_contain_text("Submitted")
    page.get_by_label("Publish").check()
    page.get_by_role("button", name="Decide").click()
    expect(page.locator(".state-banner")).to_have_count(0)
