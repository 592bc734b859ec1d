"""The role ladder for every page of organisations, relationships, people and involvement: a draft of Lab A stays
inside Lab A (404 elsewhere, like something missing) until a facilitator publishes it."""

import datetime

import pytest

from labs.models import MembershipRole
from networks.models import OrganisationPerson, PracticeOrganisation
from tests.conftest import client_for
from tests.factories import make_member, make_organisation, make_practice, make_relationship

LADDER = ["visitor", "contributor", "other_member", "outsider", "member", "facilitator", "coordinator"]
INSIDE = {"member", "facilitator", "coordinator"}  # Lab A's people and the coordinators
MODERATORS = {"facilitator", "coordinator"}


def name_ana(organisation) -> OrganisationPerson:
    return OrganisationPerson.objects.create(
        organisation=organisation, name="Ana", role="chair", email="ana@example.org", phone="+40 1",
        consent_date=datetime.date(2025, 1, 1), consent_note="signed",
    )  # fmt: skip


@pytest.fixture
def other_member(other_lab):
    return make_member(other_lab, MembershipRole.MEMBER, display_name="Olga Other")


@pytest.fixture
def user_as(request):
    def user(who: str):
        return None if who == "visitor" else request.getfixturevalue(who)

    return user


@pytest.fixture
def draft(lab):
    organisation = make_organisation(name="Draft Org", lab=lab, state="draft")
    name_ana(organisation)
    return organisation


@pytest.fixture
def draft_relationship(lab):
    return make_relationship(make_organisation(), make_organisation(), lab=lab, state="draft")


@pytest.mark.parametrize("who", LADDER)
def test_a_labs_draft_organisation_is_seen_only_inside_the_lab(user_as, draft, who):
    response = client_for(user_as(who)).get(draft.get_absolute_url())
    assert response.status_code == (200 if who in INSIDE else 404)


@pytest.mark.parametrize("who", LADDER)
def test_a_labs_draft_relationship_is_seen_only_inside_the_lab(user_as, draft_relationship, who):
    response = client_for(user_as(who)).get(draft_relationship.get_absolute_url())
    assert response.status_code == (200 if who in INSIDE else 404)


@pytest.mark.parametrize("who", LADDER)
def test_only_the_labs_people_edit_its_organisation(user_as, draft, who):
    response = client_for(user_as(who)).get(f"/en/networks/organisations/{draft.slug}/edit/")
    expected = 200 if who in INSIDE else (302 if who == "visitor" else 404)
    assert response.status_code == expected


@pytest.mark.parametrize("who", LADDER)
def test_only_the_labs_people_edit_its_relationship(user_as, draft_relationship, who):
    response = client_for(user_as(who)).get(f"/en/networks/relationships/{draft_relationship.pk}/edit/")
    expected = 200 if who in INSIDE else (302 if who == "visitor" else 404)
    assert response.status_code == expected


@pytest.mark.parametrize("who", LADDER)
def test_only_the_labs_people_see_the_people_page_and_contacts(user_as, draft, who):
    response = client_for(user_as(who)).get(f"/en/networks/organisations/{draft.slug}/people/")
    expected = 200 if who in INSIDE else (302 if who == "visitor" else 404)
    assert response.status_code == expected
    assert ("ana@example.org" in response.text) == (who in INSIDE)


@pytest.mark.parametrize("who", LADDER)
def test_a_published_organisations_contacts_are_never_on_its_public_page(user_as, lab, who):
    organisation = make_organisation(lab=lab)
    name_ana(organisation)
    text = client_for(user_as(who)).get(organisation.get_absolute_url()).text
    assert "Ana, chair" in text
    assert ("ana@example.org" in text) == (who in INSIDE)


@pytest.mark.parametrize("who", LADDER)
def test_only_the_labs_moderators_publish_its_organisation(user_as, lab, who):
    organisation = make_organisation(lab=lab, state="submitted")
    client = client_for(user_as(who))
    client.post(f"/en/networks/organisations/{organisation.slug}/decide/", {"action": "publish", "version": 1})
    organisation.refresh_from_db()
    assert (organisation.state == "published") == (who in MODERATORS)


