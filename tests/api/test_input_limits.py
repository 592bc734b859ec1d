"""Hostile input through the API: a 400 that says what is wrong, never a server error."""

import itertools
import json
import string

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


@pytest.mark.parametrize(
    ("field", "value"), [("title", "Mensa\x0bdi quartiere"), ("website", "https://mensa.example/\x01")]
)
def test_a_control_character_in_a_text_is_refused_at_its_field(lab, member, field, value):
    response = post(member, json.dumps(new_practice(lab) | {field: value}))
    assert response.status_code == 400
    assert "invisible control character" in response.json()[field][0]


def test_tabs_and_line_breaks_are_kept_and_the_xlsx_export_reads_them(client, lab, member, facilitator):
    text = {"summary": "Pranzi\ta prezzo sospeso", "description": "Ogni giorno.\r\n\r\n- pranzo\n- cena"}
    response = post(member, json.dumps(new_practice(lab) | text))
    assert response.status_code == 201, response.content
    practice = Practice.objects.get()
    practice.submit(by=member)
    practice.publish(by=facilitator)
    assert client.get("/en/practices/export.xlsx").status_code == 200


def distinct_words(length: int, start: int = 0) -> str:
    """`length` characters of distinct two-letter words in three-byte scripts: about the most a text weighs in a
    search vector (4.7 bytes a character)."""
    words = (chr(0x4E00 + n // 2000) + chr(0xAC00 + n % 2000) for n in range(start, start + length // 3 + 1))
    return " ".join(words)[:length]


def test_a_description_of_1_2_mb_of_distinct_words_is_a_field_error(lab, member):
    words = ("".join(letters) for letters in itertools.product(string.ascii_lowercase, repeat=4))
    description = " ".join(itertools.islice(words, 240_000))
    assert len(description) > 1_199_000
    response = post(member, json.dumps(new_practice(lab) | {"description": description}))
    assert response.status_code == 400
    assert response.json()["description"] == ["Ensure this field has no more than 20000 characters."]


def test_a_description_of_the_longest_length_allowed_is_saved_and_found(lab, member):
    response = post(member, json.dumps(new_practice(lab) | {"description": distinct_words(20_000)}))
    assert response.status_code == 201
    last_word = distinct_words(20_000).split()[-2]
    assert len(client_for(member).get(f"{API}?q={last_word}").json()["results"]) == 1


@pytest.mark.parametrize("body", ["false", "[]", '"Mensa"', "null"])
def test_a_geojson_body_that_is_not_an_object_is_a_400(member, body):
    response = client_for(member).post(f"{API}?format=geojson", body, content_type="application/json")
    assert response.status_code == 400


def test_an_unknown_address_under_the_api_answers_a_json_404(member):
    response = client_for(member).get(f"{API}a./")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_brackets_and_escaped_quotes_inside_strings_do_not_count_as_nesting():
    from conect.parsers import nesting_depth

    assert nesting_depth('{"a": [1, {"b": "x]]\\"[[{{"}]}') == 3
    # An unclosed string of escaped quotes is read in one pass (it used to cost quadratic time): no nesting in it.
    assert nesting_depth('{"a": "' + '\\"' * 100_000) == 1


def test_a_body_larger_than_the_upload_limit_is_a_400(member, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.dumps({"title": "x" * 20_000})
    response = client_for(member).post("/api/v1/practices/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"]
    assert not Practice.objects.exists()
