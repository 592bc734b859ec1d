"""The account's token pages: a token made (its key shown once), listed, revoked; an organisation's tokens for
whoever may edit the organisation."""

import pytest
from django.utils import timezone

from partners.models import PartnerToken, Scope
from tests.conftest import client_for
from tests.factories import make_organisation
from tests.partners.conftest import make_token, token_client

PAGE = "/en/accounts/tokens/"


def test_a_visitor_is_sent_to_sign_in(client, db):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_new_token_is_offered_for_a_year(member):
    response = client_for(member).get(PAGE)
    assert (response.context["form"].initial["expires"] - timezone.localdate()).days == 365


def test_a_member_makes_a_token_and_sees_its_key_once(member):
    client = client_for(member)
    response = client.post(PAGE, {"name": "City portal", "private": "on", "expires": "2099-01-01"})
    assert response.status_code == 200
    key = response.context["key"]
    assert key in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    token = PartnerToken.objects.get()
    assert (token.user, token.scopes, token.organisation) == (member, [Scope.READ, Scope.PRIVATE], None)
    assert key not in client.get(PAGE).content.decode()
    assert token_client(key).get("/api/v1/practices/").status_code == 200


def test_a_token_that_expired_yesterday_cannot_be_made(member):
    response = client_for(member).post(PAGE, {"name": "Old", "expires": "2000-01-01"})
    assert response.status_code == 400
    assert not PartnerToken.objects.exists()


def test_the_list_shows_each_token_with_its_rights_and_state(member):
    token, _key = make_token(member, Scope.SUBMIT, name="Import script")
    make_token(member, name="Old script")[0].revoke()
    body = client_for(member).get(PAGE).content.decode()
    assert "Import script" in body and token.prefix in body
    assert str(Scope.SUBMIT.label) in body
    assert "Revoked" in body


def test_nobody_sees_or_revokes_someone_elses_personal_token(member, outsider):
    token, _key = make_token(member, name="Mine")
    assert "Mine" not in client_for(outsider).get(PAGE).content.decode()
    assert client_for(outsider).post(f"{PAGE}{token.prefix}/revoke/").status_code == 404
    token.refresh_from_db()
    assert not token.revoked


def test_the_owner_revokes_a_token_after_confirming_and_it_stops_working(member):
    token, key = make_token(member)
    client = client_for(member)
    assert "cannot be undone" in client.get(f"{PAGE}{token.prefix}/revoke/").content.decode()
    assert client.post(f"{PAGE}{token.prefix}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked
    assert token_client(key).get("/api/v1/practices/").status_code == 401


@pytest.fixture
def organisation(lab):
    return make_organisation(name="Cooperativa Alba", lab=lab)


def test_a_member_makes_a_token_for_an_organisation_of_their_lab(member, organisation):
    client_for(member).post(PAGE, {"name": "Coop site", "organisation": organisation.pk, "expires": ""})
    token = PartnerToken.objects.get()
    assert (token.organisation, token.user, token.expiry_date) == (organisation, member, None)


def test_nobody_makes_a_token_for_an_organisation_they_may_not_edit(outsider, organisation):
    response = client_for(outsider).post(PAGE, {"name": "Not mine", "organisation": organisation.pk})
    assert response.status_code == 400
    assert not PartnerToken.objects.exists()


def test_whoever_may_edit_the_organisation_sees_and_revokes_its_tokens(member, facilitator, organisation):
    token, _key = make_token(member, organisation=organisation, name="Coop site")
    client = client_for(facilitator)
    assert "Coop site" in client.get(PAGE).content.decode()
    client.post(f"{PAGE}{token.prefix}/revoke/")
    token.refresh_from_db()
    assert token.revoked


def test_the_account_menu_links_to_the_tokens(member):
    assert PAGE in client_for(member).get("/en/").content.decode()
