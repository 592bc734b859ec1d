"""Write logic that spans models or talks to the outside: suggestions and moderation decisions with their e-mails."""

from django.contrib.gis.db.models.functions import Area
from django.contrib.gis.geos import Point
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from labs.models import Lab
from labs.moderation import Moderated, ModerationState


def lab_for_point(point: Point | None) -> Lab | None:
    """The Lab whose territory contains the point, if any (the smallest one when territories overlap)."""
    if point is None:
        return None
    return Lab.objects.filter(territory__contains=point).annotate(size=Area("territory")).order_by("size").first()


def review_if_needed(item: Moderated, *, by) -> bool:
    """A published item edited by someone who may not publish goes back to review (not live at once): True then."""
    if item.pk and item.state == ModerationState.PUBLISHED and not item.can_moderate(by):
        item.state = ModerationState.SUBMITTED
        item.state_reason = ""
        return True
    return False


@transaction.atomic
def suggest(item: Moderated, *, by) -> Moderated:
    """A contributor's suggestion: straight into the moderation queue of the Lab where it lies, or the coordinators'."""
    item.lab = lab_for_point(getattr(item, "location", None))
    item.created_by = by
    item.state = ModerationState.DRAFT
    item.save()
    item.submit(by=by)
    return item


@transaction.atomic
def decide(item: Moderated, *, action: str, by, reason: str = "", request=None) -> None:
    """Publish, reject or ask for changes, and tell the author by e-mail."""
    if action == "publish":
        item.publish(by=by)
    elif action == "reject":
        item.reject(by=by, reason=reason)
    elif action == "request_changes":
        item.request_changes(by=by, reason=reason)
    else:
        raise ValueError(action)
    author = item.created_by
    if author is None or not author.email or author == by:
        return
    context = {"item": item, "action": action, "reason": reason, "moderator": by, "request": request}
    link = request.build_absolute_uri(item.get_absolute_url()) if request else item.get_absolute_url()
    context["link"] = link
    subject = {
        "publish": _("Published: %(title)s"),
        "reject": _("Not published: %(title)s"),
        "request_changes": _("Changes asked for: %(title)s"),
    }[action] % {"title": str(item)}
    transaction.on_commit(
        lambda: send_mail(
            subject, render_to_string("practices/email/decision.txt", context), None, [author.email], fail_silently=True
        )
    )
