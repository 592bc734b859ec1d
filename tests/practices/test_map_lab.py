"""A Lab's page no longer carries its practices' points: its map reads the tiles filtered to the Lab."""

import json

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.test.utils import CaptureQueriesContext

from labs.moderation import ModerationState
from tests.factories import make_lab, make_practice


def practices_map(client, lab):
    response = client.get(f"/en/labs/{lab.slug}/")
    return response.context["practices_map"]


def test_the_lab_page_gives_its_map_the_tiles_filtered_to_the_lab_and_an_extent_around_its_practices(client, db):
    lab = make_lab()
    make_practice(lab=lab, location=Point(13.4567, 38.11, srid=4326))
    make_practice(lab=lab, location=Point(14.55, 37.3, srid=4326))
    config = practices_map(client, lab)
    assert config["filters"] == f"lab={lab.slug}"
    assert config["tileUrl"] == "/tiles/practices/{z}/{x}/{y}.geojson"
    west, south, east, north = config["extent"]
    assert west <= 13.4567 <= 14.55 <= east
    assert south <= 37.3 <= 38.11 <= north
    assert east - west < 4 and north - south < 4
    page = client.get(f"/en/labs/{lab.slug}/").content.decode()
    assert "13.4567" not in page  # no practice's coordinates in the page


@pytest.mark.parametrize("state", [ModerationState.DRAFT, ModerationState.SUBMITTED, ModerationState.ARCHIVED])
def test_a_lab_whose_practices_are_not_published_has_no_practices_on_its_map(client, db, state):
    lab = make_lab()
    make_practice(lab=lab, state=state, location=Point(2.0, 50.0, srid=4326))
    assert practices_map(client, lab) is None
    tile = client.get(f"/tiles/practices/4/8/5.geojson?lab={lab.slug}")
    assert json.loads(tile.content)["features"] == []


def test_the_lab_page_runs_the_same_queries_for_one_or_200_practices(client, db):
    small, big = make_lab(), make_lab()
    make_practice(lab=small)
    for n in range(200):
        make_practice(lab=big, location=Point(13 + n / 100, 38, srid=4326))
    client.get(f"/en/labs/{small.slug}/")
    with CaptureQueriesContext(connection) as one:
        client.get(f"/en/labs/{small.slug}/")
    with CaptureQueriesContext(connection) as many:
        client.get(f"/en/labs/{big.slug}/")
    assert len(many) == len(one)
