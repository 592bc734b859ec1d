"""CORS: any site reads the open endpoints from a browser; only the origins in CORS_WRITE_ORIGINS may write; no
cookies across origins."""

import pytest
from django.test import override_settings

from partners.models import Scope
from tests.partners.conftest import make_token, token_client

API = "/api/v1/practices/"
PARTNER = "https://city.example"


def test_any_origin_may_read_the_api(client, db):
    response = client.get(API, HTTP_ORIGIN=PARTNER)
    assert response["Access-Control-Allow-Origin"] == PARTNER
    assert "Access-Control-Allow-Credentials" not in response


OPEN = [
    "/api/schema/",
    "/ogc/",
    "/hsds/",
    "/murmurations/practices/x.json",
    "/en/practices/feed.rss",
    "/it/labs/x/practices.atom",
    "/activities/calendar.ics",
]


@pytest.mark.parametrize("path", OPEN)
def test_any_origin_may_read_the_open_endpoints(client, db, path):
    response = client.get(path, HTTP_ORIGIN=PARTNER)
    assert response["Access-Control-Allow-Origin"] == PARTNER


def test_a_browser_may_preflight_a_read_with_a_token(client, db):
    response = client.options(
        API,
        HTTP_ORIGIN=PARTNER,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == PARTNER
    assert "authorization" in response["Access-Control-Allow-Headers"]


def test_a_token_read_from_another_origin_is_allowed(member):
    _token, key = make_token(member, Scope.PRIVATE)
    response = token_client(key).get(API, HTTP_ORIGIN=PARTNER)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == PARTNER


def test_an_unlisted_origin_may_not_preflight_a_write(client, db):
    response = client.options(
        API,
        HTTP_ORIGIN=PARTNER,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )
    assert "Access-Control-Allow-Origin" not in response


def test_an_unlisted_origin_gets_no_cors_header_on_a_write(member):
    _token, key = make_token(member)
    response = token_client(key).post(API, {}, content_type="application/json", HTTP_ORIGIN=PARTNER)
    assert "Access-Control-Allow-Origin" not in response


@override_settings(CORS_ALLOWED_ORIGINS=[PARTNER])
def test_a_listed_origin_may_preflight_a_write(client, db):
    response = client.options(API, HTTP_ORIGIN=PARTNER, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    assert response["Access-Control-Allow-Origin"] == PARTNER
    assert "POST" in response["Access-Control-Allow-Methods"]


def test_the_sites_pages_answer_no_other_origin(client, db):
    response = client.get("/en/", HTTP_ORIGIN=PARTNER)
    assert "Access-Control-Allow-Origin" not in response
