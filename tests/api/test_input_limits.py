"""Hostile input through the API: a 400 that says what is wrong, never a server error."""

import json

import pytest

from practices.models import Practice
from tests.api.test_practices import new_practice
from tests.conftest import client_for
from tests.factories import make_practice

API = "/api/v1/practices/"


def post(user, body: str):
    return client_for(user).post(API, body, content_type="application/json")


@pytest.mark.parametrize(
    ("field", "value"), [("themes", ["fo\x00od"]), ("primary_theme", "fo\x00od"), ("lab", "lab\x00")]
)
def test_a_nul_character_in_a_reference_is_a_400(lab, member, field, value):
    response = post(member, json.dumps(new_practice(lab) | {field: value}))
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]
    assert not Practice.objects.exists()


def test_the_same_body_without_the_nul_character_is_saved(lab, member):
    assert post(member, json.dumps(new_practice(lab) | {"primary_theme": "food"})).status_code == 201


def test_a_lone_surrogate_in_a_reference_is_a_400(lab, member):
    body = json.dumps(new_practice(lab)).replace('"primary_theme": "food"', '"primary_theme": "food\\ud800"')
    assert post(member, body).status_code == 400


def test_a_nul_character_in_the_address_or_the_query_is_a_400(lab, member):
    practice = make_practice(lab=lab)
    client = client_for(member)
    assert client.get(f"{API}{practice.slug}%00/").status_code == 400
    assert client.get(f"{API}?q=a%00b").json()["detail"] == "The request contains a NUL character."
    assert client.patch(f"{API}{practice.slug}/?x=%00", {}, content_type="application/json").status_code == 400


def test_json_nested_100000_levels_deep_is_a_400_with_a_json_error(member):
    response = post(member, "[" * 100_000 + "]" * 100_000)
    assert response.status_code == 400
    assert "nested more than 32 levels" in response.json()["detail"]


def test_json_nested_within_the_limit_reaches_the_validation(lab, member):
    response = post(member, json.dumps(new_practice(lab) | {"city": [[[[["Palermo"]]]]]}))
    assert response.status_code == 400
    assert "city" in response.json()


def test_the_api_reads_json_only(lab, member):
    response = client_for(member).post(API, {"title": "Mensa"})  # a form body
    assert response.status_code == 415
