import pytest
from playwright.sync_api import expect

from labs.models import MembershipRole
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import make_lab, make_member, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people():
    lab = make_lab(name="CoNECT Lab Palermo")
    return {
        "facilitator": make_member(lab, MembershipRole.FACILITATOR, email="fabio@example.org", display_name="Fabio"),
        "coordinator": make_user(email="cora@example.org", display_name="Cora", is_coordinator=True),
    }


def sign_out(page):
    page.locator(".user-menu summary").click()
    page.get_by_role("button", name="Sign out").click()


def test_a_practice_goes_from_a_click_on_the_map_to_the_public_map(page, browser, live_server, people):
    sign_in(page, "fabio@example.org")
    page.goto("/en/practices/new/")
    assert axe_violations(page) == []
    page.get_by_label("Title").fill("Orto condiviso dello Zen")
    page.get_by_label("Summary").fill("Un orto aperto a tutto il quartiere")
    page.get_by_role("checkbox", name="Food").check()
    page.locator("#id_location-map").click(position={"x": 320, "y": 140})
    expect(page.get_by_label("Latitude")).not_to_have_value("")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Orto condiviso dello Zen")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Submitted: the Lab's facilitators will review it.")).to_be_visible()
    sign_out(page)

    sign_in(page, "cora@example.org")
    page.goto("/en/moderation/")
    assert axe_violations(page) == []
    page.get_by_label("Publish").check()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Nothing is waiting for review.")).to_be_visible()

    visitor = browser.new_context(base_url=live_server.url).new_page()
    visitor.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    visitor.goto("/en/map/")
    visitor.get_by_label("Food").check()
    expect(visitor.get_by_role("link", name="Orto condiviso dello Zen")).to_be_visible()
    expect(visitor.locator("#practice-map")).to_have_attribute("data-practices", "1")
    visitor.context.close()


def test_a_wrong_coordinate_is_shown_at_its_field(page, people):
    sign_in(page, "fabio@example.org")
    page.goto("/en/practices/new/")
    page.get_by_label("Title").fill("Somewhere")
    page.get_by_label("Latitude").fill("123")
    page.get_by_label("Longitude").fill("13")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Please correct the fields marked below.")).to_be_visible()
    expect(page.get_by_text("Longitude must be within -180..180 and latitude within -90..90.")).to_be_visible()
    assert axe_violations(page) == []
