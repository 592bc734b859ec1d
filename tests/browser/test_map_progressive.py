"""The map draws each tile as it arrives and asks for the result list once the tiles are in."""

import re

import pytest
from django.contrib.gis.geos import Point
from playwright.sync_api import expect

from tests.factories import make_practice

pytestmark = pytest.mark.django_db(transaction=True)

# Lyon and Palermo are on different tiles at the opening view (zoom 4).
LYON = Point(4.83, 45.77, srid=4326)
PALERMO = Point(13.36, 38.11, srid=4326)


@pytest.fixture
def two_places():
    make_practice(title="Jardin des Pentes", city="Lyon", country="FR", location=LYON, themes=["food"])
    make_practice(title="Orto di Ballarò", location=PALERMO, themes=["food"])


def test_a_visitor_sees_the_markers_of_the_tiles_that_arrived_while_a_slow_tile_is_still_coming(page, two_places):
    # Palermo's tile (zoom 4: x 8, y 6) is held back until the test lets it go.
    held, asked = [], []

    def hold(route):
        held.append(route)

    def note(request):
        asked.append(request.url)

    page.on("request", note)
    page.route(re.compile(r"/tiles/practices/4/8/6\.geojson"), hold)
    page.goto("/en/map/")
    markers = page.locator("#practice-map .leaflet-interactive")
    expect(markers).to_have_count(1)  # Lyon's dot, drawn before Palermo's tile
    expect(page.locator("#practice-map")).not_to_have_attribute("data-drawn", re.compile("."))
    # The result list is asked for after the tiles, so that it does not compete with them for the workers.
    assert not any("/map/results/" in url for url in asked)
    held[0].continue_()
    expect(markers).to_have_count(2)
    expect(page.locator("#practice-map")).to_have_attribute("data-drawn", re.compile("^4/"))
    expect(page.locator(".result-count")).to_contain_text("2 practices")
    page.screenshot(path="/tmp/map_progressive.png")


def test_moving_the_map_keeps_the_markers_until_the_new_tiles_arrive_without_doubles(page, two_places):
    page.goto("/en/map/")
    expect(page.locator("#practice-map")).to_have_attribute("data-practices", "2")
    page.get_by_role("button", name="Zoom in").click()
    expect(page.locator("#practice-map")).to_have_attribute("data-drawn", re.compile("^5/"))
    dots = page.locator("#practice-map .leaflet-interactive")
    assert dots.count() <= 2
