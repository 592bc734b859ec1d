from datetime import date

import pytest
from django.contrib.gis.geos import Point
from playwright.sync_api import expect

from labs.models import MembershipRole
from networks.models import Analysis, AnalysisStatus, Direction, OrganisationKind, RelationshipKind, Sector
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import add_to_network, make_lab, make_member, make_network, make_organisation, make_relationship

pytestmark = pytest.mark.django_db(transaction=True)

# Cytoscape keeps its instance on the container; the tests read what it drew from there.
NODE = "(name) => document.getElementById('graph-canvas')._cyreg.cy.nodes().filter(n => n.data('label') === name)[0]"


def node_data(page, name: str, key: str):
    return page.evaluate(f"(name) => ({NODE})(name).data('{key}')", name)


@pytest.fixture
def conet():
    """Five cities of a network, placed where they are, tied over different years; an analysis of it done."""
    network = make_network(name="CoNet")
    places = {
        "City of Berlin": (OrganisationKind.MUNICIPALITY, Sector.PUBLIC, 13.40, 52.52),
        "CESIE": (OrganisationKind.NGO, Sector.CIVIC, 13.36, 38.12),
        "City of Zabrze": (OrganisationKind.MUNICIPALITY, Sector.PUBLIC, 18.79, 50.32),
        "University of Oviedo": (OrganisationKind.UNIVERSITY, Sector.KNOWLEDGE, -5.66, 43.54),
        "Liverpool Cooperative": (OrganisationKind.COOPERATIVE, Sector.PRIVATE, -2.98, 53.41),
    }
    cities = {}
    for name, (kind, sector, lon, lat) in places.items():
        cities[name] = make_organisation(name=name, kind=kind, sector=sector, location=Point(lon, lat, srid=4326))
        add_to_network(network, cities[name])
    berlin, cesie, zabrze, oviedo, liverpool = cities.values()
    make_relationship(berlin, cesie, network=network, start_date=date(2008, 3, 1), end_date=date(2011, 6, 30))
    make_relationship(
        berlin, zabrze, network=network, kind=RelationshipKind.FUNDING, direction=Direction.DIRECTED,
        start_date=date(2012, 1, 1), end_date=date(2014, 12, 31), strength=4,
    )  # fmt: skip
    make_relationship(cesie, oviedo, network=network, kind=RelationshipKind.KNOWLEDGE_EXCHANGE)
    make_relationship(zabrze, liverpool, network=network, kind=RelationshipKind.MEMBERSHIP, start_date=date(2009, 5, 1))
    Analysis.objects.create(
        scope=f"network:{network.pk}",
        network=network,
        status=AnalysisStatus.DONE,
        results={
            "nodes": {
                str(organisation.pk): {
                    "degree": 1,
                    "betweenness": 0.9 if organisation == berlin else 0.0,
                    "core": 1,
                    "community": 2 if organisation in (cesie, oviedo) else 1,
                }
                for organisation in cities.values()
            },
            "graph": {},
        },
    )
    return network


