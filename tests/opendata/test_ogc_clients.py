"""Real clients that someone else wrote read /ogc/: OWSLib's OGC API - Features client, and GDAL's OAPIF driver
when Debian's gdal-bin is on the machine."""

import json
import shutil
import subprocess

import pytest
import requests
from django.contrib.gis.geos import Point
from owslib.ogcapi.features import Features

from tests.factories import make_lab, make_practice

pytestmark = pytest.mark.django_db(transaction=True)

INSIDE = Point(13.36, 38.11, srid=4326)
OUTSIDE = Point(2.17, 41.39, srid=4326)


@pytest.fixture
def mapped():
    lab = make_lab(name="Lab Palermo")
    published = [make_practice(title=f"Orto {n}", location=INSIDE) for n in range(5)]
    far = make_practice(title="Far away", location=OUTSIDE)
    draft = make_practice(title="Secret draft", location=INSIDE, state="draft", lab=lab)
    return {"published": published, "far": far, "draft": draft}


def test_owslib_reads_the_landing_page_conformance_and_collections(live_server, mapped):
    api = Features(f"{live_server.url}/ogc/")
    assert api.links and any(link["rel"] == "service-desc" for link in api.links)
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in api.conformance()["conformsTo"]
    assert set(api.feature_collections()) == {"practices", "spaces", "organisations", "labs"}
    assert api.collection("practices")["extent"]["spatial"]["bbox"]
    assert api.api()["openapi"].startswith("3.0")


def test_owslib_reads_items_in_a_box_and_never_a_draft(live_server, mapped):
    api = Features(f"{live_server.url}/ogc/")
    found = api.collection_items("practices", bbox=[13, 38, 14, 39], limit=100)
    titles = {feature["properties"]["title"] for feature in found["features"]}
    assert titles == {f"Orto {n}" for n in range(5)}
    assert found["numberMatched"] == 5
    one = api.collection_item("practices", mapped["far"].slug)
    assert one["geometry"]["coordinates"] == [2.17, 41.39]
    with pytest.raises(RuntimeError):
        api.collection_item("practices", mapped["draft"].slug)


def test_a_client_following_next_links_gets_every_published_feature_once(live_server, mapped):
    url, seen = f"{live_server.url}/ogc/collections/practices/items?limit=2", []
    while url:
        response = requests.get(url, timeout=10)
        assert response.headers["Content-Type"] == "application/geo+json"
        document = response.json()
        seen += [feature["id"] for feature in document["features"]]
        url = next((link["href"] for link in document["links"] if link["rel"] == "next"), None)
    expected = sorted(practice.slug for practice in [*mapped["published"], mapped["far"]])
    assert sorted(seen) == expected and len(seen) == len(set(seen))


@pytest.mark.skipif(not shutil.which("ogrinfo"), reason="Debian's gdal-bin is not installed")
def test_gdal_reads_the_practices_layer(live_server, mapped):
    result = subprocess.run(
        ["ogrinfo", "-json", "-ro", "-so", f"OAPIF:{live_server.url}/ogc/", "practices"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    layer = json.loads(result.stdout)["layers"][0]
    assert layer["name"] == "practices"
    assert "title" in {field["name"] for field in layer["fields"]}
