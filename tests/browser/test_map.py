import math
import re

import pytest
from django.contrib.gis.geos import Point
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.factories import make_practice, make_space

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


def europe(count: int, west=-8.0, south=37.0, east=25.0, north=58.0) -> None:
    """`count` practices spread evenly over a box (a fixed pattern, so request counts do not vary between runs)."""
    side = math.ceil(math.sqrt(count))
    for i in range(count):
        lng = west + (east - west) * (i % side + 0.5) / side
        lat = south + (north - south) * (i // side + 0.5) / side
        make_practice(title=f"Practice {i:03}", location=Point(lng, lat, srid=4326), themes=["food"])


def map_requests(page, action) -> list[str]:
    """The map's requests (tiles and result list) that one action makes, once the map has drawn the new view."""
    urls = []

    def seen(request):
        if "/tiles/" in request.url or "/map/results/" in request.url:
            urls.append(request.url)

    # data-practices counts the tiles drawn so far; data-drawn is set once every tile of the view is in.
    expect(page.locator("#practice-map")).to_have_attribute("data-drawn", re.compile("."))
    drawn = page.locator("#practice-map").get_attribute("data-drawn")
    page.on("request", seen)
    action()
    expect(page.locator("#practice-map")).not_to_have_attribute("data-drawn", drawn)
    page.wait_for_timeout(600)  # anything still to come would be counted too
    page.remove_listener("request", seen)
    return urls


def drag(page, dx: int, dy: int) -> None:
    box = page.locator("#practice-map").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y + dy, steps=10)
    page.mouse.up()


def test_one_pan_or_zoom_asks_only_for_the_tiles_it_did_not_have(page):
    europe(120)
    page.goto("/en/map/")
    expect(page.locator("#practice-map")).to_have_attribute("data-practices", "120")
    # Measured on a 936 x 540 px map: before, 31 requests for a pan and 31 for a zoom (15 of them empty space tiles).
    pan = map_requests(page, lambda: drag(page, -256, 0))
    assert len(pan) <= 6, pan
    back = map_requests(page, lambda: drag(page, 256, 0))
    assert [url for url in back if "/tiles/" in url] == []  # already loaded
    zoom = map_requests(page, lambda: page.get_by_role("button", name="Zoom in").click())
    assert len(zoom) <= 20, zoom
    assert not any("/tiles/spaces/" in url for url in pan + back + zoom)  # no space is published: never asked


def test_a_burst_of_wheel_steps_is_drawn_once(page):
    europe(120)
    page.goto("/en/map/")
    expect(page.locator("#practice-map")).to_have_attribute("data-practices", "120")
    box = page.locator("#practice-map").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    def wheel():
        for _ in range(3):
            page.mouse.wheel(0, -100)
            page.wait_for_timeout(100)

    assert len([url for url in map_requests(page, wheel) if "/map/results/" in url]) == 1


def test_clusters_on_either_side_of_a_tile_edge_are_one_marker_with_their_total(page):
    # Longitude 0 is the edge between two tiles at every zoom.
    for lng in (-0.05, -0.04, -0.03, 0.03, 0.04):
        make_practice(location=Point(lng, 47.0, srid=4326))
    page.goto("/en/map/?view=4/47/0")
    expect(page.locator("#practice-map")).to_have_attribute("data-practices", "5")
    expect(page.locator(".cluster")).to_have_count(1)
    expect(page.locator(".cluster")).to_have_text("5")


def test_spaces_are_drawn_as_squares_when_there_are_some(page, practices):
    make_space(name="Giardino di Ballarò", location=Point(13.358, 38.112, srid=4326))
    page.goto("/en/map/")
    expect(page.locator(".space-marker")).to_have_count(1)
    page.get_by_label("Show the spaces where practices happen (squares)").uncheck()
    expect(page.locator(".space-marker")).to_have_count(0)


def test_keyboard_user_pages_through_the_results_while_the_map_stays_put(page):
    europe(45)
    page.goto("/en/map/")
    expect(page.locator("#practice-map")).to_have_attribute("data-practices", "45")
    view = page.evaluate("new URL(location).searchParams.get('view')")
    expect(page.locator(".pager")).to_contain_text("Page 1 of 3")
    page.get_by_role("link", name="Next").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".pager")).to_contain_text("Page 2 of 3")
    expect(page.locator(".result-list li").first).to_contain_text("Practice 020")
    expect(page.locator("#results")).to_be_focused()
    assert page.evaluate("new URL(location).searchParams.get('page')") == "2"
    assert page.evaluate("new URL(location).searchParams.get('view')") == view
    page.get_by_role("link", name="Next").click()
    expect(page.locator(".result-list li").first).to_contain_text("Practice 040")
    page.get_by_role("link", name="Previous").click()
    expect(page.locator(".pager")).to_contain_text("Page 2 of 3")
    assert page.evaluate("new URL(location).searchParams.get('view')") == view


def test_a_shared_link_to_page_two_opens_page_two(page):
    europe(45)
    with page.expect_response(lambda response: "/map/results/" in response.url) as listed:
        page.goto("/en/map/?view=4/50/10&page=2")
    assert "page=2" in listed.value.url
    expect(page.locator(".pager")).to_contain_text("Page 2 of 3")
    assert page.evaluate("new URL(location).searchParams.get('page')") == "2"


def test_moving_the_map_goes_back_to_the_first_page_of_results(page):
    europe(45)
    page.goto("/en/map/?view=4/50/10&page=2")
    expect(page.locator(".pager")).to_contain_text("Page 2 of 3")
    drag(page, 40, 0)
    expect(page.locator(".pager")).to_contain_text("Page 1 of")
    expect(page).not_to_have_url(re.compile(r"[?&]page="))


@pytest.mark.parametrize(
    "query",
    [
        "view=abc&bbox=zz",
        "view=99/999/999",
        "view=4/45.7/&bbox=1,2,3",
        "bbox=20,50,5,40",
        "view=-7/50/10",
        "view=NaN/50/10&page=zz",
    ],
)
def test_a_malformed_shared_link_still_opens_the_map_with_its_markers(page, practices, query):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"/en/map/?{query}")
    expect(page.locator("#practice-map")).to_have_attribute("data-practices", "3")
    expect(page.locator("#practice-map .leaflet-interactive")).not_to_have_count(0)
    expect(page.locator(".result-count")).to_contain_text("3 practices")
    assert errors == []


def test_the_italian_map_has_italian_zoom_buttons(page, practices):
    page.goto("/it/map/")
    with translation.override("it"):
        zoom_in, zoom_out = gettext("Zoom in"), gettext("Zoom out")
    assert (zoom_in, zoom_out) != ("Zoom in", "Zoom out"), "translate them in locale/it (make makemessages)"
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("title", zoom_in)
    expect(page.locator(".leaflet-control-zoom-out")).to_have_attribute("title", zoom_out)
    expect(page.get_by_role("button", name=zoom_in)).to_be_visible()
