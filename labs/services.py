"""What facilitators and coordinators do to a Lab and its people: edit it, invite, accept, change roles, remove.

Each function is one transaction and writes its line in the Lab's activity log; forms and views only call them."""

import io
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image

from conect.images import decode_upload
from labs import tasks
from labs.models import (
    INVITATION_MAX_AGE,
    INVITATION_SALT,
    Invitation,
    Lab,
    LogAction,
    LogEntry,
    Membership,
    MembershipRole,
)
from labs.roles import Role, has_role

# --- The Lab itself ------------------------------------------------------------------------------------------------

COVER_MAX_BYTES = 5 * 1024 * 1024
COVER_SIDE = 1600


def clean_cover(upload) -> Image.Image:
    """The decoded cover image, or a translated ValidationError saying what is wrong with the file."""
    return decode_upload(upload, max_mb=COVER_MAX_BYTES // (1024 * 1024))


def _jpeg(image: Image.Image) -> bytes:
    """Re-encoded as a plain JPEG: no EXIF, no script, one content type to serve."""
    image = image.copy()
    image.thumbnail((COVER_SIDE, COVER_SIDE))
    rgba = image.convert("RGBA")
    clean = Image.new("RGB", image.size, "white")
    clean.paste(rgba, mask=rgba.split()[-1])
    buffer = io.BytesIO()
    clean.save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue()


def save_lab(lab: Lab, *, by, cover: Image.Image | None = None, remove_cover: bool = False) -> None:
    """Create or edit a Lab (already validated), its cover re-encoded, with a line in its log."""
    created = lab.pk is None
    with transaction.atomic():
        if remove_cover:
            lab.cover = ""
            lab.cover_description = ""
        if cover is not None:
            lab.cover.save("cover.jpg", ContentFile(_jpeg(cover)), save=False)
        lab.save()
        action = LogAction.CREATED if created else LogAction.EDITED
        LogEntry.objects.record(lab=lab, actor=by, action=action, subject=lab.name, url=lab.get_absolute_url())


# --- Invitations ---------------------------------------------------------------------------------------------------


class InvitationError(Exception):
    """Why an invitation link cannot be used (said in the reader's language)."""


def invite(*, lab: Lab, email: str, role: str, message: str, by, link_for, language: str) -> Invitation:
    """Invite `email` to `lab`; the e-mail is queued once the invitation is saved. `link_for(invitation)` gives the
    absolute link to put in it."""
    with transaction.atomic():
        invitation = Invitation.objects.create(lab=lab, email=email, role=role, message=message, invited_by=by)
        LogEntry.objects.record(lab=lab, actor=by, action=LogAction.INVITED, subject=email)
        email_args = {"invitation_id": invitation.pk, "link": link_for(invitation), "language": language}
        transaction.on_commit(partial(tasks.send_invitation_email.enqueue, **email_args))
    return invitation


def send_invitation_email(*, invitation_id: int, link: str, language: str) -> None:
    """Send the invitation (run by a worker), unless it was withdrawn or accepted meanwhile."""
    invitation = Invitation.objects.select_related("lab", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_pending:
        return
    with translation.override(language):
        subject = _("You are invited to join %(lab)s") % {"lab": invitation.lab.name}
        context = {
            "invitation": invitation,
            "link": link,
            "inviter": invitation.invited_by.public_name if invitation.invited_by else "",
            "days": INVITATION_MAX_AGE.days,
        }
        body = render_to_string("labs/email/invitation.txt", context)
    # Not silent: a failure is stored with the task's result (and logged) for the operators to see.
    send_mail(subject, body, None, [invitation.email])


def withdraw(*, invitation: Invitation, by) -> None:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_pending:
            raise InvitationError(_("This invitation was already accepted or withdrawn."))
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        LogEntry.objects.record(
            lab=invitation.lab_id, actor=by, action=LogAction.INVITATION_WITHDRAWN, subject=invitation.email
        )


def invitation_for(token: str, *, lock: bool = False) -> Invitation:
    """The pending invitation a link names, or InvitationError saying why it cannot be used."""
    signer = signing.TimestampSigner(salt=INVITATION_SALT)
    try:
        key = signer.unsign(token, max_age=INVITATION_MAX_AGE)
    except signing.SignatureExpired:
        raise InvitationError(
            _("This invitation has expired: ask the Lab's facilitators to send you a new one.")
        ) from None
    except signing.BadSignature:
        raise InvitationError(_("This invitation link is not valid: check that it was copied whole.")) from None
    rows = Invitation.objects.select_related("lab")
    invitation = (rows.select_for_update(of=("self",)) if lock else rows).filter(key=key).first()
    if invitation is None or invitation.revoked_at is not None:
        raise InvitationError(_("This invitation was withdrawn by the Lab's facilitators."))
    if invitation.accepted_at is not None:
        raise InvitationError(_("This invitation has already been used. Sign in to reach the Lab."))
    return invitation


def accept(*, token: str, user) -> Membership:
    """Use the invitation: `user` joins its Lab (keeping a higher role they already hold there). Single use."""
    with transaction.atomic():
        invitation = invitation_for(token, lock=True)
        check_account(invitation, user)
        membership = Membership.objects.filter(lab=invitation.lab, user=user).first()
        if membership is None:
            membership = Membership.objects.create(lab=invitation.lab, user=user, role=invitation.role)
        elif invitation.role == MembershipRole.FACILITATOR and membership.role != MembershipRole.FACILITATOR:
            membership.role = MembershipRole.FACILITATOR
            membership.save(update_fields=["role"])
        invitation.accepted_at, invitation.accepted_by = timezone.now(), user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        LogEntry.objects.record(
            lab=invitation.lab, actor=user, action=LogAction.JOINED, subject=membership.get_role_display()
        )
    return membership


def check_account(invitation: Invitation, user) -> None:
    """A link to facilitate a Lab (publish its content, manage its people) is used only by the account of the address
    it was sent to: forwarded or leaked, it would hand those rights to whoever opened it. A member's link may be
    accepted from any account, so people keep the address they already use."""
    if invitation.role != MembershipRole.FACILITATOR:
        return
    from allauth.account.models import EmailAddress

    if not EmailAddress.objects.filter(user=user, email__iexact=invitation.email, verified=True).exists():
        raise InvitationError(
            _("This invitation to facilitate %(lab)s was sent to %(email)s: sign in with that address to accept it.")
            % {"lab": invitation.lab.name, "email": invitation.email}
        )


def sign_up_and_accept(*, token: str, password: str, display_name: str = ""):
    """A new account for the invited address, verified since the link proved it, member of the Lab at once."""
    from allauth.account.models import EmailAddress

    with transaction.atomic():
        invitation = invitation_for(token, lock=True)
        if get_user_model().objects.filter(email__iexact=invitation.email).exists():
            raise InvitationError(_("An account with this e-mail address exists: sign in to accept the invitation."))
        user = get_user_model().objects.create_user(
            email=invitation.email, password=password, display_name=display_name
        )
        EmailAddress.objects.create(user=user, email=invitation.email, verified=True, primary=True)
        accept(token=token, user=user)
    return user


# --- Members -------------------------------------------------------------------------------------------------------


class MembershipError(Exception):
    """Why a change of members is refused (said in the reader's language)."""


def _check_not_last_facilitator(membership: Membership, *, by) -> None:
    """A Lab keeps a facilitator: its last one cannot leave that role (coordinators, above the Labs, may)."""
    if membership.role != MembershipRole.FACILITATOR or has_role(by, Role.COORDINATOR):
        return
    # Locked, so two facilitators stepping down at once cannot both pass.
    facilitators = list(
        Membership.objects.select_for_update()
        .filter(lab_id=membership.lab_id, role=MembershipRole.FACILITATOR)
        .values_list("pk", flat=True)
    )
    if facilitators == [membership.pk]:
        raise MembershipError(
            _("%(name)s is the Lab's last facilitator: make someone else a facilitator first.")
            % {"name": membership.user.public_name}
        )


def change_role(*, membership: Membership, role: str, by) -> None:
    if role not in MembershipRole.values:
        raise MembershipError(_("Choose member or facilitator."))
    with transaction.atomic():
        if role == membership.role:
            return
        if role == MembershipRole.MEMBER:
            _check_not_last_facilitator(membership, by=by)
        membership.role = role
        membership.save(update_fields=["role"])
        LogEntry.objects.record(
            lab=membership.lab_id,
            actor=by,
            action=LogAction.ROLE_CHANGED,
            subject=f"{membership.user.public_name} → {membership.get_role_display()}",
        )


def remove_member(*, membership: Membership, by) -> None:
    """Take a person out of the Lab. What they wrote stays with the Lab (rows point to the Lab, not to membership)."""
    with transaction.atomic():
        _check_not_last_facilitator(membership, by=by)
        name = membership.user.public_name
        membership.delete()
        LogEntry.objects.record(lab=membership.lab_id, actor=by, action=LogAction.MEMBER_REMOVED, subject=name)


def default_language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE
