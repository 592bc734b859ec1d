"""Edits through the API on a version someone else has saved over: ETag and If-Match (412), or `version` (409)."""

from tests.conftest import client_for
from tests.factories import make_practice

API = "/api/v1/practices/"


def patch(user, practice, body: dict, **headers):
    return client_for(user).patch(f"{API}{practice.slug}/", body, content_type="application/json", headers=headers)


def test_the_detail_sends_the_version_as_its_etag(lab, member):
    practice = make_practice(lab=lab)
    response = client_for(member).get(f"{API}{practice.slug}/")
    assert response["ETag"] == '"1"'
    assert response.json()["version"] == 1


def test_an_edit_with_the_current_etag_is_saved_and_answers_the_next_one(lab, member):
    practice = make_practice(lab=lab, state="draft")
    response = patch(member, practice, {"city": "Monreale"}, if_match='"1"')
    assert response.status_code == 200
    assert (response["ETag"], response.json()["version"]) == ('"2"', 2)


def test_an_edit_with_a_stale_etag_gets_412_and_changes_nothing(lab, member, facilitator):
    practice = make_practice(lab=lab, state="draft", city="Palermo")
    assert patch(facilitator, practice, {"title": "Emporio"}, if_match='"1"').status_code == 200
    response = patch(member, practice, {"city": "Monreale"}, if_match='"1"')
    assert response.status_code == 412
    assert response["ETag"] == '"2"'
    assert response.json() | {"detail": ""} == {
        "detail": "",
        "version": 2,
        "changed": ["Title"],
        "changed_by": ["Fabio Facilitator"],
    }
    practice.refresh_from_db()
    assert (practice.title, practice.city) == ("Emporio", "Palermo")


def test_a_put_with_a_stale_etag_gets_412_too(lab, member):
    practice = make_practice(lab=lab, state="draft")
    patch(member, practice, {"city": "Monreale"})
    body = client_for(member).get(f"{API}{practice.slug}/").json() | {"city": "Cefalù"}
    url = f"{API}{practice.slug}/"
    response = client_for(member).put(url, body, content_type="application/json", headers={"if_match": '"1"'})
    assert response.status_code == 412


def test_a_stale_version_in_the_body_gets_409_and_changes_nothing(lab, member, facilitator):
    practice = make_practice(lab=lab, state="draft", city="Palermo")
    patch(facilitator, practice, {"title": "Emporio", "version": 1})
    response = patch(member, practice, {"city": "Monreale", "version": 1})
    assert response.status_code == 409
    assert response.json()["changed"] == ["Title"]
    practice.refresh_from_db()
    assert practice.city == "Palermo"


def test_if_match_any_or_no_precondition_saves_as_before(lab, member):
    practice = make_practice(lab=lab, state="draft")
    assert patch(member, practice, {"city": "Monreale"}, if_match="*").status_code == 200
    assert patch(member, practice, {"city": "Cefalù"}).status_code == 200


def test_a_weak_or_malformed_etag_never_matches(lab, member):
    practice = make_practice(lab=lab, state="draft")
    assert patch(member, practice, {"city": "Monreale"}, if_match='W/"1"').status_code == 412
    assert patch(member, practice, {"city": "Monreale"}, if_match="garbage").status_code == 412


def test_a_new_practice_starts_at_version_1_whatever_the_body_says(lab, member):
    body = {"title": "Mensa", "country": "IT", "lab": lab.slug, "version": 7}
    response = client_for(member).post(API, body, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["version"] == 1
