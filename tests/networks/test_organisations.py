import datetime

import pytest
from django.contrib.gis.geos import Point

from labs.models import LogEntry
from networks.models import NetworkRole, Organisation, OrganisationPerson, OrganisationRole, PracticeOrganisation
from tests.conftest import client_for
from tests.factories import (
    add_to_network,
    make_lab,
    make_network,
    make_organisation,
    make_practice,
    make_relationship,
)

LIST = "/en/networks/organisations/"
NEW = "/en/networks/organisations/new/"


def person(organisation, **kwargs) -> OrganisationPerson:
    kwargs.setdefault("name", "Ana Popescu")
    kwargs.setdefault("role", "project manager")
    kwargs.setdefault("consent_date", datetime.date(2025, 3, 1))
    kwargs.setdefault("consent_note", "signed form")
    return OrganisationPerson.objects.create(organisation=organisation, **kwargs)


# The list


def test_visitor_finds_organisations_by_name_in_the_list(client, db):
    make_organisation(name="Casa del Quartiere", city="Torino", country="IT")
    make_organisation(name="Fundația Comunitară", city="Cluj", country="RO")
    text = client.get(LIST, {"q": "casa"}).text
    assert "Casa del Quartiere" in text
    assert "Fundația Comunitară" not in text


def test_visitor_filters_organisations_by_sector(client, db):
    make_organisation(name="City of Sofia", sector="public")
    make_organisation(name="Friends of the Park", sector="civic")
    text = client.get(LIST, {"sector": "civic"}).text
    assert "Friends of the Park" in text
    assert "City of Sofia" not in text


def test_the_list_map_gets_the_places_of_the_filtered_organisations(client, db):
    make_organisation(name="Placed", location=Point(13.36, 38.11, srid=4326))
    make_organisation(name="Nowhere")
    response = client.get(LIST)
    assert response.context["points"] == [
        {"lat": 38.11, "lng": 13.36, "title": "Placed", "url": "/en/networks/organisations/placed/"}
    ]
    assert 'id="organisation-points"' in response.text


