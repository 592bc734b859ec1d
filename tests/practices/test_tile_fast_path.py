"""A cached map tile answered before the middleware it does not need (practices.middleware.cached_tiles): the same
answer as the view's through the whole stack, never older than the map."""

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point
from django.middleware.locale import LocaleMiddleware
from django.test import Client, override_settings

from tests.factories import make_practice

LYON = Point(4.84, 45.76, srid=4326)
# The aggregated cells (z8), a theme's cells (z6) and the live query over the location index (z12), around Lyon.
URLS = [
    "/tiles/practices/8/131/90.geojson",
    "/tiles/practices/6/32/22.geojson?theme=food&lang=it",
    "/tiles/practices/12/2103/1461.geojson?lang=en",
    "/tiles/practices/12/2103/1461.geojson?country=FR&lab=&utm_source=x",
    "/tiles/spaces/12/2103/1461.geojson",
]
WITHOUT_FAST_PATH = [name for name in settings.MIDDLEWARE if name != "practices.middleware.cached_tiles"]
HEADERS = {"HTTP_ACCEPT_LANGUAGE": "de", "HTTP_ORIGIN": "https://city.example"}


def answer(response) -> tuple:
    return response.status_code, dict(response.headers), response.content


def through_the_whole_stack(url: str, **headers):
    with override_settings(MIDDLEWARE=WITHOUT_FAST_PATH):
        return Client().get(url, **headers)


@pytest.fixture
def lyon(db):
    return make_practice(title="Jardin", location=LYON, country="FR", themes=["food"])


@pytest.mark.parametrize("url", URLS)
def test_a_cached_tile_gets_the_same_answer_as_the_view_gives_through_every_middleware(client, lyon, url):
    first = client.get(url, **HEADERS)  # a miss: the view fills the cache
    assert first.status_code == 200
    assert answer(client.get(url, **HEADERS)) == answer(first) == answer(through_the_whole_stack(url, **HEADERS))


@pytest.mark.parametrize("url", URLS)
def test_a_cached_tile_answers_304_to_a_reader_who_has_it_as_the_view_does(client, lyon, url):
    etag = client.get(url)["ETag"]
    not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag, **HEADERS)
    assert not_modified.status_code == 304
    assert answer(not_modified) == answer(through_the_whole_stack(url, HTTP_IF_NONE_MATCH=etag, **HEADERS))


def test_a_cached_tile_is_answered_with_one_query_before_the_locale_and_session_middleware(
    client, lyon, monkeypatch, django_assert_num_queries
):
    url = "/tiles/practices/12/2103/1461.geojson?lang=en"
    first = client.get(url)

    def refuse(*args, **kwargs):
        raise AssertionError("a cached tile went through LocaleMiddleware")

    monkeypatch.setattr(LocaleMiddleware, "process_request", refuse)
    with django_assert_num_queries(1):  # the map's version
        again = client.get(url)
    assert again.content == first.content


def test_a_visitor_sees_a_change_at_once_on_a_tile_that_was_cached(client, lyon):
    url = "/tiles/practices/12/2103/1461.geojson?lang=en"
    assert b"Jardin" in client.get(url).content
    lyon.title = "Orto"
    lyon.save()
    assert b"Orto" in client.get(url).content
    lyon.state = "draft"
    lyon.save()
    assert client.get(url).json()["features"] == []


def test_a_bad_filter_answers_400_every_time_even_beside_a_cached_tile(client, lyon):
    client.get("/tiles/practices/12/2103/1461.geojson")
    for _ in range(2):
        response = client.get("/tiles/practices/12/2103/1461.geojson?theme=no-such-theme")
        assert response.status_code == 400
        assert "theme" in response.json()["errors"]


def test_a_request_with_a_nul_character_is_refused_even_when_its_tile_is_cached(client, lyon):
    client.get("/tiles/practices/12/2103/1461.geojson")
    assert client.get("/tiles/practices/12/2103/1461.geojson?utm_source=%00").status_code == 400


def test_a_tile_that_does_not_exist_is_not_found_and_head_is_not_allowed(client, lyon):
    client.get("/tiles/practices/12/2103/1461.geojson")
    assert client.get("/tiles/practices/12/9999/1461.geojson").status_code == 404
    assert client.head("/tiles/practices/12/2103/1461.geojson").status_code == 405
