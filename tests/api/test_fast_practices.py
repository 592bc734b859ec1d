"""The practices and spaces API assembled by PostgreSQL says exactly what the serializers say, in the reader's
language, with caching headers, the page-size limit and the box checks."""

import datetime
import json

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.utils import translation
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from practices.api import PracticeGeoSerializer, PracticeSerializer, SpaceGeoSerializer, SpaceSerializer
from practices.models import SDG, Practice, PracticeTranslation, Space
from tests.factories import make_practice, make_space

API = "/api/v1/practices/"
SPACES = "/api/v1/spaces/"
STAMPS = ("created_at", "updated_at")


def normalised(row: dict) -> dict:
    """Timestamps as instants (both sides write RFC 3339, in UTC or local time)."""
    row = dict(row)
    for key in STAMPS:
        if row.get(key):
            row[key] = datetime.datetime.fromisoformat(row[key].replace("Z", "+00:00"))
    if isinstance(row.get("properties"), dict):
        row["properties"] = normalised(row["properties"])
    return row


def serialized(serializer_class, items, path: str, language: str = "en") -> list[dict]:
    request = Request(APIRequestFactory().get(path))
    with translation.override(language):
        rows = [serializer_class(item, context={"request": request}).data for item in items]
    return [normalised(row) for row in json.loads(json.dumps(rows))]


@pytest.fixture
def rich(lab):
    practice = make_practice(
        themes=["food", "solidarity"],
        primary_theme_id=None,
        title="Mensa di quartiere",
        summary="Pranzi",
        description="Una **mensa** per tutti",
        original_language="it",
        lab=lab,
        dimensions=["social"],
        target_groups=["youth"],
        start_date=datetime.date(2020, 1, 2),
        website="https://example.org/mensa",
    )
    practice.sdgs.set(SDG.objects.filter(number__in=[2, 11]))
    PracticeTranslation.objects.create(practice=practice, language="en", title="Neighbourhood canteen", summary="Meals")
    PracticeTranslation.objects.create(practice=practice, language="fr", title="Cantine", summary="", description="")
    make_practice(location=None, title="Nowhere")
    return practice


def test_a_partner_reads_the_same_practice_fields_as_the_serializer_describes(client, rich):
    body = client.get(API).json()
    items = Practice.objects.visible_to(None).with_relations().order_by("pk")
    assert [normalised(row) for row in body["results"]] == serialized(PracticeSerializer, items, API)


def test_the_geojson_page_says_what_the_geo_serializer_says_with_licence_and_attribution(client, rich, settings):
    body = client.get(API, {"format": "geojson"}).json()
    assert body["type"] == "FeatureCollection"
    assert body["licence"] == settings.DATA_LICENCE and body["attribution"] == settings.DATA_ATTRIBUTION
    items = Practice.objects.visible_to(None).with_relations().order_by("pk")
    assert [normalised(f) for f in body["features"]] == serialized(PracticeGeoSerializer, items, API)
    assert body["features"][0]["id"] == rich.slug
    assert body["features"][0]["geometry"] == {"type": "Point", "coordinates": [13.3636, 38.1166]}
    assert body["features"][1]["geometry"] is None


def test_one_practice_reads_the_same_as_the_serializer_and_carries_its_version(client, rich):
    response = client.get(f"{API}{rich.slug}/")
    assert normalised(response.json()) == serialized(PracticeSerializer, [rich], API)[0]
    assert response["ETag"] == f'"{rich.version}"'
    assert response["Last-Modified"]
    feature = client.get(f"{API}{rich.slug}/", {"format": "geojson"}).json()
    assert normalised(feature) == serialized(PracticeGeoSerializer, [rich], API)[0]


def test_spaces_read_the_same_as_their_serializer(client, db):
    square = Polygon.from_bbox((13.0, 38.0, 13.1, 38.1))
    make_space(area=MultiPolygon(square, srid=4326), step_free=True, accessibility="Ramp")
    make_space(state="draft")
    items = Space.objects.visible_to(None).order_by("pk")
    assert [normalised(r) for r in client.get(SPACES).json()["results"]] == serialized(SpaceSerializer, items, SPACES)
    features = client.get(SPACES, {"format": "geojson"}).json()["features"]
    assert [normalised(f) for f in features] == serialized(SpaceGeoSerializer, items, SPACES)


