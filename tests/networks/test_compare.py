"""Partnership models compared (/networks/compare/) and its CSV, from the outside."""

import csv
import io

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from conect.management.commands.load_demo import load_demo
from networks.models import Analysis, AnalysisStatus, GraphVersion, Network, NetworkRole
from tests.conftest import client_for
from tests.factories import add_to_network, make_network, make_organisation, make_relationship

URL = "/en/networks/compare/"
CSV = "/en/networks/compare.csv"


def table(response, key: str) -> dict[str, list[str]]:
    """One section as the page prints it: {measure: [unit 1, unit 2...]}."""
    section = next(s for s in response.context["sections"] if s.key == key)
    return {str(label): values for label, values in section.table()}


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.fixture
def demo(db):
    load_demo(with_imports=False)
    return Network.objects.get(slug="conet-cohesion-network"), Network.objects.get(slug__startswith="netco")


@pytest.fixture
def star(db):
    """A lead and two partners; the lead is tied to one partner, that partner to the other."""
    network = make_network(name="Star network")
    lead = make_organisation(name="Lead city", sector="public", location=Point(0, 0, srid=4326), city="A")
    one = make_organisation(name="Partner one", sector="civic", location=Point(1, 0, srid=4326), city="B")
    two = make_organisation(name="Partner two", sector="civic", country="IT", city="C")
    add_to_network(network, lead, NetworkRole.LEAD)
    add_to_network(network, one, NetworkRole.PARTNER)
    add_to_network(network, two, NetworkRole.PARTNER)
    make_relationship(lead, one, network=network)
    make_relationship(one, two, network=network)
    return network


# CoNet against NETCO, as the demo has them


def test_conet_against_netco_in_numbers(client, demo):
    conet, netco = demo
    response = client.get(f"{URL}?network={conet.slug}&network={netco.slug}")
    assert response.status_code == 200
    assert [unit.name for unit in response.context["units"]] == [conet.name, netco.name]
    size = table(response, "size")
    assert size["Organisations"] == ["11", "16"]
    assert size["Ties (pairs of organisations linked)"] == ["10", "15"]
    cohesion = table(response, "cohesion")
    assert cohesion["Density"] == ["0.182", "0.125"]  # 10 of 55 pairs, 15 of 120
    assert cohesion["Degree centralisation"] == ["1.000", "1.000"]  # each a star around its lead
    structure = table(response, "structure")
    assert structure["Lead partner"] == ["1", "1"]
    assert structure["Partner"] == ["10", "15"]
    assert structure["Lead partner's share of the relationships"] == ["100.0 %", "100.0 %"]


def test_conet_against_netco_by_sector_place_and_period(client, demo):
    conet, netco = demo
    response = client.get(f"{URL}?network={conet.slug}&network={netco.slug}")
    sectors = table(response, "sectors")
    assert sectors["Public (number)"] == ["11", "13"]
    assert sectors["Civic (number)"] == ["0", "3"]  # Urban Lab, id22, South of Scotland Community Housing
    geography = table(response, "geography")
    assert geography["Countries"] == ["11", "12"]
    assert geography["Organisations without a known place"] == ["0", "2"]
    period = table(response, "period")
    assert period["From"] == ["April 21, 2008", "May 1, 2022"]
    assert period["Months"] == ["37", "24"]


def test_each_chart_has_its_table_and_its_numbers_in_the_page(client, demo):
    conet, netco = demo
    response = client.get(f"{URL}?network={conet.slug}&network={netco.slug}")
    assert '<caption id="size-caption">Size</caption>' in response.text
    assert '<script id="chart-data-sectors" type="application/json">' in response.text
    assert 'data-chart="chart-data-geography"' in response.text
    assert "vendor/chartjs/chart.umd.min.js" in response.text
    assert 'data-chart="chart-data-period"' not in response.text  # dates: a table only


def test_the_csv_holds_the_tables(client, demo):
    conet, netco = demo
    response = client.get(f"{CSV}?network={conet.slug}&network={netco.slug}")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="conect-partnership-models-')
    rows = csv_rows(response)
    assert rows[0] == ["Section", "Measure", conet.name, netco.name]
    assert ["Size", "Organisations", "11", "16"] in rows
    assert ["Whole-network measures", "Density", "0.1818", "0.125"] in rows
    assert ["Period", "From", "2008-04-21", "2022-05-01"] in rows


def test_the_download_link_carries_the_choice(client, demo):
    conet, netco = demo
    response = client.get(f"{URL}?network={conet.slug}&country=IT")
    assert f'href="{CSV}?network={conet.slug}&amp;country=IT"' in response.text


# Choosing


def test_nothing_chosen_explains_how_to_compare(client, demo):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["sections"] == []
    assert "How to compare" in response.text
    assert 'type="checkbox" name="network" value="conet-cohesion-network"' in response.text


def test_a_country_compares_all_its_organisations(client, star):
    response = client.get(f"{URL}?country=RO&country=IT")
    assert [unit.name for unit in response.context["units"]] == ["Italy", "Romania"]  # in the form's order
    size = table(response, "size")
    assert size["Organisations"] == ["1", "2"]
    assert size["Ties (pairs of organisations linked)"] == ["0", "1"]
    assert table(response, "structure")["Lead partner"] == ["—", "—"]  # no roles outside a network


