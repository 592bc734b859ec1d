"""What the practices app adds to the Lab pages (labs knows no app above it): the Lab's practices for its public
page and map, and the person's drafts and the items awaiting review for its workspace."""

import math
from urllib.parse import urlencode

from django import template
from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils.translation import get_language

from conect.dbrouter import read_connection
from labs.models import Lab
from labs.moderation import ModerationState
from practices.models import Practice, PracticeTranslation, Space
from practices.tiles import FILTERED_AGGREGATE_MAX_ZOOM, GRID

register = template.Library()

LIST_SIZE = 50  # the rest is on the main map, filtered to the Lab


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


@register.simple_tag
def lab_map(lab) -> dict | None:
    """What static/js/lab_map.js needs to draw the Lab's published practices from the map's tiles filtered to the Lab
    (the cells precomputed per Lab up to zoom 6, practices/tiles.py), whatever their number: the tiles' address, the
    map's version and the extent of the Lab's practices; None when none of them is on the map.

    One query, on the precomputed cells (visitors' rows only: published, located), never on the practices; the
    extent is that of the Lab's cells at FILTERED_AGGREGATE_MAX_ZOOM (about a degree wide): it holds every practice."""
    with read_connection().cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT version FROM practices_mapversion WHERE id = 1), min(cx), min(cy), max(cx), max(cy)"
            " FROM practices_mapcellby WHERE layer = 0 AND dim = 'l' AND key = %s AND z = %s",
            [str(lab.pk), FILTERED_AGGREGATE_MAX_ZOOM],
        )
        version, x0, y0, x1, y1 = cursor.fetchone()
    if x0 is None:
        return None
    cells = GRID << FILTERED_AGGREGATE_MAX_ZOOM
    west = x0 / cells * 360 - 180
    east = (x1 + 1) / cells * 360 - 180
    north = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y0 / cells))))
    south = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * (y1 + 1) / cells))))
    return {
        "tileUrl": reverse("tile", kwargs={"layer": "practices", "z": 0, "x": 0, "y": 0}).replace(
            "/0/0/0.", "/{z}/{x}/{y}."
        ),
        "practiceUrl": reverse("practices:practice_detail", kwargs={"slug": "SLUG"}),
        "filters": urlencode({"lab": lab.slug}),
        "language": get_language(),
        "version": version or 0,
        "extent": [round(value, 6) for value in (west, south, east, north)],
    }


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
