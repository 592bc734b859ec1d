"""schema.org JSON-LD on every public detail page, expanded by pyld against the vendored schema.org context."""

from datetime import timedelta

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from labs.moderation import ModerationState
from tests.conftest import client_for
from tests.factories import (
    make_activity,
    make_lab,
    make_network,
    make_organisation,
    make_practice,
    make_programme,
    make_space,
)
from tests.library.helpers import make_resource
from tests.opendata.standards import expand, json_ld_of

SDO = "http://schema.org/"
pytestmark = pytest.mark.django_db


def graph_of(client, url: str) -> dict:
    """The page's one JSON-LD node, expanded."""
    response = client.get(url)
    assert response.status_code == 200
    documents = json_ld_of(response.text)
    assert len(documents) == 1
    expanded = expand(documents[0])
    assert len(expanded) == 1
    return expanded[0]


def values(node: dict, prop: str) -> list:
    return [item.get("@value", item.get("@id")) for item in node.get(SDO + prop, [])]


def test_visitor_reads_a_practice_page_as_a_schema_org_project_with_its_place(client, lab):
    practice = make_practice(lab=lab, themes=["food"], website="https://example.org/garden", city="Palermo")
    node = graph_of(client, practice.get_absolute_url())
    assert node["@type"] == [SDO + "Project"]
    assert values(node, "name") == [practice.title]
    assert values(node, "sameAs") == ["https://example.org/garden"]
    place = node[SDO + "location"][0]
    assert place["@type"] == [SDO + "Place"]
    geo = place[SDO + "geo"][0]
    assert values(geo, "latitude") == [pytest.approx(38.1166)]
    assert values(node[SDO + "mainEntityOfPage"][0], "license") == ["https://creativecommons.org/licenses/by/4.0/"]


def test_a_title_with_a_closing_script_tag_and_quotes_cannot_break_out_of_the_json_ld(client, lab):
    title = 'Casa </script><script>alert("x")</script> & “co”'
    practice = make_practice(lab=lab, title=title)
    html = client.get(practice.get_absolute_url()).text
    assert "</script><script>alert" not in html
    assert "\\u003C/script\\u003E" in html
    node = expand(json_ld_of(html)[0])[0]
    assert values(node, "name") == [title]


def test_practice_json_ld_is_in_the_page_language(client, lab):
    practice = make_practice(lab=lab, title="Orto", summary="Un orto comune", original_language="it")
    practice.translations.create(language="fr", title="Jardin", summary="Un jardin partagé")
    node = graph_of(client, "/fr" + practice.get_absolute_url()[3:])
    assert values(node, "name") == ["Jardin"]
    assert values(node, "inLanguage") == ["fr"]


def test_draft_practice_page_carries_no_json_ld_even_for_its_lab(lab, member):
    practice = make_practice(lab=lab, state=ModerationState.DRAFT)
    assert json_ld_of(client_for(member).get(practice.get_absolute_url()).text) == []


def test_space_page_is_a_place_with_its_address_and_coordinates(client):
    space = make_space(name="Casa del popolo", address="Via Roma 1", city="Palermo")
    node = graph_of(client, space.get_absolute_url())
    assert node["@type"] == [SDO + "Place"]
    address = node[SDO + "address"][0]
    assert values(address, "streetAddress") == ["Via Roma 1"]
    assert values(address, "addressCountry") == ["IT"]
    assert SDO + "geo" in node


def test_organisation_page_is_an_ngo_with_its_website(client):
    organisation = make_organisation(name="Acasă", website="https://acasa.example.org", city="Cluj")
    node = graph_of(client, organisation.get_absolute_url())
    assert node["@type"] == [SDO + "NGO"]
    assert values(node, "sameAs") == ["https://acasa.example.org"]


def test_organisation_page_links_its_murmurations_profile(client):
    organisation = make_organisation()
    html = client.get(organisation.get_absolute_url()).text
    assert f'href="/murmurations/organisations/{organisation.slug}.json"' in html


def test_network_page_is_an_organization(client):
    network = make_network(description="A network of networks", website="https://net.example.org")
    node = graph_of(client, network.get_absolute_url())
    assert node["@type"] == [SDO + "Organization"]
    assert values(node, "description") == ["A network of networks"]


def test_lab_page_is_an_organization_with_its_place(client):
    lab = make_lab(name="Palermo Lab")
    node = graph_of(client, lab.get_absolute_url())
    assert node["@type"] == [SDO + "Organization"]
    assert values(node, "name") == ["Palermo Lab"]
    assert SDO + "location" in node


def test_activity_page_is_an_event_with_its_dates_place_and_modes(client, lab):
    starts = timezone.now() + timedelta(days=3)
    activity = make_activity(
        lab=lab,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        time_zone="Europe/Rome",
        venue="Biblioteca",
        city="Palermo",
        country="IT",
        location=Point(13.36, 38.11, srid=4326),
    )
    node = graph_of(client, activity.get_absolute_url())
    assert node["@type"] == [SDO + "Event"]
    assert len(values(node, "startDate")) == 1
    # Written as Google documents them (https://schema.org/...): IRIs either way.
    assert values(node, "eventAttendanceMode") == ["https://schema.org/OfflineEventAttendanceMode"]
    assert values(node, "eventStatus") == ["https://schema.org/EventScheduled"]
    assert values(node[SDO + "location"][0], "name") == ["Biblioteca"]
    assert values(node[SDO + "organizer"][0], "name") == [lab.name]


def test_activity_at_a_draft_space_does_not_name_it(client, lab):
    space = make_space(name="Secret squat", lab=lab, state=ModerationState.DRAFT)
    activity = make_activity(lab=lab, space=space)
    assert "Secret squat" not in str(json_ld_of(client.get(activity.get_absolute_url()).text))


def test_programme_page_is_an_event_series(client, lab):
    programme = make_programme(lab=lab)
    node = graph_of(client, programme.get_absolute_url())
    assert node["@type"] == [SDO + "EventSeries"]


def test_resource_page_is_a_creative_work_with_its_own_licence(client):
    resource = make_resource(licence="CC-BY-SA-4.0", authors="A. Rossi", published_year=2023)
    node = graph_of(client, resource.get_absolute_url())
    assert node["@type"] == [SDO + "HowTo"]
    assert values(node, "license") == ["https://creativecommons.org/licenses/by-sa/4.0/"]
    assert values(node, "datePublished") == ["2023"]


def test_draft_resource_page_carries_no_json_ld(lab, member):
    resource = make_resource(lab=lab, state=ModerationState.DRAFT)
    assert json_ld_of(client_for(member).get(resource.get_absolute_url()).text) == []
