"""The map of the practice form: the pin and the Latitude/Longitude boxes always say the same place."""

import json

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from labs.models import MembershipRole
from practices.models import Practice
from tests.browser.conftest import sign_in
from tests.factories import make_lab, make_member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def member_page(page):
    lab = make_lab(name="CoNECT Lab Palermo")
    make_member(lab, MembershipRole.MEMBER, email="mara@example.org", display_name="Mara")
    sign_in(page, "mara@example.org")
    return page


def pin(page) -> tuple[float, float]:
    """(latitude, longitude) of the pin, as the widget stores it for the form."""
    lng, lat = json.loads(page.locator("#id_location").input_value())["coordinates"]
    return lat, lng


def test_the_draw_a_marker_tool_moves_the_coordinates_and_the_saved_place(member_page):
    page = member_page
    page.goto("/en/practices/new/")
    page.get_by_label("Title").fill("Orto condiviso dello Zen")
    page.get_by_label("Summary").fill("Un orto aperto a tutto il quartiere")
    page.get_by_label("Latitude").fill("38.115700")
    page.get_by_label("Longitude").fill("13.361500")
    page.get_by_label("Longitude").press("Tab")
    expect(page.locator("#id_location-map .leaflet-marker-icon")).to_have_count(1)
    page.get_by_role("link", name="Draw a marker").click()
    page.locator("#id_location-map").click(position={"x": 120, "y": 90})
    expect(page.get_by_label("Latitude")).not_to_have_value("38.115700")
    lat, lng = pin(page)
    assert abs(lat - 38.1157) > 0.001
    expect(page.get_by_label("Latitude")).to_have_value(f"{lat:.6f}")
    expect(page.get_by_label("Longitude")).to_have_value(f"{lng:.6f}")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Orto condiviso dello Zen")
    location = Practice.objects.get(title="Orto condiviso dello Zen").location
    assert (round(location.y, 6), round(location.x, 6)) == (round(lat, 6), round(lng, 6))


def test_dragging_the_pin_in_the_edit_tool_moves_the_coordinates(member_page):
    page = member_page
    page.goto("/en/practices/new/")
    page.locator("#id_location-map").click(position={"x": 200, "y": 150})
    expect(page.get_by_label("Latitude")).not_to_have_value("")
    before = page.get_by_label("Latitude").input_value()
    page.get_by_role("link", name="Edit layers").click()
    box = page.locator("#id_location-map .leaflet-marker-icon").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] - 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 60, box["y"] + box["height"] + 40, steps=8)
    page.mouse.up()
    page.locator(".leaflet-draw-actions").get_by_role("link", name="Save", exact=True).click()
    expect(page.get_by_label("Latitude")).not_to_have_value(before)
    lat, lng = pin(page)
    expect(page.get_by_label("Latitude")).to_have_value(f"{lat:.6f}")
    expect(page.get_by_label("Longitude")).to_have_value(f"{lng:.6f}")


def test_deleting_the_pin_empties_the_coordinates(member_page):
    page = member_page
    page.goto("/en/practices/new/")
    page.locator("#id_location-map").click(position={"x": 200, "y": 150})
    expect(page.get_by_label("Latitude")).not_to_have_value("")
    page.get_by_role("link", name="Delete layers").click()
    page.locator("#id_location-map .leaflet-marker-icon").click()
    page.locator(".leaflet-draw-actions").get_by_role("link", name="Save", exact=True).click()
    expect(page.get_by_label("Latitude")).to_have_value("")
    expect(page.get_by_label("Longitude")).to_have_value("")


def test_the_italian_form_map_has_italian_drawing_tools(member_page):
    page = member_page
    page.goto("/it/practices/new/")
    with translation.override("it"):
        draw_marker, zoom_in = gettext("Draw a marker"), gettext("Zoom in")
    assert (draw_marker, zoom_in) != ("Draw a marker", "Zoom in"), "translate them in locale/it (make makemessages)"
    expect(page.locator("#id_location-map .leaflet-draw-draw-marker")).to_have_attribute("title", draw_marker)
    expect(page.locator("#id_location-map .leaflet-control-zoom-in")).to_have_attribute("title", zoom_in)
