import pytest

from labs.moderation import ModerationError, ModerationState
from practices.models import Practice
from tests.factories import make_practice

S = ModerationState


def test_a_submitted_practice_is_published_by_its_labs_facilitator(lab, member, facilitator):
    practice = make_practice(lab=lab, state=S.DRAFT, created_by=member)
    practice.submit(by=member)
    assert practice.can_moderate(facilitator)
    practice.publish(by=facilitator)
    practice.refresh_from_db()
    assert practice.state == S.PUBLISHED
    assert practice.state_changed_by == facilitator


def test_members_and_outsiders_cannot_moderate(lab, member, outsider, contributor):
    practice = make_practice(lab=lab, state=S.SUBMITTED)
    assert not practice.can_moderate(member)
    assert not practice.can_moderate(outsider)
    assert not practice.can_moderate(contributor)


def test_coordinators_moderate_practices_without_a_lab(coordinator, facilitator):
    practice = make_practice(lab=None, state=S.SUBMITTED)
    assert practice.can_moderate(coordinator)
    assert not practice.can_moderate(facilitator)


def test_rejecting_needs_a_reason(lab, facilitator):
    practice = make_practice(lab=lab, state=S.SUBMITTED)
    with pytest.raises(ModerationError):
        practice.reject(by=facilitator, reason="  ")
    practice.reject(by=facilitator, reason="Duplicate of the Ballarò garden")
    assert practice.state == S.REJECTED


def test_requesting_changes_sends_the_practice_back_to_draft_with_the_reason(lab, facilitator):
    practice = make_practice(lab=lab, state=S.SUBMITTED)
    practice.request_changes(by=facilitator, reason="Add the opening hours")
    practice.refresh_from_db()
    assert (practice.state, practice.state_reason) == (S.DRAFT, "Add the opening hours")


def test_a_draft_cannot_be_published_without_being_submitted(lab, facilitator):
    practice = make_practice(lab=lab, state=S.DRAFT)
    with pytest.raises(ModerationError, match="cannot become Published"):
        practice.publish(by=facilitator)


def test_archiving_keeps_the_practice_and_hides_it(lab, facilitator, client):
    practice = make_practice(lab=lab)
    practice.archive(by=facilitator, reason="The group has dissolved")
    assert Practice.objects.filter(pk=practice.pk).exists()
    assert client.get(practice.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("who", "editable"),
    [("contributor", False), ("outsider", False), ("member", True), ("facilitator", True), ("coordinator", True)],
)
def test_who_may_edit_a_labs_practice(request, lab, who, editable):
    practice = make_practice(lab=lab, state=S.DRAFT)
    user = request.getfixturevalue(who)
    assert Practice.objects.editable_by(user).filter(pk=practice.pk).exists() is editable


def test_a_contributor_edits_their_suggestion_only_while_it_is_a_draft(contributor):
    practice = make_practice(lab=None, state=S.DRAFT, created_by=contributor)
    assert Practice.objects.editable_by(contributor).filter(pk=practice.pk).exists()
    practice.submit(by=contributor)
    assert not Practice.objects.editable_by(contributor).filter(pk=practice.pk).exists()


def test_every_change_is_kept_in_the_history_with_its_author(lab, member):
    practice = make_practice(lab=lab, title="Mensa popolare")
    practice._history_user = member
    practice.title = "Mensa popolare di quartiere"
    practice.save()
    latest, first = practice.history.all()[:2]
    assert latest.history_user == member
    assert [change.field for change in latest.diff_against(first).changes] == ["title"]
    assert first.title == "Mensa popolare"
