"""Invitations (signed, single use, expiring), roles and removals: who may do them, and what they leave behind."""

import datetime
import re

import pytest
from django.core import mail
from django.core.signing import TimestampSigner
from django.test import Client
from django.utils import timezone

from labs.models import INVITATION_MAX_AGE, INVITATION_SALT, Invitation, LogAction, LogEntry, Membership
from tests.conftest import client_for
from tests.factories import make_member, make_practice, make_user

LINK = re.compile(r"http://testserver(/en/labs/invitations/[^/\s]+/)")


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what a request queues on commit (the e-mail task) when the request is over, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _invite(lab, by, email="nadia@example.org", role="member", language="en"):
    return client_for(by).post(f"/{language}/labs/{lab.slug}/workspace/invite/", {"email": email, "role": role})


def _link_in_mail() -> str:
    return LINK.search(mail.outbox[-1].body).group(1)


@pytest.fixture
def invitation(lab, facilitator, on_commit):
    with on_commit():
        _invite(lab, facilitator)
    return Invitation.objects.get(email="nadia@example.org")


def test_facilitator_invites_by_email_and_the_link_arrives(lab, facilitator, on_commit):
    with on_commit():
        response = _invite(lab, facilitator)
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["nadia@example.org"]
    assert lab.name in mail.outbox[-1].subject
    assert _link_in_mail().startswith("/en/labs/invitations/")


def test_the_invitation_email_is_written_in_the_language_of_the_page_that_sent_it(lab, facilitator, on_commit):
    with on_commit():
        _invite(lab, facilitator, language="it")
    assert "/it/labs/invitations/" in mail.outbox[-1].body


