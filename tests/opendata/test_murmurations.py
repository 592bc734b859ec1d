"""Murmurations profiles: published practices and organisations, valid against organizations_schema-v1.0.0."""

import pytest

from labs.moderation import ModerationState
from networks.models import OrganisationKind
from tests.conftest import client_for
from tests.factories import make_organisation, make_practice
from tests.opendata.standards import murmurations_validator

pytestmark = pytest.mark.django_db


def profile(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    errors = [error.message for error in murmurations_validator().iter_errors(data)]
    assert errors == []
    return data


def test_index_reads_a_published_practice_profile_valid_against_the_schema(client, lab):
    practice = make_practice(lab=lab, title="Orto comune", themes=["food"], city="Palermo", status="paused")
    data = profile(client, f"/murmurations/practices/{practice.slug}.json")
    assert data["linked_schemas"] == ["organizations_schema-v1.0.0"]
    assert data["name"] == "Orto comune"
    assert data["primary_url"] == f"http://testserver{practice.get_absolute_url()}"
    assert data["country_iso_3166"] == "IT"
    assert data["locality"] == "Palermo"
    assert data["geolocation"] == {"lat": pytest.approx(38.1166), "lon": pytest.approx(13.3636)}
    assert data["status"] == "on_hold"
    assert len(data["tags"]) == 1


def test_practice_with_its_own_website_names_it_as_primary_url_and_the_page_among_its_urls(client, lab):
    practice = make_practice(lab=lab, website="https://orto.example.org", title="x" * 250)
    data = profile(client, f"/murmurations/practices/{practice.slug}.json")
    assert data["primary_url"] == "https://orto.example.org"
    assert {"name": "CoNECT", "url": f"http://testserver{practice.get_absolute_url()}"} in data["urls"]
    assert len(data["name"]) == 200


def test_index_reads_a_published_organisation_profile_valid_against_the_schema(client):
    organisation = make_organisation(
        name="Acasă", kind=OrganisationKind.COOPERATIVE, country="RO", city="Cluj", description="Housing"
    )
    data = profile(client, f"/murmurations/organisations/{organisation.slug}.json")
    assert data["name"] == "Acasă"
    assert data["description"] == "Housing"
    assert data["tags"] == ["Cooperative"]


@pytest.mark.parametrize("state", [ModerationState.DRAFT, ModerationState.SUBMITTED, ModerationState.ARCHIVED])
def test_no_profile_of_a_practice_that_is_not_published_even_for_its_lab(lab, member, state):
    practice = make_practice(lab=lab, state=state)
    assert client_for(member).get(f"/murmurations/practices/{practice.slug}.json").status_code == 404


def test_no_profile_of_a_draft_organisation(client, lab):
    organisation = make_organisation(lab=lab, state=ModerationState.DRAFT)
    assert client.get(f"/murmurations/organisations/{organisation.slug}.json").status_code == 404


def test_practice_page_links_its_profile_only_once_published(client, lab, member):
    published = make_practice(lab=lab)
    draft = make_practice(lab=lab, state=ModerationState.DRAFT)
    link = 'type="application/json" href="/murmurations/practices/{}.json"'
    assert link.format(published.slug) in client.get(published.get_absolute_url()).text
    assert "/murmurations/" not in client_for(member).get(draft.get_absolute_url()).text


def test_a_profile_cannot_be_written(client, lab):
    practice = make_practice(lab=lab)
    assert client.post(f"/murmurations/practices/{practice.slug}.json").status_code == 405
