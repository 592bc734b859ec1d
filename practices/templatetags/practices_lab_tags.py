"""What the practices app adds to the Lab pages (labs knows no app above it): the Lab's practices for its public
page and map, and the person's drafts and the items awaiting review for its workspace."""

from django import template
from django.db.models import Count, Prefetch
from django.urls import reverse

from labs.models import Lab
from labs.moderation import ModerationState
from practices.models import Practice, PracticeTranslation, Space

register = template.Library()

LIST_SIZE = 50  # the rest is on the main map, filtered to the Lab
MAP_SIZE = 5000


@register.simple_tag(takes_context=True)
def with_practice_counts(context, labs) -> list:
    """The Labs, each with `practice_count`: its published practices (one query for all of them)."""
    labs = [labs] if isinstance(labs, Lab) else list(labs)  # one Lab (its page) or many (the list)
    counts = dict(
        Practice.objects.visible_to(context["request"].user)
        .published()
        .filter(lab__in=labs)
        .order_by()
        .values("lab")
        .annotate(n=Count("pk"))
        .values_list("lab", "n")
    )
    for lab in labs:
        lab.practice_count = counts.get(lab.pk, 0)
    return labs


@register.simple_tag(takes_context=True)
def lab_practices(context, lab, limit: int = LIST_SIZE):
    """The Lab's published practices, by title, for the list on its page (each in the reader's language)."""
    return list(
        Practice.objects.visible_to(context["request"].user)
        .published()
        .filter(lab=lab)
        .select_related("primary_theme")
        .prefetch_related(Prefetch("translations", queryset=PracticeTranslation.objects.all()))
        .order_by("title", "pk")[:limit]
    )


@register.simple_tag(takes_context=True)
def lab_practice_points(context, lab) -> list[dict]:
    """The Lab's published practices as points for its small map (read by the page's script through json_script)."""
    rows = (
        Practice.objects.visible_to(context["request"].user)
        .published()
        .filter(lab=lab, location__isnull=False)
        .select_related("primary_theme")
        .only("slug", "title", "location", "primary_theme__colour")
        .order_by("title", "pk")[:MAP_SIZE]
    )
    return [
        {
            "lat": round(row.location.y, 6),
            "lng": round(row.location.x, 6),
            "title": row.title,
            "url": row.get_absolute_url(),
            "colour": row.primary_theme.colour if row.primary_theme else None,
        }
        for row in rows
    ]


def _unpublished(model, user, lab):
    return (
        model.objects.visible_to(user)
        .filter(lab=lab, created_by=user)
        .exclude(state__in=[ModerationState.PUBLISHED, ModerationState.ARCHIVED])
        .order_by("-updated_at")
    )


@register.simple_tag(takes_context=True)
def my_lab_practices(context, lab) -> list:
    """The person's own practices and spaces in the Lab that are not public yet, latest first."""
    user = context["request"].user
    items = [*_unpublished(Practice, user, lab), *_unpublished(Space, user, lab)]
    return sorted(items, key=lambda item: item.updated_at, reverse=True)


@register.simple_tag(takes_context=True)
def lab_practices_in_review(context, lab) -> list:
    """The Lab's practices and spaces submitted for review, oldest first (decided in the moderation queue)."""
    user = context["request"].user
    waiting = [
        *Practice.objects.visible_to(user).filter(lab=lab, state=ModerationState.SUBMITTED),
        *Space.objects.visible_to(user).filter(lab=lab, state=ModerationState.SUBMITTED),
    ]
    return sorted(waiting, key=lambda item: (item.state_changed_at is None, item.state_changed_at))


@register.simple_tag
def edit_url(item) -> str:
    """The edit page of a practice or a space."""
    name = "practices:practice_edit" if isinstance(item, Practice) else "practices:space_edit"
    return reverse(name, kwargs={"slug": item.slug})