def test_a_filter_that_is_not_understood_answers_400_with_the_reason(client, db):
    response = client.get(LIST, {"kind": "spaceship"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.text


def test_visitor_never_sees_a_draft_organisation_in_the_list(client, lab):
    make_organisation(name="Secret Draft", lab=lab, state="draft")
    assert "Secret Draft" not in client.get(LIST).text


def test_lab_member_sees_the_labs_draft_in_the_list_marked_as_draft(lab, member):
    make_organisation(name="Our Draft", lab=lab, state="draft")
    text = client_for(member).get(LIST).text
    assert "Our Draft" in text
    assert "(Draft)" in text


@pytest.mark.parametrize("rows", [1, 50])
def test_the_organisation_list_runs_the_same_queries_for_1_or_50_organisations(
    client, db, django_assert_num_queries, rows
):
    lab = make_lab()
    for n in range(rows):
        make_organisation(lab=lab, location=Point(13 + n / 100, 38, srid=4326))
    client.get(LIST)
    with django_assert_num_queries(6):  # count, page, points, and the country, network and Lab filter choices
        client.get(LIST)


# The page


def test_organisation_page_shows_its_facts_in_the_readers_language(client, db):
    organisation = make_organisation(
        name="Cooperativa Sociale",
        kind="cooperative",
        sector="civic",
        size="small",
        city="Palermo",
        country="IT",
        website="https://coop.example.org",
        description="A housing cooperative.",
        descriptions={"it": "Una cooperativa per la casa."},
    )
    text = client.get(organisation.get_absolute_url().replace("/en/", "/it/")).text
    assert '<div class="prose" lang="it"><p>Una cooperativa per la casa.</p></div>' in text
    assert "https://coop.example.org" in text


def test_organisation_page_names_people_with_their_role_but_never_their_contacts(client, db):
    organisation = make_organisation()
    person(organisation, email="ana@example.org", phone="+40 123 456")
    text = client.get(organisation.get_absolute_url()).text
    assert "Ana Popescu, project manager" in text
    assert "ana@example.org" not in text
    assert "+40 123 456" not in text


def test_those_who_may_edit_the_organisation_see_its_peoples_contacts(lab, member):
    organisation = make_organisation(lab=lab)
    person(organisation, email="ana@example.org")
    assert "ana@example.org" in client_for(member).get(organisation.get_absolute_url()).text


def test_another_labs_facilitator_never_sees_the_contacts(lab, outsider):
    organisation = make_organisation(lab=lab)
    person(organisation, email="ana@example.org")
    assert "ana@example.org" not in client_for(outsider).get(organisation.get_absolute_url()).text


def test_organisation_page_lists_its_networks_with_role(client, db):
    organisation = make_organisation()
    network = make_network(name="CoNet")
    add_to_network(network, organisation, NetworkRole.LEAD)
    text = client.get(organisation.get_absolute_url()).text
    assert f'<a href="{network.get_absolute_url()}">CoNet</a>' in text
    assert "Lead partner" in text


def test_organisation_page_lists_relationships_both_ways_and_only_visible_ones(client, lab):
    organisation = make_organisation(name="Hub")
    giver = make_organisation(name="Funder Foundation")
    partner = make_organisation(name="Partner Association")
    hidden = make_organisation(name="Hidden Draft Org", lab=lab, state="draft")
    incoming = make_relationship(giver, organisation, kind="funding", direction="directed")
    outgoing = make_relationship(organisation, partner)
    make_relationship(organisation, hidden)
    draft = make_relationship(organisation, giver, kind="knowledge_exchange", lab=lab, state="draft")
    text = client.get(organisation.get_absolute_url()).text
    assert incoming.get_absolute_url() in text and outgoing.get_absolute_url() in text
    assert "To this organisation" in text
    assert "Hidden Draft Org" not in text
    assert draft.get_absolute_url() not in text


def test_organisation_page_lists_visible_practices_it_is_involved_in(client, lab):
    organisation = make_organisation()
    public = make_practice(title="Community Kitchen")
    draft = make_practice(title="Draft Garden", lab=lab, state="draft")
    PracticeOrganisation.objects.create(practice=public, organisation=organisation, role=OrganisationRole.HOST)
    PracticeOrganisation.objects.create(practice=draft, organisation=organisation)
    text = client.get(organisation.get_absolute_url()).text
    assert "Community Kitchen" in text and "(Host)" in text
    assert "Draft Garden" not in text


def test_organisation_page_names_the_labs_that_mapped_it_and_its_relationships(client, lab, other_lab):
    organisation = make_organisation(lab=lab)
    make_relationship(make_organisation(), organisation, lab=other_lab)
    text = client.get(organisation.get_absolute_url()).text
    assert f'href="{lab.get_absolute_url()}"' in text
    assert f'href="{other_lab.get_absolute_url()}"' in text


def test_organisation_page_links_to_the_graph_of_its_lab(client, lab):
    organisation = make_organisation(lab=lab)
    assert f"/en/networks/graph/?lab={lab.slug}" in client.get(organisation.get_absolute_url()).text


def test_organisation_page_offers_to_add_a_relationship_from_it(lab, member):
    organisation = make_organisation(lab=lab)
    text = client_for(member).get(organisation.get_absolute_url()).text
    assert f"/en/networks/relationships/new/?source={organisation.slug}" in text


# The form


def organisation_data(lab=None, **overrides) -> dict:
    data = {"name": "Casa Comune", "kind": "ngo", "sector": "civic", "size": "micro", "city": "Palermo",
            "country": "IT", "latitude": "38.12", "longitude": "13.36", "description": "A shared house."}  # fmt: skip
    if lab is not None:
        data["lab"] = lab.pk
    return data | overrides


def test_facilitator_adds_an_organisation_as_a_draft_of_their_lab(lab, facilitator):
    response = client_for(facilitator).post(NEW, organisation_data(lab, description_it="Una casa comune."))
    organisation = Organisation.objects.get(name="Casa Comune")
    assert response.status_code == 302
    assert (organisation.lab, organisation.state, organisation.created_by) == (lab, "draft", facilitator)
    assert organisation.descriptions == {"it": "Una casa comune."}
    assert LogEntry.objects.filter(lab=lab, subject="Casa Comune").exists()


def test_an_organisation_without_a_point_is_placed_at_its_city(lab, member):
    client_for(member).post(NEW, organisation_data(lab, latitude="", longitude="", city="Alba Iulia", country="RO"))
    location = Organisation.objects.get(name="Casa Comune").location
    assert location is not None and round(location.y) == 46 and round(location.x) == 24


def test_a_contributor_suggests_an_organisation_that_goes_to_review(contributor):
    client_for(contributor).post(NEW, organisation_data())
    organisation = Organisation.objects.get(name="Casa Comune")
    assert organisation.state == "submitted"
    assert organisation.is_suggestion


def test_a_bad_website_is_refused_at_its_field_in_italian(lab, member):
    response = client_for(member).post(
        NEW.replace("/en/", "/it/"), organisation_data(lab, website="not a url"), HTTP_ACCEPT_LANGUAGE="it"
    )
    assert response.status_code == 400
    assert "Inserisci un URL valido" in response.text
    assert not Organisation.objects.filter(name="Casa Comune").exists()


def test_a_member_edits_the_labs_organisation(lab, member):
    organisation = make_organisation(lab=lab, state="draft", name="Old Name")
    data = organisation_data(lab, name="New Name", version=organisation.version)
    client_for(member).post(f"/en/networks/organisations/{organisation.slug}/edit/", data)
    organisation.refresh_from_db()
    assert organisation.name == "New Name"


def test_a_member_may_not_move_an_organisation_to_another_lab(lab, other_lab, member):
    organisation = make_organisation(lab=lab, state="draft")
    data = organisation_data(version=organisation.version) | {"lab": other_lab.pk}
    response = client_for(member).post(f"/en/networks/organisations/{organisation.slug}/edit/", data)
    assert response.status_code == 400
    organisation.refresh_from_db()
    assert organisation.lab == lab


# Moderation


def test_member_submits_and_facilitator_publishes_the_organisation(lab, member, facilitator):
    organisation = make_organisation(lab=lab, state="draft")
    client_for(member).post(f"/en/networks/organisations/{organisation.slug}/submit/")
    organisation.refresh_from_db()
    assert organisation.state == "submitted"
    page = client_for(facilitator).get(organisation.get_absolute_url()).text
    assert f"/en/networks/organisations/{organisation.slug}/decide/" in page
    client_for(facilitator).post(
        f"/en/networks/organisations/{organisation.slug}/decide/",
        {"action": "publish", "reason": "", "version": organisation.version},
    )
    organisation.refresh_from_db()
    assert organisation.state == "published"


def test_a_member_may_not_publish_the_organisation(lab, member):
    organisation = make_organisation(lab=lab, state="submitted")
    response = client_for(member).post(
        f"/en/networks/organisations/{organisation.slug}/decide/", {"action": "publish", "version": 1}
    )
    assert response.status_code == 404
    organisation.refresh_from_db()
    assert organisation.state == "submitted"


def test_facilitator_archives_an_organisation_and_visitors_no_longer_see_it(client, lab, facilitator):
    organisation = make_organisation(lab=lab)
    client_for(facilitator).post(f"/en/networks/organisations/{organisation.slug}/archive/", {"reason": "closed"})
    assert client.get(organisation.get_absolute_url()).status_code == 404


def test_the_history_lists_each_saved_version(lab, member):
    organisation = make_organisation(lab=lab, state="draft", name="Old Name")
    data = organisation_data(lab, name="New Name", version=organisation.version)
    client_for(member).post(f"/en/networks/organisations/{organisation.slug}/edit/", data)
    text = client_for(member).get(f"/en/networks/organisations/{organisation.slug}/history/").text
    assert "History of New Name" in text
    assert "Name" in text


# People


def people_data(rows: list[dict], initial: int = 0) -> dict:
    data = {"people-TOTAL_FORMS": str(len(rows)), "people-INITIAL_FORMS": str(initial), "people-MIN_NUM_FORMS": "0",
            "people-MAX_NUM_FORMS": "1000"}  # fmt: skip
    for index, row in enumerate(rows):
        data |= {f"people-{index}-{key}": value for key, value in row.items()}
    return data


ANA = {"name": "Ana Popescu", "role": "coordinator", "email": "ana@example.org", "phone": "",
       "consent_date": "2025-03-01", "consent_note": "signed form"}  # fmt: skip


def test_member_names_a_person_with_recorded_consent(lab, member):
    organisation = make_organisation(lab=lab, state="draft")
    response = client_for(member).post(f"/en/networks/organisations/{organisation.slug}/people/", people_data([ANA]))
    assert response.status_code == 302
    assert organisation.people.get().email == "ana@example.org"


def test_a_person_without_a_consent_date_is_refused_in_italian(lab, member):
    organisation = make_organisation(lab=lab, state="draft")
    url = f"/it/networks/organisations/{organisation.slug}/people/"
    response = client_for(member).post(url, people_data([ANA | {"consent_date": ""}]))
    assert response.status_code == 400
    assert "Campo obbligatorio." in response.text
    assert not organisation.people.exists()


def test_member_removes_a_person(lab, member):
    organisation = make_organisation(lab=lab, state="draft")
    ana = person(organisation)
    row = {"id": ana.pk, "name": ana.name, "role": ana.role, "consent_date": "2025-03-01",
           "consent_note": "signed form", "DELETE": "on"}  # fmt: skip
    client_for(member).post(f"/en/networks/organisations/{organisation.slug}/people/", people_data([row], initial=1))
    assert not organisation.people.exists()


def test_another_labs_facilitator_cannot_reach_the_people_page(lab, outsider):
    organisation = make_organisation(lab=lab)
    person(organisation, email="ana@example.org")
    response = client_for(outsider).get(f"/en/networks/organisations/{organisation.slug}/people/")
    assert response.status_code == 404


def test_naming_people_on_a_published_organisation_by_a_member_sends_it_to_review(lab, member):
    organisation = make_organisation(lab=lab)
    client_for(member).post(f"/en/networks/organisations/{organisation.slug}/people/", people_data([ANA]))
    organisation.refresh_from_db()
    assert organisation.state == "submitted"


# The workspace


def test_the_lab_workspace_lists_organisations_and_relationships_awaiting_review(lab, facilitator):
    make_organisation(lab=lab, state="submitted", name="Waiting Org")
    make_relationship(make_organisation(name="Alpha"), make_organisation(name="Beta"), lab=lab, state="submitted")
    text = client_for(facilitator).get(f"/en/labs/{lab.slug}/workspace/").text
    assert "Waiting Org" in text
    assert "Alpha ↔ Beta" in text
