"""A Lab's page draws its practices from the map's tiles filtered to the Lab: clusters for many, a link for one."""

import random

import pytest
from django.contrib.gis.geos import Point
from playwright.sync_api import expect

from labs.moderation import ModerationState
from tests.browser.conftest import axe_violations
from tests.factories import make_lab, make_practice

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_visitor_sees_the_labs_many_practices_as_clusters_and_never_its_drafts(page):
    rng = random.Random(3)
    lab = make_lab(name="CoNECT Lab Lyon", city="Lyon", country="FR", location=Point(4.84, 45.76, srid=4326))
    for n in range(40):
        make_practice(
            lab=lab,
            title=f"Practice {n}",
            country="FR",
            themes=["food"],
            location=Point(4.84 + rng.uniform(-0.2, 0.2), 45.76 + rng.uniform(-0.2, 0.2), srid=4326),
        )
    make_practice(lab=lab, title="Secret draft", state=ModerationState.DRAFT, location=Point(4.84, 45.76, srid=4326))
    make_practice(title="Another Lab's practice", location=Point(4.85, 45.75, srid=4326))
    page.goto(f"/en/labs/{lab.slug}/")
    expect(page.locator("#lab-map")).to_have_attribute("data-practices", "40")
    expect(page.locator("#lab-map .cluster").first).to_be_visible()
    assert axe_violations(page) == []


def test_a_visitor_opens_the_one_practice_of_a_lab_from_its_map(page):
    lab = make_lab(name="CoNECT Lab Palermo")
    make_practice(lab=lab, title="Orto di Ballarò", location=Point(13.36, 38.11, srid=4326))
    page.goto(f"/en/labs/{lab.slug}/")
    expect(page.locator("#lab-map")).to_have_attribute("data-practices", "1")
    page.locator("#lab-map path.leaflet-interactive").first.click()
    page.locator(".leaflet-popup").get_by_role("link", name="Orto di Ballarò").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Orto di Ballarò")
