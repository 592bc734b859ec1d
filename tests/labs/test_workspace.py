"""A Lab's workspace: the person's own drafts, what awaits review, members and invitations, for its people only."""

import pytest

from labs.models import Invitation, LogAction, LogEntry
from tests.conftest import client_for
from tests.factories import make_activity, make_lab, make_member, make_organisation, make_practice, make_relationship


def _workspace(user, lab):
    return client_for(user).get(f"/en/labs/{lab.slug}/workspace/")


def test_a_member_sees_their_own_drafts_with_state_and_edit_link(lab, member):
    practice = make_practice(lab=lab, created_by=member, title="My draft garden", state="draft")
    text = _workspace(member, lab).text
    assert "My draft garden" in text and "Draft" in text
    assert f"/en/practices/{practice.slug}/edit/" in text


def test_a_member_does_not_see_others_drafts_among_theirs(lab, member, facilitator):
    make_practice(lab=lab, created_by=facilitator, title="Someone else's draft", state="draft")
    text = _workspace(member, lab).text
    mine = text.split('id="mine-title"')[1].split('id="review-title"')[0]
    assert "Someone else's draft" not in mine


def test_published_items_are_not_among_the_drafts(lab, member):
    make_practice(lab=lab, created_by=member, title="Out there", state="published")
    mine = _workspace(member, lab).text.split('id="mine-title"')[1].split('id="review-title"')[0]
    assert "Out there" not in mine


def test_own_activities_awaiting_review_are_listed(lab, member):
    make_activity(lab=lab, created_by=member, title="Residency plan", state="submitted")
    text = _workspace(member, lab).text
    assert text.count("Residency plan") == 2  # among mine, and in the queue


def test_the_queue_lists_what_awaits_review_and_links_the_moderation_page_for_facilitators(lab, member, facilitator):
    make_practice(lab=lab, created_by=member, title="Waiting garden", state="submitted")
    assert "Waiting garden" in _workspace(member, lab).text
    assert "/en/moderation/" in _workspace(facilitator, lab).text
    assert "Decide in the moderation queue" not in _workspace(member, lab).text


@pytest.mark.parametrize(("who", "manages"), [("member", False), ("facilitator", True), ("coordinator", True)])
def test_only_facilitators_and_coordinators_see_the_invitations(request, lab, who, manages):
    Invitation.objects.create(lab=lab, email="pending@example.org")
    text = _workspace(request.getfixturevalue(who), lab).text
    assert ("pending@example.org" in text) is manages
    assert ("Send the invitation" in text) is manages


def test_a_member_of_another_lab_gets_404(lab, outsider):
    assert _workspace(outsider, lab).status_code == 404


def test_my_labs_goes_straight_to_the_only_workspace(lab, member):
    response = client_for(member).get("/en/labs/mine/")
    assert response["Location"] == f"/en/labs/{lab.slug}/workspace/"


def test_my_labs_lists_several_workspaces(lab, other_lab, member):
    other_lab.add_member(member)
    text = client_for(member).get("/en/labs/mine/").text
    assert f"/en/labs/{lab.slug}/workspace/" in text and f"/en/labs/{other_lab.slug}/workspace/" in text


def test_my_labs_says_when_the_person_is_in_none(contributor):
    assert "not a member of any Lab yet" in client_for(contributor).get("/en/labs/mine/").text


@pytest.mark.parametrize("rows", [1, 50])
def test_the_workspace_runs_the_same_queries_for_1_or_50_rows(db, django_assert_num_queries, rows):
    lab = make_lab()
    facilitator = make_member(lab, "facilitator")
    for n in range(rows):
        person = make_member(lab)
        make_practice(lab=lab, created_by=facilitator, state="draft")
        make_practice(lab=lab, created_by=person, state="submitted")
        make_activity(lab=lab, created_by=facilitator, state="draft")
        ends = make_organisation(lab=lab, created_by=person, state="submitted"), make_organisation()
        make_relationship(*ends, lab=lab, created_by=facilitator, state="draft")
        Invitation.objects.create(lab=lab, email=f"p{n}@example.org", invited_by=facilitator)
        LogEntry.objects.record(lab=lab, actor=person, action=LogAction.EDITED, subject="x")
    client = client_for(facilitator)
    client.get(f"/en/labs/{lab.slug}/workspace/")
    with django_assert_num_queries(21):
        assert client.get(f"/en/labs/{lab.slug}/workspace/").status_code == 200


def test_a_member_does_not_see_invitees_addresses_in_the_activity_log(client, lab, facilitator, member):
    client_for(facilitator).post(
        f"/en/labs/{lab.slug}/workspace/invite/", {"email": "newcomer@example.org", "role": "member"}
    )
    assert "newcomer@example.org" in client_for(facilitator).get(f"/en/labs/{lab.slug}/workspace/").text
    assert "newcomer@example.org" not in client_for(member).get(f"/en/labs/{lab.slug}/workspace/").text
