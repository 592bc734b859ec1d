"""Exports of a network (Kumu XLSX, CSV, GraphML, GEXF) and its JSON feed."""

import csv
import io
import re
from datetime import date
from xml.etree import ElementTree

import networkx as nx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from networks.models import Direction, RelationshipKind, Sector
from tests.conftest import client_for
from tests.factories import add_to_network, make_network, make_organisation, make_relationship

EXPORT = "/en/networks/export/"


@pytest.fixture
def network(db):
    """A lead, a partner and a draft partner of another Lab's mapping."""
    network = make_network(name="NETCO", slug="netco")
    barcelona = make_organisation(name="City of Barcelona", slug="barcelona", kind="municipality", sector="public",
                                  country="ES", city="Barcelona", location="POINT(2.17 41.39)")  # fmt: skip
    lyon = make_organisation(name="Habitat Lyon", slug="habitat-lyon", kind="cooperative", sector="civic",
                             country="FR", website="https://habitat.example")  # fmt: skip
    for organisation in (barcelona, lyon):
        add_to_network(network, organisation)
    make_relationship(barcelona, lyon, kind=RelationshipKind.FUNDING, direction=Direction.DIRECTED, strength=4,
                      start_date=date(2022, 5, 1), end_date=date(2024, 4, 30), network=network,
                      evidence="CERV grant agreement")  # fmt: skip
    make_relationship(lyon, barcelona, kind=RelationshipKind.KNOWLEDGE_EXCHANGE, direction=Direction.MUTUAL)
    return network


def export(user, fmt: str, query: str = "network=netco"):
    response = client_for(user).get(f"{EXPORT}?format={fmt}&{query}")
    assert response.status_code == 200, response.content[:500]
    return response


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_kumu_workbook_has_elements_and_connections_sheets_with_labels(network):
    response = export(None, "kumu-xlsx")
    assert response["Content-Disposition"].startswith('attachment; filename="conect-network-netco-')
    workbook = load_workbook(io.BytesIO(response.content))
    elements, connections = workbook["Elements"], workbook["Connections"]
    rows = list(elements.iter_rows(values_only=True))
    assert rows[0][:4] == ("Label", "Type", "Tags", "Description")
    assert rows[1][:3] == ("City of Barcelona", "municipality", "public|ES")
    links = list(connections.iter_rows(values_only=True))
    assert links[0][:4] == ("From", "To", "Type", "Direction")
    assert ("City of Barcelona", "Habitat Lyon", "funding", "directed", 4, "2022-05-01", "2024-04-30") in [
        link[:7] for link in links
    ]


def test_two_organisations_with_one_name_are_told_apart_by_their_id(network):
    twin = make_organisation(name="Habitat Lyon", slug="habitat-lyon-2", kind="ngo")
    add_to_network(network, twin)
    make_relationship(twin, network.organisations.get(slug="barcelona"))
    lines = list(csv.DictReader(io.StringIO(body(export(None, "csv-connections")).decode("utf-8-sig"))))
    assert {line["From"] for line in lines} >= {"habitat-lyon", "habitat-lyon-2", "City of Barcelona"}


def test_a_visitor_never_exports_drafts(network, lab):
    draft = make_organisation(name="Draft Coop", lab=lab, state="draft")
    add_to_network(network, draft)
    make_relationship(draft, network.organisations.get(slug="barcelona"), lab=lab, state="draft")
    for fmt in ("kumu-xlsx", "csv-elements", "csv-connections", "graphml", "gexf", "json"):
        assert b"Draft Coop" not in body(export(None, fmt)), fmt
    assert "Draft Coop" not in client_for(None).get("/en/networks/feed.json?network=netco").text


def test_a_member_exports_their_labs_drafts(network, lab, member):
    draft = make_organisation(name="Draft Coop", lab=lab, state="draft")
    add_to_network(network, draft)
    assert b"Draft Coop" in body(export(member, "csv-elements"))


def test_csv_cells_that_look_like_formulas_are_kept_as_text(network):
    make_organisation(name='=HYPERLINK("http://evil")', slug="evil", kind="ngo", city="+33", description="@SUM")
    add_to_network(network, network.organisations.model.objects.get(slug="evil"))
    text = body(export(None, "csv-elements")).decode("utf-8-sig")
    row = next(line for line in csv.DictReader(io.StringIO(text)) if line["ID"] == "evil")
    assert row["Label"].startswith("'=")
    assert row["City"] == "'+33"
    assert row["Description"] == "'@SUM"
    sheet = load_workbook(io.BytesIO(export(None, "kumu-xlsx").content))["Elements"]
    assert '\'=HYPERLINK("http://evil")' in [cell.value for cell in sheet["A"]]