@pytest.mark.parametrize("language", ["en", "fr", "de"])
def test_a_reader_gets_the_text_in_their_language_when_it_is_translated(client, rich, language):
    row = client.get(API, {"lang": language}).json()["results"][0]
    expected = {
        "en": ("Neighbourhood canteen", "Meals", "", "en"),  # a translation with words
        "fr": ("Cantine", "Pranzi", "Una **mensa** per tutti", "it"),  # only a title: the original's words
        "de": ("Mensa di quartiere", "Pranzi", "Una **mensa** per tutti", "it"),  # none: the original
    }[language]
    assert (row["title"], row["summary"], row["description"], row["language"]) == expected
    assert normalised(row) == serialized(PracticeSerializer, [rich], API, language)[0]


def test_accept_language_chooses_the_translation_too(client, rich):
    response = client.get(f"{API}{rich.slug}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["title"] == "Neighbourhood canteen"
    assert response["Content-Language"] == "en"


def test_an_unknown_language_is_a_400_naming_lang(client, db):
    response = client.get(API, {"lang": "xx"})
    assert response.status_code == 400 and "lang" in response.json()


def test_a_detail_answers_304_to_its_etag_and_to_if_modified_since(client, rich):
    first = client.get(f"{API}{rich.slug}/")
    assert client.get(f"{API}{rich.slug}/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(f"{API}{rich.slug}/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_a_list_page_answers_304_when_nothing_changed(client, rich):
    first = client.get(API)
    assert first["Last-Modified"]
    assert client.get(API, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(API, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


@pytest.mark.parametrize("size", ["100000", "0", "-1", "ten", "1.5"])
def test_a_page_size_beyond_1000_or_not_a_whole_number_is_a_400_naming_it(client, db, size):
    response = client.get(API, {"page_size": size})
    assert response.status_code == 400
    assert "page_size" in response.json()


@pytest.mark.parametrize("bbox", ["-200,10,20,30", "10,10,5,30", "a,b,c,d", "1,2,3", "10,95,20,96"])
def test_a_bad_box_is_a_400_naming_bbox_in_json_and_geojson(client, db, bbox):
    for path in (API, SPACES):
        for form in ("json", "geojson"):
            response = client.get(path, {"bbox": bbox, "format": form})
            assert response.status_code == 400, (path, form)
            assert "bbox" in response.json()


def test_a_visitor_never_sees_a_draft_in_the_list_the_detail_or_the_geojson(client, lab):
    draft = make_practice(state="draft", lab=lab, title="Secret")
    make_practice(title="Public")
    assert draft.slug not in str(client.get(API).content)
    assert draft.slug not in str(client.get(API, {"format": "geojson"}).content)
    assert client.get(f"{API}{draft.slug}/").status_code == 404
    assert client.get(f"{API}{draft.slug}/", {"format": "geojson"}).status_code == 404


def test_a_member_sees_their_labs_draft_through_the_fast_path(lab, member):
    from tests.conftest import client_for

    draft = make_practice(state="draft", lab=lab)
    assert client_for(member).get(f"{API}{draft.slug}/").status_code == 200


@pytest.mark.parametrize("rows", [1, 30])
def test_every_practice_and_space_list_costs_one_query_whatever_its_length(client, db, django_assert_num_queries, rows):
    for n in range(rows):
        practice = make_practice(themes=["food"])
        PracticeTranslation.objects.create(practice=practice, language="fr", title=f"T{n}", summary="s")
        make_space()
    for path in (API, SPACES):
        for params in ({}, {"format": "geojson"}, {"lang": "fr"}, {"modified_since": "2000-01-01T00:00:00Z"}):
            with django_assert_num_queries(1):
                assert client.get(path, params).status_code == 200


def test_a_detail_costs_one_query(client, rich, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get(f"{API}{rich.slug}/")


def test_cursor_links_walk_every_practice_once(client, db):
    made = {make_practice(location=Point(13, 38, srid=4326)).slug for _ in range(7)}
    seen, url = [], API + "?page_size=3"
    while url:
        body = client.get(url).json()
        seen += [row["slug"] for row in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted(made)