def test_a_lab_compares_the_organisations_it_mapped(client, lab, other_lab):
    mapped = make_organisation(lab=lab)
    make_relationship(mapped, make_organisation(), lab=lab)
    response = client.get(f"{URL}?lab={lab.slug}&lab={other_lab.slug}")
    assert table(response, "size")["Organisations"] == ["2", "0"]


def test_an_unknown_choice_is_refused_and_explained(client, star):
    response = client.get(f"{URL}?network=no-such-network")
    assert response.status_code == 400
    assert "There is no “no-such-network” to compare" in response.text


def test_too_many_at_once_are_refused(client, db):
    networks = [make_network() for _ in range(13)]
    response = client.get(URL + "?" + "&".join(f"network={n.slug}" for n in networks))
    assert response.status_code == 400
    assert "Choose at most 12 at a time." in response.text


def test_the_csv_without_a_choice_is_the_page(client, db):
    response = client.get(CSV)
    assert response["Content-Type"].startswith("text/html")


# The measures


def test_distances_are_great_circle_kilometres_between_places(client, star):
    geography = table(client.get(f"{URL}?network={star.slug}"), "geography")
    assert geography["Mean distance between two organisations (km)"] == ["111"]  # one degree along the equator
    assert geography["Mean length of a relationship (km)"] == ["111"]
    assert geography["Organisations without a known place"] == ["1"]


def test_the_leads_share_counts_the_relationships_it_is_part_of(client, star):
    structure = table(client.get(f"{URL}?network={star.slug}"), "structure")
    assert structure["Lead partner's share of the relationships"] == ["50.0 %"]
    assert structure["Partner"] == ["2"]


def test_the_sector_mix_gives_shares_and_numbers(client, star):
    sectors = table(client.get(f"{URL}?network={star.slug}"), "sectors")
    assert sectors["Public (share)"] == ["33.3 %"]
    assert sectors["Civic (share)"] == ["66.7 %"]
    assert sectors["Civic (number)"] == ["2"]


@pytest.mark.parametrize("who", ["visitor", "member", "coordinator"])
def test_a_draft_relationship_is_never_counted(request, star, lab, who):
    members = [m.organisation for m in star.memberships.order_by("role", "organisation__name")]
    make_relationship(members[0], members[2], network=star, lab=lab, state="draft")
    make_organisation(country="RO", lab=lab, state="draft")
    user = None if who == "visitor" else request.getfixturevalue(who)
    response = client_for(user).get(f"{URL}?network={star.slug}&country=RO")
    size = table(response, "size")
    assert size["Ties (pairs of organisations linked)"] == ["2", "1"]
    assert size["Organisations"] == ["3", "2"]


def _store_analysis(network, *, version: int) -> None:
    graph = {"nodes": 3, "edges": 2, "components": 1, "density": 0.6667, "transitivity": 0.25}
    Analysis.objects.create(
        scope=f"network:{network.pk}",
        network=network,
        status=AnalysisStatus.DONE,
        data_version=version,
        results={"graph": graph, "nodes": {}},
        finished_at=timezone.now(),
    )


def test_a_fresh_stored_analysis_gives_the_whole_network_measures(client, star):
    _store_analysis(star, version=GraphVersion.objects.get(pk=1).version)
    response = client.get(f"{URL}?network={star.slug}")
    assert table(response, "cohesion")["Transitivity"] == ["0.250"]  # as stored, not recomputed (0 here)
    assert "Star network: as computed by its analysis on" in response.text


def test_a_stale_analysis_is_not_used_for_a_small_graph(client, star):
    _store_analysis(star, version=GraphVersion.objects.get(pk=1).version - 1)
    response = client.get(f"{URL}?network={star.slug}")
    assert table(response, "cohesion")["Transitivity"] == ["0.000"]
    assert "Star network: computed now for this page." in response.text


def test_a_large_graph_without_its_analysis_is_only_counted(client, star, monkeypatch):
    monkeypatch.setattr("networks.compare.ON_THE_FLY_MAX_NODES", 2)
    response = client.get(f"{URL}?network={star.slug}")
    assert table(response, "cohesion")["Density"] == ["0.667"]
    assert table(response, "cohesion")["Transitivity"] == ["—"]
    assert "too large to measure here" in response.text


def test_names_that_look_like_formulas_stay_text_in_the_csv(client, db):
    network = make_network(name='=HYPERLINK("http://example.org")')
    add_to_network(network, make_organisation())
    rows = csv_rows(client.get(f"{CSV}?network={network.slug}"))
    assert rows[0][2] == '\'=HYPERLINK("http://example.org")'


@pytest.mark.parametrize("members", [2, 40])
def test_the_comparison_costs_the_same_queries_whatever_the_networks_size(
    client, db, django_assert_num_queries, members
):
    networks = [make_network(), make_network()]
    for network in networks:
        previous = None
        for _ in range(members):
            organisation = make_organisation(location=Point(13.4, 52.5, srid=4326))
            add_to_network(network, organisation)
            if previous is not None:
                make_relationship(previous, organisation, network=network)
            previous = organisation
    # The form's networks, Labs and countries; the analyses and the data version; per network its nodes, edges and
    # distances; the memberships of both.
    with django_assert_num_queries(12):
        client.get(f"{URL}?network={networks[0].slug}&network={networks[1].slug}")