def test_visitor_explores_a_networks_graph_its_years_its_neighbours_and_its_map(page, conet):
    page.goto(f"/en/networks/graph/?network={conet.slug}")
    expect(page.get_by_role("heading", name="Graph of CoNet")).to_be_visible()
    expect(page.locator("#graph-canvas")).to_have_attribute("data-nodes", "5")
    expect(page.locator("#graph-status")).to_have_text("Organisations shown: 5. Relationships shown: 4.")
    expect(page.locator("#graph-canvas")).to_have_attribute("data-laid-out", "1")
    page.screenshot(path="test-results/screenshots/graph_start.png")
    assert axe_violations(page) == []

    # Sized by betweenness, Berlin (the broker) is the largest; by degree, Berlin and Zabrze are equal.
    page.get_by_label("Size by").select_option("betweenness")
    assert node_data(page, "City of Berlin", "size") > node_data(page, "CESIE", "size")
    page.get_by_label("Size by").select_option("degree")
    assert node_data(page, "City of Berlin", "size") == node_data(page, "City of Zabrze", "size")

    # Coloured by sector: the legend says which colour is which sector.
    assert node_data(page, "City of Berlin", "colour") == node_data(page, "City of Zabrze", "colour")
    page.get_by_label("Colour by").select_option("sector")
    expect(page.get_by_role("heading", name="Colour: sector")).to_be_visible()
    expect(page.get_by_role("heading", name="Colour: kind of organisation")).to_be_hidden()
    assert node_data(page, "City of Berlin", "colour") != node_data(page, "CESIE", "colour")
    # By the communities the analysis found: Liverpool's cooperative joins Berlin's.
    page.get_by_label("Colour by").select_option("community")
    expect(page.get_by_role("heading", name="Colour: community found by the analysis")).to_be_visible()
    expect(page.get_by_role("heading", name="Colour: sector")).to_be_hidden()
    assert node_data(page, "City of Berlin", "colour") == node_data(page, "Liverpool Cooperative", "colour")
    assert node_data(page, "City of Berlin", "colour") != node_data(page, "University of Oviedo", "colour")

    # The time slider, with the keyboard: in 2008 only the partnership and the undated exchange were active.
    relationships = page.get_by_role("table", name="Relationships")
    expect(relationships.locator("tbody tr:visible")).to_have_count(4)
    slider = page.get_by_label("Relationships active in")
    slider.focus()
    page.keyboard.press("Home")
    expect(page.locator("#year-output")).to_have_text("2008")
    expect(relationships.locator("tbody tr:visible")).to_have_count(2)
    expect(relationships.get_by_role("cell", name="Funding")).to_be_hidden()
    berlin_row = page.get_by_role("table", name="Organisations").get_by_role("row", name="City of Berlin")
    expect(berlin_row.locator("td").last).to_have_text("1")
    page.keyboard.press("End")
    expect(page.locator("#year-output")).to_have_text("All years")
    expect(relationships.locator("tbody tr:visible")).to_have_count(4)
    expect(berlin_row.locator("td").last).to_have_text("2")

    # A kind of relationship unticked in the legend leaves the graph and the table.
    page.get_by_label("Funding").uncheck()
    expect(relationships.locator("tbody tr:visible")).to_have_count(3)
    page.get_by_label("Funding").check()

    # Search and focus: Zabrze and its neighbours stay, the others fade and leave the table.
    page.get_by_role("combobox", name="Find an organisation").fill("zabrze")
    page.get_by_role("button", name="Focus").click()
    expect(page.locator("#graph-status")).to_have_text("Showing City of Zabrze and the organisations linked to it.")
    organisations = page.get_by_role("table", name="Organisations")
    expect(organisations.locator("tbody tr:visible")).to_have_count(3)  # Zabrze, Berlin, Liverpool
    assert page.evaluate(f"({NODE})('CESIE').hasClass('faded')")
    page.screenshot(path="test-results/screenshots/graph_focus.png")
    page.get_by_role("button", name="Show all").click()
    expect(organisations.locator("tbody tr:visible")).to_have_count(5)
    assert not page.evaluate(f"({NODE})('CESIE').hasClass('faded')")

    # The same network on the map: five places, the table unchanged beside it.
    page.get_by_role("radio", name="Map").check()
    expect(page.locator("#graph-map")).to_be_visible()
    expect(page.locator("#graph-canvas")).to_be_hidden()
    expect(page.locator("#graph-map")).to_have_attribute("data-markers", "5")
    expect(page.locator("#graph-map canvas")).to_be_visible()  # drawn on a canvas: thousands of lines stay fast
    assert axe_violations(page) == []


