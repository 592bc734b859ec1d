"""OGC API - Features at /ogc/: what a GIS client or a partner can read there, and what it is refused."""

import datetime as dt
import json

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.test import Client
from openapi_spec_validator import validate

from opendata.ogc import CONFORMANCE
from tests.conftest import client_for
from tests.factories import make_lab, make_organisation, make_practice, make_space

pytestmark = pytest.mark.django_db

PALERMO = Point(13.3636, 38.1166, srid=4326)
GIJON = Point(-5.66, 43.54, srid=4326)


def get(path: str, client: Client | None = None, **headers):
    response = (client or Client()).get(path, **headers)
    return response, (json.loads(response.content) if "json" in response["Content-Type"] else None)


def ids(document: dict) -> list[str]:
    return [feature["id"] for feature in document["features"]]


def test_the_landing_page_links_to_the_definition_the_conformance_and_the_collections():
    response, document = get("/ogc/")
    assert response.status_code == 200
    rels = {link["rel"]: link for link in document["links"]}
    assert rels["service-desc"]["type"] == "application/vnd.oai.openapi+json;version=3.0"
    assert rels["conformance"]["href"].endswith("/ogc/conformance")
    assert rels["data"]["href"].endswith("/ogc/collections")
    assert rels["self"]["type"] == "application/json" and rels["alternate"]["type"] == "text/html"


def test_conformance_lists_core_geojson_openapi_and_html():
    _response, document = get("/ogc/conformance")
    assert set(document["conformsTo"]) == set(CONFORMANCE)
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in document["conformsTo"]


def test_the_api_definition_is_a_valid_openapi_3_document():
    response, document = get("/ogc/api")
    assert response["Content-Type"] == "application/vnd.oai.openapi+json;version=3.0"
    validate(document)
    assert "/collections/{collectionId}/items" in document["paths"]


def test_collections_give_their_extent_from_published_rows_only(lab):
    make_practice(location=PALERMO, start_date=dt.date(2020, 1, 1), end_date=dt.date(2022, 1, 1))
    make_practice(location=GIJON, state="draft", lab=lab, start_date=dt.date(2001, 1, 1))
    _response, document = get("/ogc/collections/practices")
    extent = document["extent"]
    assert extent["spatial"]["bbox"] == [[13.3636, 38.1166, 13.3636, 38.1166]]
    assert extent["temporal"]["interval"] == [["2020-01-01T00:00:00Z", "2022-01-01T00:00:00Z"]]
    assert {link["rel"] for link in document["links"]} >= {"self", "alternate", "items", "license"}


def test_the_collections_are_practices_spaces_organisations_and_labs():
    _response, document = get("/ogc/collections")
    found = [collection["id"] for collection in document["collections"]]
    assert found == ["practices", "spaces", "organisations", "labs"]
    assert all(collection["itemType"] == "feature" for collection in document["collections"])


def test_items_are_geojson_with_slugs_as_ids_and_lon_lat_coordinates():
    practice = make_practice(title="Orto Capovolto", location=PALERMO)
    response, document = get("/ogc/collections/practices/items")
    assert response["Content-Type"] == "application/geo+json"
    assert document["type"] == "FeatureCollection"
    assert document["numberMatched"] == document["numberReturned"] == 1
    feature = document["features"][0]
    assert feature["id"] == practice.slug
    assert feature["geometry"] == {"type": "Point", "coordinates": [13.3636, 38.1166]}
    assert feature["properties"]["title"] == "Orto Capovolto"
    assert document["licence"] and document["attribution"] and document["timeStamp"].endswith("Z")


@pytest.mark.parametrize("collection", ["practices", "spaces", "organisations"])
def test_a_visitor_never_sees_a_draft_in_items_or_as_a_feature(collection, lab, member):
    make = {"practices": make_practice, "spaces": make_space, "organisations": make_organisation}[collection]
    published = make(location=PALERMO)
    draft = make(location=PALERMO, state="draft", lab=lab, created_by=member)
    _response, document = get(f"/ogc/collections/{collection}/items")
    assert ids(document) == [published.slug]
    response, _document = get(f"/ogc/collections/{collection}/items/{draft.slug}")
    assert response.status_code == 404


def test_a_member_signed_in_sees_no_draft_either(lab, member):
    draft = make_practice(location=PALERMO, state="draft", lab=lab, created_by=member)
    _response, document = get("/ogc/collections/practices/items", client_for(member))
    assert draft.slug not in ids(document)


def test_a_box_keeps_the_point_just_inside_and_leaves_the_one_just_outside():
    inside = make_practice(location=Point(10.0, 45.0, srid=4326))
    make_practice(location=Point(10.02, 45.0, srid=4326))
    _response, document = get("/ogc/collections/practices/items?bbox=9.9,44.9,10.01,45.1")
    assert ids(document) == [inside.slug]


def test_a_box_with_heights_is_read_as_its_four_corners():
    inside = make_practice(location=Point(10.0, 45.0, srid=4326))
    _response, document = get("/ogc/collections/practices/items?bbox=9.9,44.9,0,10.01,45.1,100")
    assert ids(document) == [inside.slug]


