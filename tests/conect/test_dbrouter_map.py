"""The map with a read replica: a visitor's tiles, the map's version and a Lab page's map are read from the replica,
a client that wrote reads them from the primary, and a replica that cannot be reached leaves every page working on
the primary.

The "replica" alias is a test mirror of the test database, as tests/conect/replica.py sets it up.
"""

import time

import pytest
from django.contrib.gis.geos import Point
from django.db import connections
from django.test.utils import CaptureQueriesContext

from conect import middleware
from conect.dbrouter import read_alias, reads_from_replica
from tests.conect.replica import PIN, ROUTER, replica_alias, routed  # noqa: F401 - fixtures
from tests.factories import make_lab, make_practice

MAP_TABLES = ("practices_mapversion", "practices_mapcell")


def read_on_each(client, url: str) -> tuple[str, str]:
    """The SQL a GET of `url` ran on the primary and on the replica."""
    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(connections["replica"]) as rep:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return " ".join(q["sql"] for q in primary.captured_queries), " ".join(q["sql"] for q in rep.captured_queries)


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_a_visitors_tile_and_the_maps_version_are_read_from_the_replica(client):
    make_practice(location=Point(4.84, 45.76, srid=4326))
    for url in ("/tiles/practices/0/0/0.geojson", "/tiles/practices/12/2103/1460.geojson"):
        on_primary, on_replica = read_on_each(client, url)
        for table in MAP_TABLES[:1]:
            assert table in on_replica and table not in on_primary, url
    on_primary, on_replica = read_on_each(client, "/tiles/spaces/3/4/2.geojson")
    assert "practices_mapcell" in on_replica and "practices_mapcell" not in on_primary


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_a_lab_pages_map_is_read_from_the_replica(client):
    lab = make_lab()
    make_practice(lab=lab, location=Point(4.84, 45.76, srid=4326))
    on_primary, on_replica = read_on_each(client, lab.get_absolute_url())
    assert "practices_mapcellby" in on_replica and "practices_mapcellby" not in on_primary


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_a_client_that_wrote_reads_its_tiles_from_the_primary(client, monkeypatch):
    make_practice(location=Point(4.84, 45.76, srid=4326))
    monkeypatch.setattr(middleware, "_replica_has", lambda lsn: False)
    client.cookies["conect_primary"] = f"{time.time() + 4:.3f}:0/0"
    on_primary, on_replica = read_on_each(client, "/tiles/practices/0/0/0.geojson")
    assert "practices_mapversion" in on_primary and "practices_mapcell" in on_primary
    assert "practices_mapversion" not in on_replica and "practices_mapcell" not in on_replica


@pytest.fixture
def replica_down():
    """The replica's address refuses connections (a port nothing listens on)."""
    saved = connections.settings["replica"]
    connections["replica"].close()
    del connections["replica"]
    options = {**saved.get("OPTIONS", {}), "connect_timeout": 2}
    connections.settings["replica"] = {**saved, "PORT": "1", "OPTIONS": options}
    yield
    connections["replica"].close()
    del connections["replica"]
    connections.settings["replica"] = saved


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_when_the_replica_is_unreachable_a_visitor_still_gets_the_map_its_tiles_and_a_practice(
    client, replica_down, caplog
):
    practice = make_practice(location=Point(4.84, 45.76, srid=4326))
    for url in ("/en/map/", "/tiles/practices/0/0/0.geojson", practice.get_absolute_url()):
        assert client.get(url).status_code == 200, url
    assert [r.message for r in caplog.records if "replica" in r.message].count(
        next(r.message for r in caplog.records if "unreachable" in r.message)
    ) == 1, "logged once"
    with reads_from_replica():
        assert read_alias() == "default"


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_when_the_replica_is_unreachable_a_client_that_wrote_still_gets_its_pages(client, replica_down):
    practice = make_practice()
    client.cookies["conect_primary"] = f"{time.time() + 4:.3f}:0/0"
    assert client.get(practice.get_absolute_url()).status_code == 200