def test_no_email_leaves_before_the_invitation_is_committed(lab, facilitator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _invite(lab, facilitator)
    assert len(callbacks) == 1 and mail.outbox == []


@pytest.mark.parametrize(("who", "may"), [("visitor", False), ("outsider", False), ("member", False),
                                          ("facilitator", True), ("coordinator", True)])  # fmt: skip
def test_only_the_labs_facilitators_and_coordinators_invite(request, lab, who, may):
    user = None if who == "visitor" else request.getfixturevalue(who)
    response = client_for(user).post(
        f"/en/labs/{lab.slug}/workspace/invite/", {"email": "nadia@example.org", "role": "member"}
    )
    assert Invitation.objects.filter(email="nadia@example.org").exists() is may
    assert response.status_code == 302 if may or who == "visitor" else response.status_code == 404


def test_inviting_someone_already_in_the_lab_is_refused(lab, facilitator, member):
    _invite(lab, facilitator, email=member.email)
    assert not Invitation.objects.exists()


def test_a_visitor_creates_an_account_from_the_link_and_lands_in_the_workspace(lab, invitation):
    client = Client()
    url = invitation.get_absolute_url()
    page = client.get(url)
    assert page.status_code == 200 and "nadia@example.org" in page.text
    response = client.post(url, {"display_name": "Nadia", "password1": "Ballaro-2024!x", "password2": "Ballaro-2024!x"})
    assert response.status_code == 302
    assert response["Location"] == f"/en/labs/{lab.slug}/workspace/"
    user = Membership.objects.get(lab=lab, user__email="nadia@example.org").user
    assert user.emailaddress_set.get().verified
    assert client.get(response["Location"]).status_code == 200  # signed in


def test_a_signed_in_person_accepts_with_any_email(lab, invitation, contributor):
    response = client_for(contributor).post(invitation.get_absolute_url())
    assert response.status_code == 302
    assert Membership.objects.filter(lab=lab, user=contributor, role="member").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == contributor


def test_a_person_can_belong_to_several_labs(lab, other_lab, outsider, invitation):
    client_for(outsider).post(invitation.get_absolute_url())
    assert set(outsider.labs.all()) == {lab, other_lab}


def test_an_invitation_used_twice_changes_nothing_the_second_time(lab, invitation, contributor):
    url = invitation.get_absolute_url()
    client_for(contributor).post(url)
    someone = make_user()
    response = client_for(someone).post(url)
    assert response.status_code == 410
    assert "already been used" in response.text
    assert not Membership.objects.filter(user=someone).exists()


def test_an_expired_invitation_says_so_and_changes_nothing(lab, invitation, contributor, monkeypatch):
    url = invitation.get_absolute_url()
    import time

    later = time.time() + INVITATION_MAX_AGE.total_seconds() + 60
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    response = client_for(contributor).post(url)
    assert response.status_code == 410
    assert "expired" in response.text
    assert not Membership.objects.filter(user=contributor).exists()


def test_a_withdrawn_invitation_says_so_and_changes_nothing(lab, facilitator, invitation, contributor):
    client_for(facilitator).post(f"/en/labs/{lab.slug}/workspace/invitations/{invitation.pk}/withdraw/")
    response = client_for(contributor).post(invitation.get_absolute_url())
    assert response.status_code == 410
    assert "withdrawn" in response.text
    assert not Membership.objects.filter(user=contributor).exists()


def test_a_forged_link_is_refused(db, contributor, invitation):
    forged = TimestampSigner(salt="another salt").sign(invitation.key)
    response = client_for(contributor).get(f"/en/labs/invitations/{forged}/")
    assert response.status_code == 410
    assert "not valid" in response.text
    assert TimestampSigner(salt=INVITATION_SALT).sign(invitation.key) != forged


def test_signing_up_with_an_address_that_has_an_account_asks_to_sign_in(lab, facilitator, on_commit):
    existing = make_user(email="nadia@example.org")
    with on_commit():
        _invite(lab, facilitator)
    url = _link_in_mail()
    page = Client().get(url)
    assert "exists already" in page.text
    Client().post(url, {"password1": "Ballaro-2024!x", "password2": "Ballaro-2024!x"})
    assert not Membership.objects.filter(user=existing).exists()


def test_a_weak_password_is_refused_at_its_field_and_nothing_is_created(lab, invitation):
    response = Client().post(invitation.get_absolute_url(), {"password1": "123", "password2": "123"})
    assert response.status_code == 400
    assert not Membership.objects.filter(lab=lab, user__email="nadia@example.org").exists()


@pytest.mark.parametrize(("who", "may"), [("outsider", False), ("member", False), ("facilitator", True),
                                          ("coordinator", True)])  # fmt: skip
def test_only_facilitators_and_coordinators_change_roles(request, lab, member, who, may):
    user = request.getfixturevalue(who)
    membership = Membership.objects.get(lab=lab, user=member)
    client_for(user).post(f"/en/labs/{lab.slug}/workspace/members/{membership.pk}/role/", {"role": "facilitator"})
    membership.refresh_from_db()
    assert (membership.role == "facilitator") is may


@pytest.mark.parametrize(("who", "may"), [("outsider", False), ("member", False), ("facilitator", True),
                                          ("coordinator", True)])  # fmt: skip
def test_only_facilitators_and_coordinators_remove_members(request, lab, member, who, may):
    user = request.getfixturevalue(who)
    membership = Membership.objects.get(lab=lab, user=member)
    client_for(user).post(f"/en/labs/{lab.slug}/workspace/members/{membership.pk}/remove/")
    assert Membership.objects.filter(pk=membership.pk).exists() is not may


def test_the_last_facilitator_cannot_demote_themselves_and_is_told_why(lab, facilitator):
    membership = Membership.objects.get(lab=lab, user=facilitator)
    response = client_for(facilitator).post(
        f"/en/labs/{lab.slug}/workspace/members/{membership.pk}/role/", {"role": "member"}, follow=True
    )
    membership.refresh_from_db()
    assert membership.role == "facilitator"
    assert "last facilitator" in response.text


def test_the_last_facilitator_cannot_remove_themselves(lab, facilitator):
    membership = Membership.objects.get(lab=lab, user=facilitator)
    client_for(facilitator).post(f"/en/labs/{lab.slug}/workspace/members/{membership.pk}/remove/")
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_facilitator_steps_down_once_another_facilitates(lab, facilitator):
    make_member(lab, "facilitator")
    membership = Membership.objects.get(lab=lab, user=facilitator)
    client_for(facilitator).post(f"/en/labs/{lab.slug}/workspace/members/{membership.pk}/role/", {"role": "member"})
    membership.refresh_from_db()
    assert membership.role == "member"


def test_a_facilitator_cannot_touch_members_of_another_lab(lab, other_lab, facilitator):
    stranger = make_member(other_lab)
    membership = Membership.objects.get(lab=other_lab, user=stranger)
    response = client_for(facilitator).post(f"/en/labs/{lab.slug}/workspace/members/{membership.pk}/remove/")
    assert response.status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_removing_a_member_keeps_their_practices(lab, facilitator, member):
    practice = make_practice(lab=lab, created_by=member, title="Mara's garden")
    membership = Membership.objects.get(lab=lab, user=member)
    client_for(facilitator).post(f"/en/labs/{lab.slug}/workspace/members/{membership.pk}/remove/")
    assert not Membership.objects.filter(pk=membership.pk).exists()
    practice.refresh_from_db()
    assert practice.lab == lab and practice.created_by == member


def test_membership_changes_are_written_in_the_log(lab, facilitator, member, invitation, contributor):
    client_for(contributor).post(invitation.get_absolute_url())
    membership = Membership.objects.get(lab=lab, user=member)
    client_for(facilitator).post(f"/en/labs/{lab.slug}/workspace/members/{membership.pk}/remove/")
    actions = list(LogEntry.objects.filter(lab=lab).values_list("action", flat=True))
    assert set(actions) == {LogAction.INVITED, LogAction.JOINED, LogAction.MEMBER_REMOVED}


@pytest.mark.parametrize(("who", "may"), [("outsider", False), ("member", False), ("facilitator", True),
                                          ("coordinator", True)])  # fmt: skip
def test_only_facilitators_and_coordinators_withdraw_invitations(request, lab, invitation, who, may):
    user = request.getfixturevalue(who)
    client_for(user).post(f"/en/labs/{lab.slug}/workspace/invitations/{invitation.pk}/withdraw/")
    invitation.refresh_from_db()
    assert (invitation.revoked_at is not None) is may


def test_an_invitation_as_facilitator_makes_the_invitee_a_facilitator(lab, facilitator, member, on_commit):
    Membership.objects.filter(user=member).delete()
    with on_commit():
        _invite(lab, facilitator, email=member.email, role="facilitator")
    client_for(member).post(_link_in_mail())
    assert Membership.objects.get(lab=lab, user=member).role == "facilitator"


def test_the_acceptance_page_changes_nothing_on_get(lab, invitation, contributor):
    assert client_for(contributor).get(invitation.get_absolute_url()).status_code == 200
    assert not Membership.objects.filter(user=contributor).exists()


def test_an_expired_invitation_no_longer_blocks_inviting_again(lab, facilitator):
    old = Invitation.objects.create(lab=lab, email="late@example.org", invited_by=facilitator)
    Invitation.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - INVITATION_MAX_AGE - datetime.timedelta(hours=1)
    )
    response = client_for(facilitator).post(
        f"/en/labs/{lab.slug}/workspace/invite/", {"email": "late@example.org", "role": "member"}
    )
    assert response.status_code == 302
    assert Invitation.objects.filter(email="late@example.org").count() == 2


def test_a_facilitator_invitation_is_accepted_only_by_the_invited_address(lab, facilitator, contributor):
    invitation = Invitation.objects.create(lab=lab, email="new.facilitator@example.org", role="facilitator",
                                           invited_by=facilitator)  # fmt: skip
    response = client_for(contributor).post(invitation.get_absolute_url())
    assert "sign in with that address to accept it" in response.text
    assert not Membership.objects.filter(lab=lab, user=contributor).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_the_invited_address_accepts_a_facilitator_invitation(lab, facilitator):
    invitee = make_user(email="new.facilitator@example.org")
    invitation = Invitation.objects.create(lab=lab, email="New.Facilitator@example.org", role="facilitator",
                                           invited_by=facilitator)  # fmt: skip
    response = client_for(invitee).post(invitation.get_absolute_url())
    assert response.status_code == 302
    assert Membership.objects.get(lab=lab, user=invitee).role == "facilitator"
