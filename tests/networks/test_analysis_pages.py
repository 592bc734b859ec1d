"""The analysis page, its button and its status: who may compute, what everybody sees."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from networks import analysis
from networks.graph import Scope
from networks.models import Analysis, AnalysisStatus
from tests.conftest import client_for
from tests.factories import add_to_network, as_if_committed, make_network, make_organisation, make_relationship


@pytest.fixture
def network(db):
    network = make_network(name="CoNet")
    berlin, zabrze, apeldoorn = (make_organisation(name=name) for name in ("City of Berlin", "Zabrze", "Apeldoorn"))
    for organisation in (berlin, zabrze, apeldoorn):
        add_to_network(network, organisation)
    make_relationship(berlin, zabrze, network=network, strength=3)
    make_relationship(berlin, apeldoorn, network=network)
    return network


def page_url(network) -> str:
    return f"/en/networks/analysis/?network={network.slug}"


def start(user, network):
    return client_for(user).post("/en/networks/analysis/start/", {"network": network.slug})


def test_visitor_sees_that_no_figures_were_computed_and_no_button(client, network):
    text = client.get(page_url(network)).text
    assert "No figures have been computed for this graph yet." in text
    assert "Compute" not in text.replace("computed", "")


@pytest.mark.parametrize("role", [None, "contributor", "member"])
def test_visitors_contributors_and_members_cannot_start_a_computation(request, network, role):
    user = request.getfixturevalue(role) if role else None
    assert start(user, network).status_code == 404
    assert not Analysis.objects.exists()


@pytest.mark.parametrize("role", ["facilitator", "outsider", "coordinator"])
def test_facilitators_of_any_lab_and_coordinators_compute_an_analysis(request, network, role):
    response = start(request.getfixturevalue(role), network)
    assert response.status_code == 302 and response["Location"] == page_url(network)
    assert Analysis.objects.get().status == AnalysisStatus.DONE


def test_the_page_shows_the_figures_with_their_definitions(client, network, facilitator):
    start(facilitator, network)
    text = client.get(page_url(network)).text
    assert "Degree centralisation (Freeman)" in text
    assert "Σ (d_max − d_i) / ((n − 1)(n − 2))" in text
    assert "City of Berlin" in text
    assert "The data changed since" not in text


def test_figures_are_formatted_for_the_readers_language(client, network, facilitator):
    start(facilitator, network)
    assert "0,667" in client.get(f"/it/networks/analysis/?network={network.slug}").text  # density 2/3


def test_the_page_says_when_the_data_changed_since_the_computation(client, network, facilitator):
    start(facilitator, network)
    relationship = network.relationships.first()
    relationship.strength = 5
    relationship.save()
    as_if_committed()
    assert "The data changed since these figures were computed (" in client.get(page_url(network)).text


def test_facilitator_sees_compute_again_visitor_does_not(client, network, facilitator):
    start(facilitator, network)
    assert "Compute again" in client_for(facilitator).get(page_url(network)).text
    assert "Compute again" not in client.get(page_url(network)).text


def test_an_organisation_hidden_since_the_computation_is_not_named(client, network, facilitator):
    start(facilitator, network)
    network.organisations.filter(name="Zabrze").update(state="draft")
    assert "Zabrze" not in client.get(page_url(network)).text


def test_a_computation_under_way_shows_its_progress_and_status(client, network, facilitator, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    start(facilitator, network)
    text = client.get(page_url(network)).text
    assert "Waiting for a worker to take the computation." in text and 'aria-live="polite"' in text
    status_url = f"/en/networks/analysis/status.json?network={network.slug}"
    assert "js/progress.js" in text and f'data-progress-url="{status_url}"' in text
    status = client.get(status_url).json()
    assert (status["status"], status["under_way"]) == ("waiting", True)
    assert "Waiting for a worker" in status["html"]


def test_a_selection_is_not_analysed(client, facilitator):
    assert "not for a filtered selection" in client.get("/en/networks/analysis/?q=berlin").text
    assert client_for(facilitator).post("/en/networks/analysis/start/", {"q": "berlin"}).status_code == 400


def test_an_unknown_network_is_not_found(client, db):
    assert client.get("/en/networks/analysis/?network=nowhere").status_code == 404
    assert client.get("/en/networks/analysis/status.json?network=nowhere").status_code == 404


def test_everything_public_is_analysed_without_a_scope(client, network, coordinator):
    client_for(coordinator).post("/en/networks/analysis/start/", {})
    assert Analysis.objects.get().scope == "all"
    assert "Analysis of all public networks" in client.get("/en/networks/analysis/").text


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_page_takes_as_many_queries_for_fifty_organisations_as_for_two(client, coordinator):
    small, big = make_network(name="Small"), make_network(name="Big")
    for network, count in ((small, 2), (big, 50)):
        members = [make_organisation() for _ in range(count)]
        for member in members:
            add_to_network(network, member)
        for a, b in zip(members, members[1:], strict=False):
            make_relationship(a, b, network=network)
    analysis.analyse_now([Scope(network=small), Scope(network=big)])
    assert _queries(client, page_url(small)) == _queries(client, page_url(big))
