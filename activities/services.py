"""Registrations: one write path for the pages and the API. Places are counted with the activity's row locked, so two
people registering at once never both take the last place; every e-mail goes out on the task queue once saved."""

from functools import partial

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from activities import tasks
from activities.models import Activity, Registration, RegistrationStatus

CANCEL_SALT = "activities.registration.cancel"


def register(activity: Activity, *, name: str, email: str, user=None, base_url: str = "") -> Registration:
    """Take a place, or a place on the waiting list when the activity is full. ValidationError (at the field) when
    registration is closed or the e-mail address is already registered."""
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if not activity.accepts_registrations:
            raise ValidationError(_("Registration is closed for this activity."), code="closed")
        if activity.registrations.active().filter(email__iexact=email).exists():
            raise ValidationError(
                {"email": _("This e-mail address is already registered for this activity.")}, code="twice"
            )
        confirmed = activity.registrations.confirmed().count()
        # Whoever waits goes first: a newcomer never takes a place ahead of the waiting list.
        full = activity.registrations.waiting().exists() or (
            activity.capacity is not None and confirmed >= activity.capacity
        )
        registration = Registration.objects.create(
            activity=activity,
            user=user if user is not None and user.is_authenticated else None,
            name=name,
            email=email,
            status=RegistrationStatus.WAITING if full else RegistrationStatus.CONFIRMED,
            language=_language(),
        )
        _tell(registration, "waiting" if full else "confirmed", base_url)
    return registration


def cancel(registration: Registration, *, base_url: str = "") -> bool:
    """Cancel a registration; a freed place goes to the first on the waiting list, who is told. False when it was
    cancelled already (a link used twice)."""
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=registration.activity_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            return False
        freed = registration.status == RegistrationStatus.CONFIRMED
        registration.status = RegistrationStatus.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        _tell(registration, "cancelled", base_url)
        if freed:
            fill_places(activity, base_url=base_url)
    return True


def fill_places_of(activity: Activity, *, base_url: str = "") -> list[Registration]:
    """After an edit (more places, or no limit any more): move people up from the waiting list, row locked."""
    with transaction.atomic():
        return fill_places(Activity.objects.select_for_update().get(pk=activity.pk), base_url=base_url)


def fill_places(activity: Activity, *, base_url: str = "") -> list[Registration]:
    """Move people up from the waiting list while there are places (call it with the activity's row locked)."""
    moved = []
    if activity.is_past:
        return moved  # nobody moves up to a place at something that is over
    confirmed = activity.registrations.confirmed().count()
    free = None if activity.capacity is None else activity.capacity - confirmed
    waiting = activity.registrations.waiting().select_for_update()
    for registration in waiting if free is None else waiting[: max(free, 0)]:
        registration.status = RegistrationStatus.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
        _tell(registration, "moved_up", base_url)
        moved.append(registration)
    return moved


def cancel_token(registration: Registration) -> str:
    return signing.dumps(registration.pk, salt=CANCEL_SALT)


def registration_for_token(token: str) -> Registration | None:
    """The registration a cancellation link names, or None when the link was altered."""
    try:
        pk = signing.loads(token, salt=CANCEL_SALT)
    except signing.BadSignature:
        return None
    return Registration.objects.select_related("activity").filter(pk=pk).first()


def _language() -> str:
    return get_language() or settings.LANGUAGE_CODE


def _tell(registration: Registration, kind: str, base_url: str) -> None:
    transaction.on_commit(
        partial(tasks.send_registration_email.enqueue, registration_id=registration.pk, kind=kind, base_url=base_url)
    )


def send_registration_email(*, registration_id: int, kind: str, base_url: str) -> None:
    """Tell a registrant what happened to their place, in the language they registered in (run by a worker)."""
    registration = Registration.objects.select_related("activity").filter(pk=registration_id).first()
    if registration is None:
        return
    activity = registration.activity
    with translation.override(registration.language or settings.LANGUAGE_CODE):
        subject = {
            "confirmed": _("Your place at %(title)s"),
            "waiting": _("On the waiting list for %(title)s"),
            "moved_up": _("A place is yours at %(title)s"),
            "cancelled": _("Registration cancelled: %(title)s"),
        }[kind] % {"title": activity.title}
        context = {
            "registration": registration,
            "activity": activity,
            "kind": kind,
            "link": base_url + activity.get_absolute_url(),
            "cancel_link": base_url + reverse("activities:cancel_link", kwargs={"token": cancel_token(registration)}),
        }
        body = render_to_string("activities/email/registration.txt", context)
    send_mail(subject, body, None, [registration.email])
