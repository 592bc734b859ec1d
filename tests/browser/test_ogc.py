import pytest
from django.contrib.gis.geos import Point
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.factories import make_lab, make_practice

pytestmark = pytest.mark.django_db(transaction=True)


def test_visitor_browses_the_ogc_pages_from_the_landing_page_to_a_feature(page):
    lab = make_lab(name="Lab Palermo")
    for n in range(12):
        make_practice(title=f"Orto {n:02d}", location=Point(13.36, 38.11, srid=4326))
    make_practice(title="Secret draft", state="draft", lab=lab)
    page.goto("/ogc/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("CoNECT")
    assert axe_violations(page) == []
    page.get_by_role("link", name="All the collections, with their extents").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Collections")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Practices", exact=True).click()
    page.get_by_role("link", name="The features as HTML").click()
    expect(page.get_by_role("row")).to_have_count(11)  # the header and the first 10
    expect(page.locator("#ogc-map")).to_have_attribute("data-features", "10")
    expect(page.locator(".leaflet-interactive")).to_have_count(10)
    expect(page.get_by_text("Secret draft")).to_have_count(0)
    assert axe_violations(page) == []
    page.get_by_role("link", name="Next").click()
    expect(page.get_by_role("row")).to_have_count(3)
    page.get_by_role("link", name="Orto 11").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Orto 11")
    assert axe_violations(page) == []
