"""The steps of moderation as the pages take them, for every moderated model (practices, spaces, activities, library
resources): submit, decide and archive, each saying in a message what happened. The views find the item through its
access path and choose where to go next; what each step may do is the model's (labs.moderation)."""

from django.contrib import messages
from django.utils.translation import gettext as _

from conect.versioning import EditConflict
from labs.moderation import Moderated, ModerationError
from practices import services


def submit(request, item: Moderated) -> None:
    item._history_user = request.user
    try:
        item.submit(by=request.user)
    except ModerationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Submitted: the Lab's facilitators will review it."))


def decide(request, item: Moderated, data: dict) -> None:
    """Publish, reject or ask for changes (`data`: a valid ModerationForm's cleaned data); the author is told."""
    item._history_user = request.user
    try:
        services.decide(item, action=data["action"], by=request.user, reason=data["reason"], request=request,
                        version=data["version"])  # fmt: skip
    except ModerationError as error:
        messages.error(request, str(error))
    except EditConflict:
        messages.error(
            request, _("%(title)s changed since you read it: read it again before deciding.") % {"title": item}
        )
    else:
        messages.success(
            request, _("Done: %(title)s is now %(state)s.") % {"title": item, "state": item.get_state_display()}
        )


def history_rows(item: Moderated, restore_url) -> list[dict]:
    """The item's last 100 versions, newest first, each with what it changed (named as the reader calls it), why, and
    where to post to restore it (`restore_url(history_id)`)."""
    records = list(item.history.select_related("history_user").order_by("-history_date", "-history_id")[:100])
    rows = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        # Many-to-many changes are left out of the list: diffing them costs queries for every version.
        m2m = [field.name for field in newer._history_m2m_fields]
        changes = newer.diff_against(older, excluded_fields=m2m).changes if older else []
        rows.append({
            "record": newer,
            "changes": item.change_labels(changes),
            "reason": item.change_reason_label(newer.history_change_reason or ""),
            "restore_url": restore_url(newer.history_id),
        })  # fmt: skip
    return rows


def archive(request, item: Moderated) -> None:
    """Archive instead of delete: the row stays, with its history, out of every public view."""
    item._history_user = request.user
    try:
        item.archive(by=request.user, reason=request.POST.get("reason", "")[:1000])
    except ModerationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Archived: it is no longer public, and nothing is lost."))
