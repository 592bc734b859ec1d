"""What the activities app adds to the Lab pages (labs knows no app above it): upcoming and past activities and the
people reached for the public page; the person's drafts and the activities awaiting review for the workspace."""

from collections import Counter

from django import template
from django.db.models import Count, F

from activities.models import Activity
from labs.models import Lab
from labs.moderation import ModerationState

register = template.Library()

PAST_SIZE = 20


@register.simple_tag(takes_context=True)
def with_activity_counts(context, labs) -> list:
    """The Labs, each with `activity_count`: its published activities, own or shared (two queries for all of them)."""
    labs = [labs] if isinstance(labs, Lab) else list(labs)  # one Lab (its page) or many (the list)
    published = Activity.objects.visible_to(context["request"].user).published()
    counts = Counter(
        dict(published.filter(lab__in=labs).order_by().values("lab").annotate(n=Count("pk")).values_list("lab", "n"))
    )
    shared = Activity.other_labs.through.objects.filter(lab__in=labs, activity__in=published).exclude(
        activity__lab=F("lab")
    )
    counts.update(dict(shared.order_by().values("lab").annotate(n=Count("pk")).values_list("lab", "n")))
    for lab in labs:
        lab.activity_count = counts.get(lab.pk, 0)
    return labs


@register.simple_tag(takes_context=True)
def lab_activities(context, lab) -> dict:
    """The Lab's published activities, its own and those it takes part in: upcoming (all), past (the latest), and the
    people its closed activities reached (totals only, never who came)."""
    published = Activity.objects.visible_to(context["request"].user).published().of_lab(lab).select_related("lab")
    return {
        "upcoming": list(published.upcoming()),
        "past": list(published.past()[:PAST_SIZE]),
        # Logged without a date (older records): shown with the past ones, after them.
        "undated": list(published.filter(starts_at__isnull=True, ends_at__isnull=True).order_by("title")),
        "people_reached": Activity.objects.published().filter(pk__in=published.values("pk")).people_reached(),
    }


@register.simple_tag(takes_context=True)
def my_lab_activities(context, lab) -> list:
    """The person's own activities in the Lab that are not public yet, latest first."""
    user = context["request"].user
    return list(
        Activity.objects.visible_to(user)
        .filter(lab=lab, created_by=user)
        .exclude(state__in=[ModerationState.PUBLISHED, ModerationState.ARCHIVED])
        .order_by("-updated_at")
    )


@register.simple_tag(takes_context=True)
def lab_activities_in_review(context, lab) -> list:
    """The Lab's activities submitted for review, oldest first."""
    return list(
        Activity.objects.visible_to(context["request"].user)
        .filter(lab=lab, state=ModerationState.SUBMITTED)
        .order_by("state_changed_at")
    )
