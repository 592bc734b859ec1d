"""The networks part of the API (/api/v1/organisations/, networks/, relationships/, networks/<slug>/metrics/), from
the outside: who sees what, the shape of the answers, and lists that cost the same queries for 1 row or 50."""

import pytest
from django.utils import timezone

from networks.models import Analysis, AnalysisStatus, GraphVersion, NetworkRole, OrganisationPerson
from tests.api.conformance import assert_conforms
from tests.conftest import client_for
from tests.factories import add_to_network, as_if_committed, make_network, make_organisation, make_relationship

API = "/api/v1/"
LADDER = ["visitor", "outsider", "member", "coordinator"]


@pytest.fixture
def graph(lab):
    """A published network of two cities with a published tie, plus the Lab's draft organisation and draft tie."""
    network = make_network(name="CoNet – Cohesion Network")
    berlin = make_organisation(name="City of Berlin", city="Berlin", country="DE")
    palermo = make_organisation(name="City of Palermo", city="Palermo", country="IT")
    add_to_network(network, berlin, NetworkRole.LEAD)
    add_to_network(network, palermo, NetworkRole.PARTNER)
    draft = make_organisation(name="Draft association", lab=lab, state="draft")
    add_to_network(network, draft, NetworkRole.MEMBER)
    published_tie = make_relationship(berlin, palermo, network=network, evidence="Seed 003")
    draft_tie = make_relationship(palermo, draft, lab=lab, state="draft")
    return {"network": network, "published": published_tie, "draft_tie": draft_tie, "draft": draft}


def _get(request, who: str, url: str):
    user = None if who == "visitor" else request.getfixturevalue(who)
    return client_for(user).get(url)


def _sees_drafts(who: str) -> bool:
    return who in {"member", "coordinator"}


# Organisations


@pytest.mark.parametrize("who", LADDER)
def test_the_organisation_list_shows_drafts_only_to_the_labs_people_and_coordinators(request, graph, who):
    names = [row["name"] for row in _get(request, who, f"{API}organisations/").json()["results"]]
    expected = ["City of Berlin", "City of Palermo"] + (["Draft association"] if _sees_drafts(who) else [])
    assert sorted(names) == sorted(expected)


@pytest.mark.parametrize("who", LADDER)
def test_a_draft_organisation_is_missing_for_whoever_may_not_see_it(request, graph, who):
    response = _get(request, who, f"{API}organisations/{graph['draft'].slug}/")
    assert response.status_code == (200 if _sees_drafts(who) else 404)


@pytest.mark.parametrize("who", LADDER)
def test_the_organisations_geojson_follows_the_same_ladder(request, graph, who):
    response = _get(request, who, f"{API}organisations/?format=geojson")
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection"
    slugs = {feature["id"] for feature in body["features"]}
    assert (graph["draft"].slug in slugs) == _sees_drafts(who)


def test_an_organisation_in_geojson_is_a_point_feature(client, graph):
    body = client.get(f"{API}organisations/city-of-berlin/?format=geojson").json()
    assert body["type"] == "Feature"
    assert body["geometry"] is None or body["geometry"]["type"] == "Point"
    assert body["properties"]["name"] == "City of Berlin"


def test_an_organisation_answers_its_public_fields(client, graph):
    body = client.get(f"{API}organisations/city-of-berlin/").json()
    assert body["slug"] == "city-of-berlin"
    assert (body["kind"], body["country"], body["city"], body["state"]) == ("ngo", "DE", "Berlin", "published")
    assert body["page"] == "http://testserver/en/networks/organisations/city-of-berlin/"


def test_people_appear_by_name_and_role_never_with_their_contact_details(client, graph):
    berlin = graph["published"].source
    OrganisationPerson.objects.create(
        organisation=berlin,
        name="Petra Projekt",
        role="project manager",
        email="petra@example.org",
        phone="+49 30 1234",
        consent_date=timezone.localdate(),
        consent_note="signed form",
    )
    response = client.get(f"{API}organisations/city-of-berlin/")
    assert response.json()["people"] == [{"name": "Petra Projekt", "role": "project manager"}]
    assert "petra@example.org" not in response.text
    assert "1234" not in response.text


def test_organisations_are_filtered_like_the_list(client, graph):
    rows = client.get(f"{API}organisations/?country=IT").json()["results"]
    assert [row["name"] for row in rows] == ["City of Palermo"]
    rows = client.get(f"{API}organisations/?network={graph['network'].slug}").json()["results"]
    assert [row["name"] for row in rows] == ["City of Berlin", "City of Palermo"]


