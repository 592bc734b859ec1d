import pytest
from django.utils import translation

from networks.models import NetworkRole
from tests.conftest import client_for
from tests.factories import (
    add_to_network,
    make_activity,
    make_network,
    make_organisation,
    make_programme,
    make_relationship,
)


@pytest.fixture
def network(db):
    network = make_network(name="CoNet – Cohesion Network")
    add_to_network(network, make_organisation(name="City of Zabrze", city="Zabrze"), NetworkRole.PARTNER)
    add_to_network(network, make_organisation(name="City of Berlin", city="Berlin"), NetworkRole.LEAD)
    add_to_network(network, make_organisation(name="City of Apeldoorn"), NetworkRole.MEMBER)
    return network


def test_visitor_sees_networks_with_member_counts(client, network):
    response = client.get("/en/networks/")
    assert "CoNet – Cohesion Network" in response.text
    assert "3 member organisations" in response.text


def test_network_page_lists_the_lead_partner_first(client, network):
    text = client.get(network.get_absolute_url()).text
    assert text.index("City of Berlin") < text.index("City of Zabrze") < text.index("City of Apeldoorn")


def test_hubs_are_listed_on_their_programme_and_not_among_networks(client, network):
    make_network(name="Hub Sud", parent=network)
    assert "Hub Sud" in client.get(network.get_absolute_url()).text
    assert "Hub Sud" not in client.get("/en/networks/").text


def test_network_page_groups_activities_under_their_programme(client, network):
    programme = make_programme(title="Four residencies", network=network)
    make_activity(programme=programme, title="Residency in Lecce", participants_expected=30).networks.add(network)
    text = client.get(network.get_absolute_url()).text
    assert "30 participants expected" in text
    assert text.index("Four residencies") < text.index("Residency in Lecce")


@pytest.mark.parametrize("rows", [1, 50])
def test_network_page_runs_the_same_queries_for_1_or_50_members(client, db, django_assert_num_queries, rows):
    network = make_network()
    previous = None
    for _ in range(rows):
        organisation = make_organisation()
        add_to_network(network, organisation)
        make_activity(programme=make_programme(network=network)).networks.add(network)
        if previous is not None:
            make_relationship(previous, organisation, network=network)
        previous = organisation
    client.get(network.get_absolute_url())
    with django_assert_num_queries(5):
        client.get(network.get_absolute_url())


@pytest.mark.parametrize("rows", [1, 50])
def test_network_list_runs_the_same_queries_for_1_or_50_networks(client, db, django_assert_num_queries, rows):
    for _ in range(rows):
        add_to_network(make_network(), make_organisation())
    with django_assert_num_queries(1):
        client.get("/en/networks/")


@pytest.mark.parametrize("who", ["visitor", "contributor", "outsider", "member", "facilitator", "coordinator"])
def test_every_role_reads_networks_and_their_members(request, network, who):
    user = None if who == "visitor" else request.getfixturevalue(who)
    client = client_for(user)
    assert "City of Berlin" in client.get(network.get_absolute_url()).text
    assert "CoNet – Cohesion Network" in client.get("/en/networks/").text


def url_in(language: str, network) -> str:
    with translation.override(language):
        return network.get_absolute_url()


def test_network_page_in_romanian_shows_the_romanian_description(client, db):
    network = make_network(description="Cities sharing housing.", descriptions={"ro": "Orașe care împart locuințe."})
    page = client.get(url_in("ro", network)).content.decode()
    assert '<div class="prose" lang="ro"><p>Orașe care împart locuințe.</p></div>' in page


def test_a_hub_is_described_in_the_readers_language_on_its_programme(client, network):
    make_network(name="Hub Sud", parent=network, description="Southern Italy.", descriptions={"it": "Sud Italia."})
    page = client.get(url_in("it", network)).content.decode()
    assert '<span lang="it">Sud Italia.</span>' in page


def test_a_hub_without_a_translation_is_described_in_english_marked_english(client, network):
    make_network(name="Hub Sud", parent=network, description="Southern Italy.", descriptions={"it": "Sud Italia."})
    page = client.get(url_in("es", network)).content.decode()
    assert '<span lang="en">Southern Italy.</span>' in page


def test_network_page_links_its_members_and_relationships_to_their_pages(client, network):
    berlin = network.organisations.get(name="City of Berlin")
    zabrze = network.organisations.get(name="City of Zabrze")
    relationship = make_relationship(berlin, zabrze, network=network)
    text = client.get(network.get_absolute_url()).text
    assert f'href="{berlin.get_absolute_url()}"' in text
    assert f'href="{relationship.get_absolute_url()}"' in text


def test_network_page_hides_a_draft_relationship_from_visitors(client, network, lab):
    berlin = network.organisations.get(name="City of Berlin")
    zabrze = network.organisations.get(name="City of Zabrze")
    draft = make_relationship(berlin, zabrze, network=network, lab=lab, state="draft")
    assert draft.get_absolute_url() not in client.get(network.get_absolute_url()).text


def test_network_list_leads_to_the_organisations(client, network):
    assert 'href="/en/networks/organisations/"' in client.get("/en/networks/").text
