"""Bad input through the API, from a partner's site or a person: a 4xx whose JSON body says what is wrong, and
nothing written. (NUL characters, deep nesting and control characters: test_input_limits.py.)"""

import json
from datetime import timedelta

import pytest

from partners.models import Scope
from practices.models import Practice
from tests.api.test_practices import new_practice
from tests.conftest import client_for
from tests.factories import make_practice
from tests.partners.conftest import make_token, token_client

API = "/api/v1/practices/"


def post(user, body):
    return client_for(user).post(API, body, content_type="application/json")


def test_malformed_json_is_a_400_saying_so_and_nothing_is_written(lab, member):
    response = post(member, '{"title": "Mensa",')
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]
    assert not Practice.objects.exists()


def test_a_body_that_is_not_an_object_is_a_400(lab, member):
    response = post(member, json.dumps(["title", "Mensa"]))
    assert response.status_code == 400
    assert response.json()
    assert not Practice.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", {"it": "Mensa"}), ("sdgs", "two"), ("location", "38.12, 13.36"), ("themes", 7), ("lab", ["x"])],
)
def test_a_value_of_the_wrong_type_is_a_400_at_its_field(lab, member, field, value):
    response = post(member, json.dumps(new_practice(lab) | {field: value}))
    assert response.status_code == 400
    assert field in response.json()
    assert not Practice.objects.exists()


def test_an_unknown_field_is_a_400_naming_it_and_nothing_is_written(lab, member):
    response = post(member, json.dumps(new_practice(lab) | {"summmary": "typo", "owner": "me"}))
    assert response.status_code == 400
    assert response.json() == {"owner": ["Unknown field."], "summmary": ["Unknown field."]}
    assert not Practice.objects.exists()


def test_an_unknown_field_in_a_change_is_refused_and_the_row_is_unchanged(lab, member):
    practice = make_practice(lab=lab, title="Mensa")
    response = client_for(member).patch(
        f"{API}{practice.slug}/", {"title": "Mensa nuova", "colour": "red"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "colour" in response.json()
    practice.refresh_from_db()
    assert practice.title == "Mensa"


def test_a_row_read_from_the_api_can_be_sent_back_with_its_read_only_fields(lab, member):
    practice = make_practice(lab=lab, title="Mensa")
    client = client_for(member)
    body = client.get(f"{API}{practice.slug}/").json()
    response = client.put(f"{API}{practice.slug}/", body | {"title": "Mensa nuova"}, content_type="application/json")
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("size", ["1001", "1000000000000", "-1", "0", "ten", "1e3"])
def test_a_page_size_too_big_or_not_a_number_is_a_400_naming_it(client, db, size):
    response = client.get(API, {"page_size": size})
    assert response.status_code == 400
    assert "page_size" in response.json()


@pytest.mark.parametrize(
    "bbox",
    [
        "13,38,14,91",  # latitude beyond the pole
        "-181,38,14,39",  # longitude beyond the antimeridian
        "14,38,13,39",  # inverted
        "13,39,14,38",  # inverted
        "NaN,38,14,39",
        "13,38,inf,39",
        "13,38,14",  # three numbers
        "a,b,c,d",
    ],
)
def test_a_bbox_out_of_range_inverted_or_not_numbers_is_a_400_naming_it(client, db, bbox):
    response = client.get(API, {"bbox": bbox})
    assert response.status_code == 400, response.content
    assert "bbox" in response.json()


def test_an_unknown_language_is_a_400_naming_it(client, db):
    response = client.get(API, {"lang": "xx"})
    assert response.status_code == 400
    assert "lang" in response.json()


def test_a_modified_since_that_is_not_a_date_is_a_400_naming_it(client, db):
    response = client.get(API, {"modified_since": "yesterday"})
    assert response.status_code == 400
    assert "modified_since" in response.json()


@pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer ", "Bearer a.b"])
def test_an_unknown_token_is_a_401_with_a_json_error_even_where_a_visitor_may_read(client, db, header):
    response = client.get(API, headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_is_a_401_and_writes_nothing(lab, member):
    _token, key = make_token(member, Scope.SUBMIT, expires_in=timedelta(days=-1))
    response = token_client(key).post(API, new_practice(lab), content_type="application/json")
    assert response.status_code == 401
    assert response.json()["detail"]
    assert not Practice.objects.exists()


def test_a_revoked_token_is_a_401_and_writes_nothing(lab, member):
    token, key = make_token(member, Scope.SUBMIT)
    token.revoke()
    response = token_client(key).post(API, new_practice(lab), content_type="application/json")
    assert response.status_code == 401
    assert not Practice.objects.exists()


def test_a_token_without_the_submit_scope_cannot_write_and_is_told_why(lab, member):
    _token, key = make_token(member, Scope.PRIVATE)
    response = token_client(key).post(API, new_practice(lab), content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"]
    assert not Practice.objects.exists()


def test_too_many_requests_is_a_429_with_retry_after_and_a_json_error(client, db, settings):
    settings.API_ANON_RATE = "3/min"
    answers = [client.get(API) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert int(answers[-1]["Retry-After"]) >= 1
    assert answers[-1].json()["detail"]


def test_too_many_submissions_by_a_token_write_nothing_more(lab, member, settings):
    settings.API_TOKEN_RATE = "1/min"
    _token, key = make_token(member, Scope.SUBMIT)
    client = token_client(key)
    assert client.post(API, new_practice(lab), content_type="application/json").status_code == 201
    second = client.post(API, new_practice(lab, title="Mensa due"), content_type="application/json")
    assert second.status_code == 429
    assert Practice.objects.count() == 1
