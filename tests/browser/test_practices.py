import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.factories import make_lab, make_practice, make_space

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def practice():
    lab = make_lab(name="CoNECT Lab Palermo")
    space = make_space(
        name="Giardino di Ballarò",
        lab=lab,
        location=Point(13.3580, 38.1120, srid=4326),
        area=MultiPolygon(Polygon.from_bbox((13.357, 38.111, 13.359, 38.113)), srid=4326),
    )
    practice = make_practice(
        title="Orto condiviso di Ballarò",
        original_language="it",
        description="Un **orto** aperto al quartiere.",
        lab=lab,
        themes=["food", "solidarity"],
        dimensions=["social", "environmental"],
        target_groups=["migrants", "youth"],
    )
    practice.spaces.add(space)
    return practice


def test_visitor_sees_the_practice_with_its_place_on_a_map_even_without_tiles(page, practice):
    page.goto(practice.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Orto condiviso di Ballarò")
    expect(page.locator(".place-map path.leaflet-interactive")).to_have_count(1)
    assert axe_violations(page) == []


def test_visitor_follows_the_practice_to_its_space_and_sees_its_area(page, practice):
    page.goto(practice.get_absolute_url())
    page.get_by_role("link", name="Giardino di Ballarò").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Giardino di Ballarò")
    expect(page.locator(".place-map path.leaflet-interactive")).to_have_count(2)
    assert axe_violations(page) == []


def test_practice_page_reads_in_romanian_with_its_vocabularies_translated(page, practice):
    page.goto(practice.get_absolute_url().replace("/en/", "/ro/"))
    expect(page.get_by_text("Migranți și refugiați")).to_be_visible()
    assert axe_violations(page) == []