@pytest.mark.parametrize("who", LADDER)
def test_only_the_labs_moderators_archive_its_relationship(user_as, lab, who):
    relationship = make_relationship(make_organisation(), make_organisation(), lab=lab)
    client_for(user_as(who)).post(f"/en/networks/relationships/{relationship.pk}/archive/", {"reason": "gone"})
    relationship.refresh_from_db()
    assert (relationship.state == "archived") == (who in MODERATORS)


@pytest.mark.parametrize("who", LADDER)
def test_the_history_is_for_the_labs_people_only(user_as, draft, who):
    response = client_for(user_as(who)).get(f"/en/networks/organisations/{draft.slug}/history/")
    expected = 200 if who in INSIDE else (302 if who == "visitor" else 404)
    assert response.status_code == expected


@pytest.mark.parametrize("who", LADDER)
def test_only_the_practices_editors_edit_its_organisations(user_as, lab, who):
    practice = make_practice(lab=lab)
    response = client_for(user_as(who)).get(f"/en/networks/practice/{practice.slug}/organisations/")
    expected = 200 if who in INSIDE else (302 if who == "visitor" else 404)
    assert response.status_code == expected


def involvement_data(rows: list[tuple], initial: int = 0) -> dict:
    data = {"involved-TOTAL_FORMS": str(len(rows)), "involved-INITIAL_FORMS": str(initial),
            "involved-MIN_NUM_FORMS": "0", "involved-MAX_NUM_FORMS": "1000"}  # fmt: skip
    for index, (organisation, role) in enumerate(rows):
        data |= {f"involved-{index}-organisation": organisation.pk, f"involved-{index}-role": role}
    return data


def test_a_practice_editor_records_the_organisations_involved(client, lab, member):
    practice = make_practice(lab=lab, state="draft")
    host = make_organisation(name="Host Org")
    response = client_for(member).post(
        f"/en/networks/practice/{practice.slug}/organisations/", involvement_data([(host, "host")])
    )
    assert response.status_code == 302
    assert PracticeOrganisation.objects.get(practice=practice).organisation == host


def test_an_outsider_cannot_record_organisations_involved_in_another_labs_practice(lab, outsider):
    practice = make_practice(lab=lab)
    client_for(outsider).post(
        f"/en/networks/practice/{practice.slug}/organisations/", involvement_data([(make_organisation(), "host")])
    )
    assert not PracticeOrganisation.objects.exists()


def test_an_organisation_one_may_not_see_cannot_be_involved(lab, other_lab, outsider):
    practice = make_practice(lab=other_lab, state="draft")
    hidden = make_organisation(lab=lab, state="draft")
    response = client_for(outsider).post(
        f"/en/networks/practice/{practice.slug}/organisations/", involvement_data([(hidden, "host")])
    )
    assert response.status_code == 400
    assert not PracticeOrganisation.objects.exists()


def test_the_practice_page_shows_only_visible_organisations_involved_with_links(client, lab):
    practice = make_practice()
    public = make_organisation(name="Public Partner")
    hidden = make_organisation(name="Hidden Partner", lab=lab, state="draft")
    PracticeOrganisation.objects.create(practice=practice, organisation=public, role="partner")
    PracticeOrganisation.objects.create(practice=practice, organisation=hidden, role="partner")
    text = client.get(practice.get_absolute_url()).text
    assert f'<a href="{public.get_absolute_url()}">Public Partner</a>' in text
    assert "Hidden Partner" not in text
    assert "Edit organisations involved" not in text


def test_the_practice_page_offers_its_editors_to_edit_the_organisations_involved(lab, member):
    practice = make_practice(lab=lab)
    text = client_for(member).get(practice.get_absolute_url()).text
    assert f"/en/networks/practice/{practice.slug}/organisations/" in text


def test_editing_keeps_involvements_of_organisations_the_editor_cannot_see(lab, other_lab, outsider, facilitator):
    practice = make_practice(lab=other_lab, state="draft")
    hidden = make_organisation(lab=lab, state="draft")
    PracticeOrganisation.objects.create(practice=practice, organisation=hidden, role="funder")
    client_for(outsider).post(
        f"/en/networks/practice/{practice.slug}/organisations/", involvement_data([(make_organisation(), "host")])
    )
    assert set(PracticeOrganisation.objects.values_list("role", flat=True)) == {"funder", "host"}
