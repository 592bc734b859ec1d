"""Murmurations public profiles (organizations_schema-v1.0.0) of published practices and organisations.

The Murmurations index reads a profile from its address and revalidates it whenever it is asked to: each published
practice and organisation has one at a stable address, linked from its page (<link rel="alternate">). Nothing else
is ever shown: a draft, a submission or an archived row answers 404, like a missing one."""

from datetime import UTC, datetime, time

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_safe

from networks.models import Organisation
from practices.models import Practice
from practices.vocabularies import PracticeStatus

SCHEMA = "organizations_schema-v1.0.0"
NAME_MAX = 200  # the schema's maxLength
TAG_MAX = 100
STATUS = {PracticeStatus.ACTIVE: "active", PracticeStatus.PAUSED: "on_hold", PracticeStatus.ENDED: "completed"}


@require_safe
def practice_profile(request: HttpRequest, slug: str) -> JsonResponse:
    practices = Practice.objects.visible_to(AnonymousUser()).select_related("lab").prefetch_related("themes", "images")
    practice = get_object_or_404(practices, slug=slug)
    page = request.build_absolute_uri(practice.get_absolute_url())
    images = sorted(practice.images.all(), key=lambda image: image.pk)
    profile = {
        "linked_schemas": [SCHEMA],
        "name": practice.title[:NAME_MAX],
        # The group's own website is its definitive address (the index merges what other sites say of it).
        "primary_url": practice.website or page,
        "tags": _tags(theme.name for theme in practice.themes.all()),
        "urls": _urls(("CoNECT", page), (practice.lab.name if practice.lab_id else "", _lab_url(request, practice))),
        "description": practice.summary or practice.description,
        "status": STATUS.get(practice.status),
        "country_iso_3166": practice.country.code,
        "locality": practice.city,
        "geolocation": _geolocation(practice.location),
        "starts_at": _timestamp(practice.start_date),
        "ends_at": _timestamp(practice.end_date),
        "image": request.build_absolute_uri(reverse("photo", args=[images[0].pk, "full"])) if images else None,
    }
    return _answer(profile)


@require_safe
def organisation_profile(request: HttpRequest, slug: str) -> JsonResponse:
    organisations = Organisation.objects.visible_to(AnonymousUser()).select_related("lab")
    organisation = get_object_or_404(organisations, slug=slug)
    page = request.build_absolute_uri(organisation.get_absolute_url())
    profile = {
        "linked_schemas": [SCHEMA],
        "name": organisation.name[:NAME_MAX],
        "primary_url": organisation.website or page,
        "tags": _tags([organisation.get_kind_display(), organisation.get_sector_display()]),
        "urls": _urls(("CoNECT", page)),
        "description": organisation.localised_description.text,
        "country_iso_3166": organisation.country.code or None,
        "locality": organisation.city,
        "geolocation": _geolocation(organisation.location),
    }
    return _answer(profile)


def _answer(profile: dict) -> JsonResponse:
    profile = {key: value for key, value in profile.items() if value not in (None, "", [])}
    response = JsonResponse(profile, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # a public profile: the index and any map may read it
    return response


def _tags(names) -> list[str]:
    tags: list[str] = []
    for name in names:
        name = str(name).strip()[:TAG_MAX]
        if name and name not in tags:
            tags.append(name)
    return tags


def _urls(*named: tuple[str, str | None]) -> list[dict]:
    return [{"name": name, "url": url} if name else {"url": url} for name, url in named if url]


def _lab_url(request: HttpRequest, practice: Practice) -> str | None:
    return request.build_absolute_uri(practice.lab.get_absolute_url()) if practice.lab_id else None


def _geolocation(point) -> dict | None:
    return {"lat": point.y, "lon": point.x} if point is not None else None


def _timestamp(day) -> int | None:
    """The schema's dates are Unix timestamps: midnight UTC of the day."""
    if day is None:
        return None
    return int(datetime.combine(day, time.min, tzinfo=UTC).timestamp())
