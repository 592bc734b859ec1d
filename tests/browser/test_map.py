import pytest
from django.contrib.gis.geos import Point
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.factories import make_practice

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def practices():
    make_practice(
        title="Jardin des Pentes", city="Lyon", country="FR", location=Point(4.83, 45.77, srid=4326), themes=["food"]
    )
    make_practice(title="Orto di Ballarò", location=Point(13.36, 38.11, srid=4326), themes=["food"])
    make_practice(
        title="Coopérative d'énergie",
        city="Lyon",
        country="FR",
        location=Point(4.85, 45.75, srid=4326),
        themes=["energy"],
    )


def test_visitor_filters_the_map_by_theme_and_shares_the_view(page, practices):
    page.goto("/en/map/")
    expect(page.locator(".result-count")).to_contain_text("3 practices")
    expect(page.locator("#practice-map")).to_have_attribute("data-practices", "3")
    page.get_by_label("Energy").check()
    expect(page.locator(".result-count")).to_contain_text("1 practice")
    expect(page.get_by_role("link", name="Coopérative d'énergie")).to_be_visible()
    assert "theme=energy" in page.url
    shared = page.url
    page.goto(shared)
    expect(page.locator(".result-count")).to_contain_text("1 practice")
    expect(page.get_by_label("Energy")).to_be_checked()


def test_the_result_list_follows_the_map_view(page, practices):
    page.goto("/en/map/?bbox=4.5,45.5,5.2,46.0")
    expect(page.locator(".result-count")).to_contain_text("2 practices in this part of the map")
    expect(page.get_by_role("link", name="Orto di Ballarò")).to_have_count(0)


def test_visitor_searches_the_map_and_opens_a_practice(page, practices):
    page.goto("/en/map/")
    page.get_by_label("Search").fill("Balaro")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".result-count")).to_contain_text("1 practice")
    page.get_by_role("link", name="Orto di Ballarò").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Orto di Ballarò")


def test_keyboard_user_skips_the_map_to_the_results(page, practices):
    page.goto("/en/map/")
    page.get_by_role("link", name="Skip the map: go to the list of results").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "results"


def test_map_page_has_no_serious_accessibility_violation(page, practices):
    page.goto("/en/map/")
    expect(page.locator("#practice-map")).to_have_attribute("data-practices", "3")
    assert axe_violations(page) == []
    page.goto("/it/map/?theme=food")
    assert axe_violations(page) == []