def test_the_lab_page_leads_to_the_graph_of_what_it_mapped(page, conet):
    lab = make_lab(name="Lab Palermo")
    berlin, cesie = conet.organisations.get(name="City of Berlin"), conet.organisations.get(name="CESIE")
    make_relationship(cesie, berlin, lab=lab, kind=RelationshipKind.RESOURCE_EXCHANGE)
    page.goto(lab.get_absolute_url())
    page.get_by_role("link", name="Network of organisations mapped by this Lab").click()
    expect(page.get_by_role("heading", name="Organisations mapped by Lab Palermo")).to_be_visible()
    expect(page.locator("#graph-canvas")).to_have_attribute("data-nodes", "2")
    assert axe_violations(page) == []


def test_a_facilitator_adds_two_organisations_and_a_relationship_and_sees_the_graph_and_table_update(page):
    lab = make_lab(name="Lab Alba Iulia", city="Alba Iulia", country="RO")
    make_member(lab, MembershipRole.FACILITATOR, email="fabio@example.org")
    sign_in(page, "fabio@example.org")
    graph = f"/en/networks/graph/?lab={lab.slug}"
    page.goto(graph)
    expect(page.get_by_text("No organisation is in this graph yet.")).to_be_visible()

    for name, city in (("Casa Comunității", "Alba Iulia"), ("Asociația Vecinii", "Cluj-Napoca")):
        page.goto("/en/networks/organisations/new/")
        page.get_by_label("Name:", exact=True).fill(name)
        page.get_by_label("Kind:", exact=True).select_option(OrganisationKind.NGO)
        page.get_by_label("Lab:", exact=True).select_option(label="Lab Alba Iulia")
        page.get_by_label("City:", exact=True).fill(city)
        page.get_by_label("Country:", exact=True).select_option("RO")
        page.get_by_role("button", name="Save draft").click()
        expect(page.get_by_role("heading", name=name)).to_be_visible()

    page.goto(graph)
    expect(page.locator("#graph-canvas")).to_have_attribute("data-nodes", "2")
    expect(page.get_by_role("table", name="Organisations").locator("tbody tr")).to_have_count(2)
    expect(page.get_by_role("table", name="Relationships")).to_have_count(0)

    page.goto("/en/networks/relationships/new/")
    page.get_by_label("From:", exact=True).select_option(label="Casa Comunității")
    page.get_by_label("To:", exact=True).select_option(label="Asociația Vecinii")
    page.get_by_label("Kind:", exact=True).select_option(RelationshipKind.KNOWLEDGE_EXCHANGE)
    page.get_by_label("Lab:", exact=True).select_option(label="Lab Alba Iulia")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Knowledge exchange").first).to_be_visible()

    page.goto(graph)
    expect(page.locator("#graph-status")).to_have_text("Organisations shown: 2. Relationships shown: 1.")
    assert page.evaluate("document.getElementById('graph-canvas')._cyreg.cy.edges().length") == 1
    relationships = page.get_by_role("table", name="Relationships")
    expect(relationships.get_by_role("row")).to_have_count(2)  # its header and the new relationship
    expect(relationships.get_by_role("row").last).to_contain_text("Casa Comunității")
    expect(relationships.get_by_role("row").last).to_contain_text("(draft)")
    row = page.get_by_role("table", name="Organisations").get_by_role("row", name="Casa Comunității")
    expect(row.locator("td").last).to_have_text("1")
    assert axe_violations(page) == []


def test_without_javascript_the_table_holds_the_same_data(browser, live_server, conet):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/en/networks/graph/?network={conet.slug}")
    organisations = page.get_by_role("table", name="Organisations")
    expect(organisations.get_by_role("row", name="City of Berlin")).to_contain_text("Municipality or public body")
    expect(page.get_by_role("table", name="Relationships").locator("tbody tr")).to_have_count(4)
    expect(page.locator("#graph-controls")).to_be_hidden()  # nothing to operate without the script
    expect(page.get_by_label("Relationships active in")).to_be_hidden()
    context.close()