def test_an_unknown_filter_value_is_a_bad_request(client, graph):
    assert client.get(f"{API}organisations/?sector=galactic").status_code == 400


@pytest.mark.parametrize("rows", [1, 50])
def test_the_organisation_list_runs_the_same_queries_for_1_or_50(client, db, django_assert_num_queries, rows):
    for _ in range(rows):
        make_organisation()
    with django_assert_num_queries(1):  # the page, assembled by PostgreSQL (cursor pages: no count)
        client.get(f"{API}organisations/")
    with django_assert_num_queries(1):
        client.get(f"{API}organisations/?format=geojson")
    with django_assert_num_queries(2):  # the CSV goes through the serializer: the page, the people
        client.get(f"{API}organisations/?format=csv")


# Networks


@pytest.mark.parametrize("who", LADDER)
def test_a_network_lists_only_the_members_one_may_see(request, graph, who):
    body = _get(request, who, f"{API}networks/{graph['network'].slug}/").json()
    names = [m["organisation"]["name"] for m in body["memberships"]]
    assert ("Draft association" in names) == _sees_drafts(who)
    assert "City of Berlin" in names


def test_a_membership_gives_the_organisation_its_role_and_dates(client, graph):
    body = client.get(f"{API}networks/{graph['network'].slug}/").json()
    lead = next(m for m in body["memberships"] if m["role"] == "lead")
    berlin = graph["published"].source
    assert lead == {
        "organisation": {"id": berlin.pk, "slug": "city-of-berlin", "name": "City of Berlin"},
        "role": "lead",
        "start_date": None,
        "end_date": None,
    }


def test_an_unknown_network_is_missing(client, db):
    assert client.get(f"{API}networks/no-such-network/").status_code == 404


@pytest.mark.parametrize("rows", [1, 50])
def test_the_network_list_runs_the_same_queries_for_1_or_50(client, db, django_assert_num_queries, rows):
    for _ in range(rows):
        add_to_network(make_network(), make_organisation())
    with django_assert_num_queries(3):  # count, page (with the parent), memberships (with their organisations)
        client.get(f"{API}networks/")


# Relationships


@pytest.mark.parametrize("who", LADDER)
def test_a_draft_relationship_is_seen_only_by_the_labs_people_and_coordinators(request, graph, who):
    ids = [row["id"] for row in _get(request, who, f"{API}relationships/").json()["results"]]
    assert graph["published"].pk in ids
    assert (graph["draft_tie"].pk in ids) == _sees_drafts(who)
    detail = _get(request, who, f"{API}relationships/{graph['draft_tie'].pk}/")
    assert detail.status_code == (200 if _sees_drafts(who) else 404)


def test_a_relationship_names_both_ends_and_where_it_is_known_from(client, graph):
    body = client.get(f"{API}relationships/{graph['published'].pk}/").json()
    assert body["source"]["slug"] == "city-of-berlin"
    assert body["target"]["slug"] == "city-of-palermo"
    assert (body["kind"], body["network"], body["evidence"], body["lab"]) == (
        "partnership",
        graph["network"].slug,
        "Seed 003",
        None,
    )


def test_relationships_are_filtered_by_network_lab_kind_and_organisation(client, coordinator, graph, lab):
    coordinator_client = client_for(coordinator)

    def ids(query: str) -> set[int]:
        return {row["id"] for row in coordinator_client.get(f"{API}relationships/?{query}").json()["results"]}

    other = make_relationship(make_organisation(), make_organisation(), kind="funding")
    published, draft = graph["published"].pk, graph["draft_tie"].pk
    assert ids(f"network={graph['network'].slug}") == {published, draft}  # the draft is between two members
    assert ids(f"lab={lab.slug}") == {draft}
    assert ids("kind=funding") == {other.pk}
    assert ids("organisation=city-of-berlin") == {published}
    assert ids("organisation=city-of-palermo") == {published, draft}


def test_a_relationship_to_an_organisation_one_may_not_see_stays_hidden(client, lab, graph):
    hidden = make_relationship(graph["published"].source, graph["draft"])  # published, but to a draft
    ids = [row["id"] for row in client.get(f"{API}relationships/").json()["results"]]
    assert hidden.pk not in ids


@pytest.mark.parametrize("rows", [1, 50])
def test_the_relationship_list_runs_the_same_queries_for_1_or_50(client, db, django_assert_num_queries, rows):
    for _ in range(rows):
        make_relationship(make_organisation(), make_organisation(), network=make_network())
    with django_assert_num_queries(1):  # the page (with both ends, the network and the Lab; cursor: no count)
        client.get(f"{API}relationships/")
    with django_assert_num_queries(1):
        client.get(f"{API}relationships/?format=csv")