def test_graphml_read_back_by_networkx_equals_the_stored_graph(network):
    graph = nx.read_graphml(io.BytesIO(export(None, "graphml").content), force_multigraph=True)
    assert dict(graph.nodes(data="label")) == {"barcelona": "City of Barcelona", "habitat-lyon": "Habitat Lyon"}
    assert graph.nodes["barcelona"]["kind"] == "municipality"
    assert graph.nodes["barcelona"]["sector"] == Sector.PUBLIC
    assert graph.nodes["barcelona"]["latitude"] == pytest.approx(41.39)
    edges = {(u, v, d["kind"], d["direction"], d.get("strength"), d.get("start"), d.get("end"), d["network"])
             for u, v, d in graph.edges(data=True)}  # fmt: skip
    assert edges == {
        ("barcelona", "habitat-lyon", "funding", "directed", 4, "2022-05-01", "2024-04-30", "netco"),
        ("habitat-lyon", "barcelona", "knowledge_exchange", "mutual", None, None, None, ""),
    }


def test_gexf_is_dynamic_with_start_and_end_on_edges_for_gephi(network):
    root = ElementTree.fromstring(export(None, "gexf").content)
    ns = {"g": root.tag.split("}")[0].strip("{")}
    graph = root.find("g:graph", ns)
    assert graph.get("mode") == "dynamic"
    assert graph.get("timeformat") == "date"
    funding = [edge for edge in graph.iter(f"{{{ns['g']}}}edge") if edge.get("start")]
    assert [(e.get("start"), e.get("end"), e.get("type"), e.get("weight")) for e in funding] == [
        ("2022-05-01", "2024-04-30", "directed", "4")
    ]
    assert nx.read_gexf(io.BytesIO(export(None, "gexf").content)).number_of_edges() == 2


def test_the_json_feed_is_json_graph_format_with_absolute_urls(client, network):
    response = client.get("/en/networks/feed.json?network=netco")
    assert response["Content-Type"] == "application/json"
    graph = response.json()["graph"]
    assert graph["label"] == "NETCO"
    assert graph["nodes"]["barcelona"]["label"] == "City of Barcelona"
    assert graph["nodes"]["barcelona"]["metadata"]["url"] == "http://testserver/en/networks/organisations/barcelona/"
    funding = next(edge for edge in graph["edges"] if edge["relation"] == "funding")
    assert funding["source"] == "barcelona" and funding["target"] == "habitat-lyon" and funding["directed"]
    assert funding["metadata"]["start"] == "2022-05-01"


def test_an_unknown_format_or_scope_is_missing(client, network):
    assert client.get(f"{EXPORT}?format=pdf&network=netco").status_code == 404
    assert client.get(f"{EXPORT}?format=graphml&network=nowhere").status_code == 404
    assert client.get("/en/networks/feed.json?lab=nowhere").status_code == 404


def test_a_selection_exports_only_the_organisations_that_pass_the_filters(network):
    text = body(export(None, "csv-elements", "sector=civic")).decode("utf-8-sig")
    assert [line["Label"] for line in csv.DictReader(io.StringIO(text))] == ["Habitat Lyon"]


@pytest.mark.parametrize("fmt", ["kumu-xlsx", "csv-connections", "graphml", "json"])
def test_an_export_costs_the_same_queries_for_2_or_40_organisations(network, fmt, django_assert_num_queries):
    with CaptureQueriesContext(connection) as queries:
        body(export(None, fmt))
    barcelona = network.organisations.get(slug="barcelona")
    for n in range(38):
        organisation = make_organisation(name=f"Partner {n}")
        add_to_network(network, organisation)
        make_relationship(barcelona, organisation)
    with django_assert_num_queries(len(queries)):
        body(export(None, fmt))


def test_every_download_a_network_page_offers_works_for_a_visitor(client, network):
    page = client.get(network.get_absolute_url()).text
    links = sorted(set(re.findall(r'href="(/en/networks/(?:export/|feed\.json)[^"]*)"', page)))
    assert len(links) == 6
    for link in links:
        response = client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, link


def test_other_sites_scripts_may_read_the_feed_without_the_readers_cookies(client, network):
    response = client.get("/en/networks/feed.json?network=netco")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