def test_labs_are_found_by_their_territory():
    territory = MultiPolygon(Polygon.from_bbox((20.0, 45.0, 21.0, 46.0)), srid=4326)
    lab = make_lab(territory=territory, location=None)
    make_lab(location=GIJON)
    _response, document = get("/ogc/collections/labs/items?bbox=20.5,45.5,20.6,45.6")
    assert ids(document) == [lab.slug]
    assert document["features"][0]["geometry"]["type"] == "MultiPolygon"


def test_datetime_keeps_practices_whose_dates_meet_the_interval():
    running = make_practice(start_date=dt.date(2020, 1, 1), end_date=None)
    make_practice(start_date=dt.date(2010, 1, 1), end_date=dt.date(2012, 1, 1))
    make_practice(start_date=None, end_date=None)
    _response, document = get("/ogc/collections/practices/items?datetime=2021-06-01T00:00:00Z/..")
    assert ids(document) == [running.slug]
    _response, document = get("/ogc/collections/practices/items?datetime=2011-03-04")
    assert len(ids(document)) == 1 and running.slug not in ids(document)


def test_next_links_page_through_every_feature_once():
    made = {make_practice(location=PALERMO).slug for _ in range(7)}
    seen: list[str] = []
    path = "/ogc/collections/practices/items?limit=3"
    while path:
        _response, document = get(path)
        assert document["numberMatched"] == 7
        seen += ids(document)
        following = [link["href"] for link in document["links"] if link["rel"] == "next"]
        path = following[0].removeprefix("http://testserver") if following else None
    assert sorted(seen) == sorted(made)


def test_a_limit_above_the_maximum_is_clamped_to_ten_thousand():
    make_practice()
    response, document = get("/ogc/collections/practices/items?limit=50000")
    assert response.status_code == 200
    assert "limit=10000" in next(link["href"] for link in document["links"] if link["rel"] == "self")


@pytest.mark.parametrize(
    "query",
    [
        "bbox=1,2,3",
        "bbox=10,40,5,45",
        "bbox=-200,40,5,45",
        "bbox=a,b,c,d",
        "limit=ten",
        "limit=0",
        "offset=-1",
        "datetime=yesterday",
        "datetime=2022-01-01/2021-01-01",
        "datetime=../..",
        "bbox-crs=http://www.opengis.net/def/crs/EPSG/0/3857",
        "f=xml",
        "colour=red",
    ],
)
def test_a_bad_parameter_is_a_400_with_an_ogc_exception(query):
    response, document = get(f"/ogc/collections/practices/items?{query}")
    assert response.status_code == 400
    assert document["code"] == "InvalidParameterValue" and document["description"]


def test_an_unknown_collection_or_feature_is_a_404_with_an_ogc_exception():
    for path in ("/ogc/collections/people", "/ogc/collections/people/items", "/ogc/collections/practices/items/x"):
        response, document = get(path)
        assert response.status_code == 404
        assert document["code"] == "NotFound"


def test_a_browser_gets_html_pages_and_html_errors():
    practice = make_practice(title="Orto Capovolto")
    feature = f"/ogc/collections/practices/items/{practice.slug}"
    for path in ("/ogc/", "/ogc/collections", "/ogc/collections/practices/items", feature):
        response = Client().get(path, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
        assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    response = Client().get("/ogc/collections/practices/items?f=html")
    assert "Orto Capovolto" in response.content.decode()
    response = Client().get("/ogc/collections/people?f=html")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_a_single_feature_carries_its_links():
    practice = make_practice()
    response, document = get(f"/ogc/collections/practices/items/{practice.slug}")
    assert response["Content-Type"] == "application/geo+json"
    assert document["type"] == "Feature" and document["id"] == practice.slug
    assert {link["rel"] for link in document["links"]} == {"self", "alternate", "collection"}


def test_writing_is_refused():
    response = Client().post("/ogc/collections/practices/items", {})
    assert response.status_code == 405


@pytest.mark.parametrize("count", [1, 30])
def test_an_items_page_costs_two_queries_whatever_its_length(count, django_assert_num_queries):
    for _ in range(count):
        make_practice(location=PALERMO)
    with django_assert_num_queries(2):
        response = Client().get("/ogc/collections/practices/items?limit=100&bbox=13,38,14,39")
    assert len(json.loads(response.content)["features"]) == count


@pytest.mark.parametrize("count", [1, 30])
def test_the_collections_cost_one_query_each_whatever_their_size(count, django_assert_num_queries):
    for _ in range(count):
        make_practice(location=PALERMO)
        make_space()
    with django_assert_num_queries(4):
        Client().get("/ogc/collections")


def test_the_time_of_an_organisation_is_when_its_record_last_changed():
    organisation = make_organisation(location=PALERMO)
    today = organisation.updated_at.date()
    _response, document = get(f"/ogc/collections/organisations/items?datetime={today.isoformat()}/..")
    assert ids(document) == [organisation.slug]
    _response, document = get("/ogc/collections/organisations/items?datetime=../2000-01-01")
    assert ids(document) == []


def test_a_feature_costs_one_query(django_assert_num_queries):
    practice = make_practice()
    with django_assert_num_queries(1):
        response = Client().get(f"/ogc/collections/practices/items/{practice.slug}")
    assert response.status_code == 200