# Metrics


def _analysis(network, *, version: int) -> Analysis:
    return Analysis.objects.create(
        scope=f"network:{network.pk}",
        network=network,
        status=AnalysisStatus.DONE,
        data_version=version,
        results={"graph": {"nodes": 2, "edges": 1, "density": 1.0}, "nodes": {}},
        finished_at=timezone.now(),
    )


def _version() -> int:
    return GraphVersion.objects.get(pk=1).version


@pytest.mark.parametrize("who", LADDER)
def test_everyone_reads_a_networks_stored_metrics(request, graph, who):
    _analysis(graph["network"], version=_version())
    response = _get(request, who, f"{API}networks/{graph['network'].slug}/metrics/")
    assert response.status_code == 200
    body = response.json()
    assert body["results"]["graph"] == {"nodes": 2, "edges": 1, "density": 1.0}
    assert (body["network"], body["status"], body["stale"]) == (graph["network"].slug, "done", False)
    assert body["computed_at"]


def test_metrics_say_when_the_data_changed_since(client, graph):
    _analysis(graph["network"], version=_version())
    make_relationship(graph["published"].target, graph["published"].source, kind="funding")
    as_if_committed()
    body = client.get(f"{API}networks/{graph['network'].slug}/metrics/").json()
    assert body["stale"] is True
    assert body["current_version"] > body["data_version"]


def test_a_network_without_metrics_answers_404(client, graph):
    assert client.get(f"{API}networks/{graph['network'].slug}/metrics/").status_code == 404


def test_metrics_of_an_unknown_network_answer_404(client, db):
    assert client.get(f"{API}networks/no-such-network/metrics/").status_code == 404


def test_the_schema_documents_the_networks_endpoints(client, db):
    schema = client.get("/api/schema/?format=json").json()
    for path in ("organisations/", "networks/", "relationships/", "networks/{slug}/metrics/"):
        assert f"/api/v1/{path}" in schema["paths"]


def test_metrics_leave_out_an_organisation_unpublished_since_they_were_computed(client, graph):
    organisation = graph["published"].target
    Analysis.objects.create(
        scope=f"network:{graph['network'].pk}",
        network=graph["network"],
        status=AnalysisStatus.DONE,
        data_version=_version(),
        results={"graph": {"nodes": 2}, "nodes": {str(organisation.pk): {"degree": 1}, "999999": {"degree": 0}}},
        finished_at=timezone.now(),
    )
    assert (
        str(organisation.pk) in client.get(f"{API}networks/{graph['network'].slug}/metrics/").json()["results"]["nodes"]
    )
    organisation.state = "draft"
    organisation.save()
    nodes = client.get(f"{API}networks/{graph['network'].slug}/metrics/").json()["results"]["nodes"]
    assert str(organisation.pk) not in nodes


def test_an_organisation_of_no_lab_sector_size_or_website_is_read_as_the_schema_says(db, client):
    organisation = make_organisation()
    response = client.get(f"/api/v1/organisations/{organisation.slug}/")
    row = response.json()
    assert (row["lab"], row["sector"], row["size"], row["website"]) == (None, "", "", "")
    assert_conforms(response, "/api/v1/organisations/{slug}/")  # the schema said a Lab's slug, enums and a URI
    assert_conforms(client.get("/api/v1/organisations/"), "/api/v1/organisations/")
    geojson = client.get(f"/api/v1/organisations/{organisation.slug}/", {"format": "geojson"})
    assert_conforms(geojson, "/api/v1/organisations/{slug}/")


def test_a_partner_reads_one_organisation_as_csv_as_the_schema_says(db, client):
    organisation = make_organisation()
    response = client.get(f"/api/v1/organisations/{organisation.slug}/", {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "text/csv" in schema["paths"]["/api/v1/organisations/{slug}/"]["get"]["responses"]["200"]["content"]


def test_a_network_part_of_none_without_a_website_is_read_as_the_schema_says(db, client):
    network = make_network()
    response = client.get(f"/api/v1/networks/{network.slug}/")
    assert (response.json()["parent"], response.json()["website"]) == (None, "")
    assert_conforms(response, "/api/v1/networks/{slug}/")  # the schema said a slug and a URI


def test_a_relationship_of_no_network_or_lab_is_read_as_the_schema_says(db, client):
    relationship = make_relationship(make_organisation(), make_organisation())
    response = client.get(f"/api/v1/relationships/{relationship.pk}/")
    assert (response.json()["network"], response.json()["lab"]) == (None, None)
    assert_conforms(response, "/api/v1/relationships/{id}/")  # the schema said slugs
