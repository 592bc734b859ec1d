"""Too many requests: 429 with Retry-After and a JSON body, per token and per anonymous address, counted in the
cache every process shares."""

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import override_settings

from partners.models import Scope
from tests.partners.conftest import make_token, token_client

API = "/api/v1/practices/"
DATABASE_CACHE = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "conect_cache"}


@override_settings(API_TOKEN_RATE="2/min")
def test_a_token_over_its_rate_gets_429_with_retry_after(member):
    _token, key = make_token(member, Scope.PRIVATE)
    client = token_client(key)
    assert [client.get(API).status_code for _ in range(2)] == [200, 200]
    response = client.get(API)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["detail"]


@override_settings(API_TOKEN_RATE="1/min")
def test_each_token_has_its_own_count(member):
    first, second = (token_client(make_token(member)[1]) for _ in range(2))
    assert first.get(API).status_code == 200
    assert first.get(API).status_code == 429
    assert second.get(API).status_code == 200


@override_settings(API_ANON_RATE="1/min", API_TOKEN_RATE="")
def test_a_visitor_over_the_anonymous_rate_gets_429_but_a_token_is_counted_apart(client, member):
    assert client.get(API).status_code == 200
    assert client.get(API).status_code == 429
    assert token_client(make_token(member)[1]).get(API).status_code == 200


@override_settings(API_ANON_RATE="1/min")
def test_a_visitor_cannot_escape_the_anonymous_rate_by_sending_x_forwarded_for(client, db):
    assert client.get(API, HTTP_X_FORWARDED_FOR="10.0.0.1").status_code == 200
    assert client.get(API, HTTP_X_FORWARDED_FOR="10.0.0.2").status_code == 429


@override_settings(API_ANON_RATE="1/min")
def test_signed_in_people_on_the_site_are_not_throttled_as_visitors(member):
    from tests.conftest import client_for

    session = client_for(member)
    assert [session.get(API).status_code for _ in range(3)] == [200, 200, 200]


@pytest.mark.django_db(transaction=True)
@override_settings(API_TOKEN_RATE="1/min", CACHES={"default": DATABASE_CACHE, "shared": DATABASE_CACHE})
def test_without_redis_the_count_lives_in_the_database_so_every_process_shares_it(member):
    call_command("createcachetable")  # as `make migrate` does (the suite's own settings keep the count in memory)
    _token, key = make_token(member)
    client = token_client(key)
    assert client.get(API).status_code == 200
    assert caches["shared"].__class__.__name__ == "DatabaseCache"
    caches.close_all()  # another process: nothing kept in memory
    assert client.get(API).status_code == 429
    caches["shared"].clear()


@override_settings(
    API_ANON_RATE="1/min", API_TOKEN_RATE="", CACHES={"default": DATABASE_CACHE, "shared": DATABASE_CACHE}
)
def test_without_redis_a_visitors_count_costs_one_query_and_the_second_request_is_refused(client, db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with override_settings(API_ANON_RATE=""), CaptureQueriesContext(connection) as unthrottled:
        assert client.get(API).status_code == 200
    with CaptureQueriesContext(connection) as throttled:
        assert client.get(API).status_code == 200
    assert len(throttled) == len(unthrottled) + 1
    assert "ON CONFLICT" in throttled.captured_queries[0]["sql"]
    response = client.get(API)
    assert response.status_code == 429 and 1 <= int(response["Retry-After"]) <= 60
