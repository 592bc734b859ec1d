"""The graph view of a network, a Lab or a selection: who sees which organisations and relationships, in the page and
in its JSON; bad addresses; escaping; constant queries."""

import json
from datetime import UTC, date, datetime

import pytest
from django.contrib.gis.geos import Point

from networks.graph import Scope, graph_data
from networks.models import Analysis, AnalysisStatus, RelationshipKind, Sector
from tests.conftest import client_for
from tests.factories import add_to_network, make_lab, make_network, make_organisation, make_relationship

GRAPH = "/en/networks/graph/"
DATA = "/en/networks/graph/data.json"


def page_data(response) -> dict:
    """The graph the page hands to its script (its json_script), read back as the browser reads it."""
    html = response.text
    start = html.index('<script id="graph-data" type="application/json">') + len(
        '<script id="graph-data" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def names(data: dict) -> set[str]:
    return {node["label"] for node in data["nodes"]}


@pytest.fixture
def conet(lab):
    """A network of three published cities, two relationships (one a draft of the Lab), and a draft organisation."""
    network = make_network(name="CoNet")
    berlin = make_organisation(name="City of Berlin", sector=Sector.PUBLIC, location=Point(13.4, 52.5, srid=4326))
    zabrze = make_organisation(name="City of Zabrze", sector=Sector.PUBLIC)
    gijon = make_organisation(name="City of Gijón")
    draft = make_organisation(name="Draft Cooperative", lab=lab, state="draft")
    for organisation in (berlin, zabrze, gijon, draft):
        add_to_network(network, organisation)
    make_relationship(berlin, zabrze, network=network, start_date=date(2008, 3, 1), end_date=date(2011, 6, 30))
    make_relationship(berlin, gijon, network=network, lab=lab, state="draft", kind=RelationshipKind.FUNDING)
    return network


def test_visitor_sees_only_published_organisations_and_relationships(client, conet):
    response = client.get(GRAPH, {"network": conet.slug})
    assert response.status_code == 200
    assert names(page_data(response)) == {"City of Berlin", "City of Zabrze", "City of Gijón"}
    assert len(page_data(response)["edges"]) == 1
    assert "Draft Cooperative" not in response.text
    assert "draft-mark" not in response.text


def test_visitor_gets_only_published_data_as_json(client, conet):
    data = client.get(DATA, {"network": conet.slug}).json()
    assert names(data) == {"City of Berlin", "City of Zabrze", "City of Gijón"}
    assert [edge["kind"] for edge in data["edges"]] == ["partnership"]


def test_the_json_is_the_data_the_page_draws(client, conet):
    assert client.get(DATA, {"network": conet.slug}).json() == page_data(client.get(GRAPH, {"network": conet.slug}))


def test_lab_member_sees_the_labs_drafts_marked(member, conet):
    response = client_for(member).get(GRAPH, {"network": conet.slug})
    data = page_data(response)
    assert "Draft Cooperative" in names(data)
    assert sorted(edge["published"] for edge in data["edges"]) == [False, True]
    assert response.text.count('<span class="draft-mark">(draft)</span>') == 2  # the organisation and the relationship
    assert "Dashed: a draft" in response.text


def test_lab_member_gets_the_labs_drafts_as_json(member, conet):
    data = client_for(member).get(DATA, {"network": conet.slug}).json()
    assert "Draft Cooperative" in names(data)
    assert len(data["edges"]) == 2


def test_member_of_another_lab_does_not_see_the_drafts(outsider, conet):
    response = client_for(outsider).get(GRAPH, {"network": conet.slug})
    assert "Draft Cooperative" not in response.text
    assert len(page_data(response)["edges"]) == 1
    assert len(client_for(outsider).get(DATA, {"network": conet.slug}).json()["edges"]) == 1


def test_coordinator_sees_every_draft(coordinator, conet):
    assert len(client_for(coordinator).get(DATA, {"network": conet.slug}).json()["nodes"]) == 4


@pytest.mark.parametrize("url", [GRAPH, DATA])
@pytest.mark.parametrize("query", [{"network": "no-such-network"}, {"lab": "no-such-lab"}])
def test_an_unknown_network_or_lab_is_not_found(client, db, url, query):
    assert client.get(url, query).status_code == 404


@pytest.mark.parametrize("url", [GRAPH, DATA])
@pytest.mark.parametrize("query", [{"kind": "castle"}, {"country": "XX"}, {"network": "nope", "kind": "ngo"}])
def test_an_invalid_filter_is_not_found_either(client, db, url, query):
    # Like a missing network: the address names no graph (the library's and the map's filters answer no rows either).
    assert client.get(url, query).status_code == 404


def test_a_selection_keeps_the_filtered_organisations_and_the_relationships_between_them(client, conet):
    data = client.get(DATA, {"sector": "public"}).json()
    assert names(data) == {"City of Berlin", "City of Zabrze"}
    assert len(data["edges"]) == 1
    page = client.get(GRAPH, {"sector": "public"}).text
    assert "Graph of a selection of organisations" in page


def test_lab_graph_holds_what_the_lab_mapped_and_the_other_ends(member, lab, conet):
    data = client_for(member).get(DATA, {"lab": lab.slug}).json()
    assert names(data) == {"Draft Cooperative", "City of Berlin", "City of Gijón"}


def test_the_page_shows_the_years_of_the_relationships_on_its_slider(client, conet):
    text = client.get(GRAPH, {"network": conet.slug}).text
    assert 'min="2008"' in text
    assert 'max="2012"' in text  # one past the latest end: "All years"


def test_the_table_lists_organisations_with_their_degree_and_relationships_with_their_period(client, conet):
    text = client.get(GRAPH, {"network": conet.slug}).text
    assert "<caption>Organisations</caption>" in text
    assert "<caption>Relationships</caption>" in text
    assert "March 1, 2008 – June 30, 2011" in text


def test_sizes_offer_the_stored_metrics_of_a_finished_analysis(client, conet):
    berlin = conet.organisations.get(name="City of Berlin")
    Analysis.objects.create(
        scope=f"network:{conet.pk}",
        network=conet,
        status=AnalysisStatus.DONE,
        results={"nodes": {str(berlin.pk): {"degree": 2, "betweenness": 0.5, "core": 1}}, "graph": {}},
        finished_at=datetime(2026, 5, 4, 12, tzinfo=UTC),
    )
    text = client.get(GRAPH, {"network": conet.slug}).text
    assert '<option value="betweenness">' in text
    assert '<option value="core">' in text
    assert "come from the analysis of May 4, 2026" in text


def test_colours_offer_the_communities_of_a_finished_analysis(client, conet):
    organisations = conet.organisations.order_by("-state", "name")  # the draft last
    rows = {str(o.pk): {"degree": 1, "community": n % 10 + 1} for n, o in enumerate(organisations)}
    Analysis.objects.create(scope=f"network:{conet.pk}", status=AnalysisStatus.DONE, results={"nodes": rows})
    text = client.get(GRAPH, {"network": conet.slug}).text
    assert '<option value="community">' in text
    assert "Community 3" in text
    assert "Community 4" not in text  # the draft organisation's figures stay out of a visitor's page
    assert "The colours repeat" not in text


def test_sizes_offer_only_the_degree_while_the_analysis_runs(client, conet):
    Analysis.objects.create(scope=f"network:{conet.pk}", network=conet, status=AnalysisStatus.RUNNING)
    text = client.get(GRAPH, {"network": conet.slug}).text
    assert '<option value="degree">' in text
    assert '<option value="betweenness">' not in text
    assert '<option value="community">' not in text


def test_names_with_quotes_and_script_tags_stay_text(client, db):
    network = make_network(name='The "Network" </script><script>alert(1)</script>')
    hostile = make_organisation(name='Org "A" </script><script>alert(2)</script>')
    add_to_network(network, hostile)
    add_to_network(network, make_organisation(name="Org B"))
    response = client.get(GRAPH, {"network": network.slug})
    assert "<script>alert" not in response.text
    assert 'Org "A" </script><script>alert(2)</script>' in names(page_data(response))


def test_an_empty_graph_says_so(client, db):
    network = make_network(name="Empty network")
    text = client.get(GRAPH, {"network": network.slug}).text
    assert "No organisation is in this graph yet." in text
    assert "network_graph.js" not in text


@pytest.mark.parametrize("rows", [1, 50])
def test_the_graph_page_runs_the_same_queries_for_1_or_50_organisations(
    db, django_assert_num_queries, rows, member, lab
):
    network = make_network()
    previous = make_organisation(lab=lab, state="draft")
    add_to_network(network, previous)
    for _ in range(rows):
        organisation = make_organisation()
        add_to_network(network, organisation)
        make_relationship(previous, organisation, network=network, lab=lab, start_date=date(2020, 1, 1))
        previous = organisation
    client = client_for(member)
    client.get(GRAPH, {"network": network.slug})
    # The network, session, user, organisations, relationships, analysis; the menu's Labs; the filter form checking
    # its network and listing the countries, networks and Labs to choose from.
    with django_assert_num_queries(11):
        client.get(GRAPH, {"network": network.slug})
    with django_assert_num_queries(5):
        client.get(DATA, {"network": network.slug})


def test_graph_data_of_everything_public_is_what_a_visitor_sees(client, conet):
    assert client.get(DATA).json() == graph_data(Scope(), None)


def test_lab_page_links_to_the_graph_of_what_the_lab_mapped(client, lab, conet):
    make_relationship(
        conet.organisations.get(name="City of Zabrze"), conet.organisations.get(name="City of Gijón"), lab=lab
    )
    text = client.get(lab.get_absolute_url()).text
    assert f'href="/en/networks/graph/?lab={lab.slug}"' in text
    assert "0 organisations mapped, 1 relationship." in text


def test_lab_page_has_no_network_link_when_the_lab_mapped_nothing_public(client, lab, conet):
    assert "Network of organisations mapped by this Lab" not in client.get(make_lab().get_absolute_url()).text
    assert "Network of organisations mapped by this Lab" not in client.get(lab.get_absolute_url()).text
