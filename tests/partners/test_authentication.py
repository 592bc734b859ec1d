"""What a partner token lets its holder do, and the 401s of a token that does not work."""

from datetime import timedelta

import pytest
from django.db import connection

from labs.moderation import ModerationState
from partners.models import PartnerToken, Scope, TokenWrite
from practices.models import Practice
from tests.factories import make_practice
from tests.partners.conftest import make_token, token_client

S = ModerationState
API = "/api/v1/practices/"


def slugs(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["slug"] for row in response.json()["results"]}


def new_practice(lab) -> dict:
    return {
        "title": "Orto condiviso",
        "summary": "Un orto di quartiere",
        "original_language": "it",
        "themes": ["food"],
        "country": "IT",
        "city": "Palermo",
        "lab": lab.slug,
        "location": {"type": "Point", "coordinates": [13.36, 38.12]},
    }


@pytest.fixture
def practices(lab, other_lab):
    return {
        "published": make_practice(title="Published", lab=lab),
        "draft_a": make_practice(title="Draft A", lab=lab, state=S.DRAFT),
        "draft_b": make_practice(title="Draft B", lab=other_lab, state=S.DRAFT),
    }


def test_the_key_is_stored_only_as_a_hash(member):
    token, key = make_token(member)
    secret = key.partition(".")[2]
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, prefix, hashed_key, name FROM partners_partnertoken")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert secret not in stored and key not in stored
    assert token.hashed_key.startswith("sha512$$")


def test_a_read_only_token_of_a_member_sees_only_what_a_visitor_sees(member, practices):
    _token, key = make_token(member)
    assert slugs(token_client(key).get(API)) == {practices["published"].slug}


def test_a_private_token_of_a_member_sees_the_drafts_of_its_lab_and_no_other(member, practices):
    _token, key = make_token(member, Scope.PRIVATE)
    assert slugs(token_client(key).get(API)) == {practices["published"].slug, practices["draft_a"].slug}


def test_a_read_only_token_cannot_open_a_draft_of_its_own_lab(member, practices):
    _token, key = make_token(member)
    response = token_client(key).get(f"{API}{practices['draft_a'].slug}/")
    assert response.status_code == 404


@pytest.mark.parametrize("scopes", [(), (Scope.PRIVATE,)])
def test_a_token_without_submit_cannot_write_and_nothing_is_written(member, lab, scopes):
    _token, key = make_token(member, *scopes)
    response = token_client(key).post(API, new_practice(lab), content_type="application/json")
    assert response.status_code == 403
    assert "submit" in response.json()["detail"]
    assert not Practice.objects.filter(title="Orto condiviso").exists()


def test_a_write_refused_to_a_token_is_logged_with_its_owner(member, lab):
    token, key = make_token(member)
    token_client(key).post(API, new_practice(lab), content_type="application/json")
    write = TokenWrite.objects.get()
    assert (write.token, write.user, write.method, write.status) == (token, member, "POST", 403)


def test_a_write_by_a_token_is_logged_with_its_owner_and_organisation(facilitator, lab):
    from tests.factories import make_organisation

    organisation = make_organisation(lab=lab)
    token, key = make_token(facilitator, Scope.SUBMIT, organisation=organisation)
    response = token_client(key).post(API, new_practice(lab), content_type="application/json")
    write = TokenWrite.objects.get()
    assert (write.user, write.organisation, write.path, write.status) == (facilitator, organisation, API, 201)
    assert response.status_code == 201, response.content


def test_reads_by_a_token_are_not_logged(member, practices):
    _token, key = make_token(member, Scope.PRIVATE)
    token_client(key).get(API)
    assert not TokenWrite.objects.exists()


@pytest.mark.parametrize("who", ["member", "facilitator", "coordinator"])
def test_a_practice_sent_with_a_submit_token_waits_for_moderation_whoever_owns_the_token(request, lab, who):
    _token, key = make_token(request.getfixturevalue(who), Scope.SUBMIT)
    response = token_client(key).post(API, new_practice(lab), content_type="application/json")
    assert response.status_code == 201, response.content
    assert Practice.objects.get(title="Orto condiviso").state == S.SUBMITTED


def test_a_published_practice_edited_with_a_facilitators_token_goes_back_to_review(facilitator, practices):
    _token, key = make_token(facilitator, Scope.SUBMIT)
    practice = practices["published"]
    response = token_client(key).patch(
        f"{API}{practice.slug}/", {"summary": "Changed by a script"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    practice.refresh_from_db()
    assert (practice.state, practice.summary) == (S.SUBMITTED, "Changed by a script")


def test_a_members_submit_token_cannot_change_another_labs_practice(member, practices):
    _token, key = make_token(member, Scope.SUBMIT)
    draft = practices["draft_b"]
    response = token_client(key).patch(f"{API}{draft.slug}/", {"summary": "Not mine"}, content_type="application/json")
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.summary != "Not mine"


BAD = {
    "unknown": "Bearer abcdefgh.0123456789abcdef0123456789abcdef",
    "no key": "Bearer",
    "two words": "Bearer one two",
    "no dot": "Bearer 0123456789abcdef",
    "not ascii": "Bearer clé.valeur",
}


@pytest.mark.parametrize("header", BAD.values(), ids=BAD.keys())
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_bad_or_malformed_token_gets_401_json_with_the_bearer_challenge(client, db, header, method):
    response = getattr(client, method)(API, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_secret_with_a_real_prefix_gets_401(member):
    token, _key = make_token(member)
    response = token_client(f"{token.prefix}.{'x' * 32}").get(API)
    assert response.status_code == 401


def test_an_expired_token_gets_401_saying_so(member):
    _token, key = make_token(member, Scope.PRIVATE, expires_in=timedelta(seconds=-1))
    response = token_client(key).get(API)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_a_revoked_token_gets_401_saying_so_even_to_write(member, lab):
    token, key = make_token(member, Scope.SUBMIT)
    token.revoke()
    response = token_client(key).post(API, new_practice(lab), content_type="application/json")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
    assert not Practice.objects.filter(title="Orto condiviso").exists()


def test_a_token_of_a_closed_account_gets_401(member):
    _token, key = make_token(member, Scope.PRIVATE)
    member.is_active = False
    member.save()
    assert token_client(key).get(API).status_code == 401


def test_a_visitors_write_is_still_refused_with_403_without_a_bearer_challenge(client, lab):
    response = client.post(API, new_practice(lab), content_type="application/json")
    assert response.status_code == 403
    assert "WWW-Authenticate" not in response


def test_using_a_token_notes_when_it_was_last_used_once_a_minute(member, django_assert_num_queries):
    token, key = make_token(member)
    token_client(key).get(API)
    token.refresh_from_db()
    first = token.last_used
    assert first is not None
    token_client(key).get(API)
    token.refresh_from_db()
    assert token.last_used == first


def test_a_token_needs_no_csrf_token_to_write(facilitator, lab):
    _token, key = make_token(facilitator, Scope.SUBMIT)
    client = token_client(key)
    client.handler.enforce_csrf_checks = True
    response = client.post(API, new_practice(lab), content_type="application/json")
    assert response.status_code == 201, response.content


def test_the_schema_declares_the_bearer_scheme(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert schema["components"]["securitySchemes"]["partnerToken"]["scheme"] == "bearer"
    assert PartnerToken.objects.count() == 0
