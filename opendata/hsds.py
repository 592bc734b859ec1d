"""Open Referral HSDS 3.0, read-only, at /hsds/: the API reference's endpoints that fit the platform.

Mapping: organisations → organization; practices → service (its organizations through networks'
PracticeOrganisation, the initiator first); spaces → location, reached through service_at_location (a practice at one
of its spaces); themes → the taxonomy terms of one taxonomy, "CoNECT themes", linked to services as attributes.
Published rows only, through the models' one access path (`visible_to` a visitor). Pages follow the reference's
"Page" schema (page, per_page up to 100). Bad parameters answer 400 with a JSON body, a missing or unpublished row
404 with one.

Identifiers are UUIDs, as HSDS wants, stable and computed rather than stored: version 8 (RFC 9562, custom) made of a
per-kind prefix taken from a uuid5 of the platform's namespace and the kind, then the row's primary key in the last 6
bytes. The prefix says which kind an id names, and a detail finds its row by primary key, in one indexed query."""

import uuid
from math import ceil

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_safe

from networks.models import Organisation, PracticeOrganisation
from practices.models import Practice, Space, Theme
from practices.vocabularies import PracticeStatus

VERSION = "3.0"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://conect.eu/hsds/")
PER_PAGE = 50
MAX_PER_PAGE = 100
THEMES_TAXONOMY = "themes"
STATUS = {
    PracticeStatus.ACTIVE: "active",
    PracticeStatus.PAUSED: "temporarily closed",
    PracticeStatus.ENDED: "inactive",
}
SpaceLink = Practice.spaces.through


class BadRequest(Exception):
    def __init__(self, parameter: str, message: str):
        self.parameter, self.message = parameter, message


# --- identifiers ---


def _prefix(kind: str) -> bytes:
    raw = bytearray(uuid.uuid5(NAMESPACE, kind).bytes[:10])
    raw[6] = (raw[6] & 0x0F) | 0x80  # version 8
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 9562 variant
    return bytes(raw)


PREFIXES = {
    kind: _prefix(kind)
    for kind in ("organization", "service", "location", "service_at_location", "taxonomy", "taxonomy_term")
}


def hsds_id(kind: str, pk: int) -> str:
    return str(uuid.UUID(bytes=PREFIXES[kind] + pk.to_bytes(6, "big")))


def pk_of(kind: str, value: str) -> int | None:
    """The primary key an id names, or None when it names no row of that kind."""
    try:
        raw = uuid.UUID(value).bytes
    except ValueError:
        return None
    return int.from_bytes(raw[10:], "big") if raw[:10] == PREFIXES[kind] else None


# --- access paths ---


def _organisations() -> QuerySet:
    return Organisation.objects.visible_to(AnonymousUser())


def _practices() -> QuerySet:
    links = PracticeOrganisation.objects.filter(organisation__in=_organisations()).select_related("organisation")
    return (
        Practice.objects.visible_to(AnonymousUser())
        .prefetch_related(
            "translations", Prefetch("organisation_links", queryset=links.order_by("role", "organisation__name"))
        )
        .order_by("title", "id")
    )


def _space_links() -> QuerySet:
    anonymous = AnonymousUser()
    return (
        SpaceLink.objects.filter(
            practice__in=Practice.objects.visible_to(anonymous), space__in=Space.objects.visible_to(anonymous)
        )
        .select_related("space")
        .order_by("id")
    )


# --- the documents ---


def organization(organisation: Organisation, request: HttpRequest) -> dict:
    return {
        "id": hsds_id("organization", organisation.pk),
        "name": organisation.name,
        "description": organisation.localised_description.text,
        "website": organisation.website or None,
        "uri": request.build_absolute_uri(organisation.get_absolute_url()),
    }


def service(practice: Practice, request: HttpRequest) -> dict:
    text = practice.localised()
    links = list(practice.organisation_links.all())
    return {
        "id": hsds_id("service", practice.pk),
        "organization_id": hsds_id("organization", links[0].organisation_id) if links else None,
        "name": text.title,
        "description": text.summary or text.description,
        "url": practice.website or request.build_absolute_uri(practice.get_absolute_url()),
        "status": STATUS.get(practice.status, "active"),
        "last_modified": practice.updated_at.isoformat(),
        "organization": organization(links[0].organisation, request) if links else None,
    }


def location(space: Space, request: HttpRequest) -> dict:
    location_id = hsds_id("location", space.pk)
    data = {
        "id": location_id,
        "location_type": "physical",
        "url": request.build_absolute_uri(space.get_absolute_url()),
        "name": space.name,
        "description": space.description,
        "latitude": space.location.y,
        "longitude": space.location.x,
        "addresses": [],
    }
    if space.address or space.city:
        # HSDS requires a region and a postal code: the platform records neither, so they are empty.
        data["addresses"].append(
            {
                "id": str(uuid.uuid5(NAMESPACE, f"address/{space.pk}")),
                "location_id": location_id,
                "address_1": space.address,
                "city": space.city,
                "state_province": "",
                "postal_code": "",
                "country": space.country.code,
                "address_type": "physical",
            }
        )
    return data


def service_at_location(link, request: HttpRequest) -> dict:
    return {
        "id": hsds_id("service_at_location", link.pk),
        "service_id": hsds_id("service", link.practice_id),
        "location_id": hsds_id("location", link.space_id),
        "location": location(link.space, request),
    }


def taxonomy() -> dict:
    return {
        "id": hsds_id("taxonomy", 1),
        "name": "CoNECT themes",
        "description": "The themes of community resilience that the CoNECT platform files practices under.",
        "version": "1",
    }


def taxonomy_term(theme: Theme) -> dict:
    return {
        "id": hsds_id("taxonomy_term", theme.pk),
        "code": theme.slug,
        "name": theme.name,
        "description": theme.name,
        "taxonomy": "CoNECT themes",
        "taxonomy_id": hsds_id("taxonomy", 1),
        "language": "en",
    }


def attribute(practice: Practice, theme: Theme) -> dict:
    return {
        "id": str(uuid.uuid5(NAMESPACE, f"attribute/{practice.pk}/{theme.pk}")),
        "link_id": hsds_id("service", practice.pk),
        "taxonomy_term_id": hsds_id("taxonomy_term", theme.pk),
        "link_type": "theme",
        "link_entity": "service",
        "taxonomy_term": taxonomy_term(theme),
    }


def _clean(data: dict) -> dict:
    return {key: value for key, value in data.items() if value is not None}


# --- the views ---


def _json(data, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _not_found() -> JsonResponse:
    return _json({"detail": "Not found."}, status=404)


def _hsds_view(view):
    """GET and HEAD only; bad parameters become a 400 that names them."""

    @require_safe
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadRequest as error:
            return _json({"detail": error.message, "parameter": error.parameter}, status=400)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _positive(request: HttpRequest, name: str, default: int, maximum: int | None = None) -> int:
    value = request.GET.get(name)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        raise BadRequest(name, f"{name} must be a whole number.") from None
    if number < 1 or (maximum is not None and number > maximum):
        limit = f" between 1 and {maximum}" if maximum else " of at least 1"
        raise BadRequest(name, f"{name} must be a number{limit}.")
    return number


def _page(request: HttpRequest, rows: QuerySet, render) -> JsonResponse:
    number = _positive(request, "page", 1)
    size = _positive(request, "per_page", PER_PAGE, MAX_PER_PAGE)
    total = rows.count()
    pages = max(ceil(total / size), 1)
    contents = [render(row) for row in rows[(number - 1) * size : number * size]] if number <= pages else []
    return _json(
        {
            "total_items": total,
            "total_pages": pages,
            "page_number": number,
            "size": len(contents),
            "first_page": number == 1,
            "last_page": number >= pages,
            "empty": not contents,
            "contents": contents,
        }
    )


def _id_filter(request: HttpRequest, name: str, kind: str) -> int | None:
    value = request.GET.get(name)
    if value in (None, ""):
        return None
    pk = pk_of(kind, value)
    if pk is None:
        raise BadRequest(name, f"{name} is not the id of a {kind.replace('_', ' ')} here.")
    return pk


@_hsds_view
def root(request: HttpRequest) -> JsonResponse:
    return _json(
        {
            "version": VERSION,
            "profile": "https://docs.openreferral.org/en/latest/hsds/",
            "openapi_url": "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json",
        }
    )


@_hsds_view
def organizations(request: HttpRequest) -> JsonResponse:
    rows = _organisations().order_by("name", "id")
    if search := request.GET.get("search", "").strip():
        rows = rows.filter(name__icontains=search)
    return _page(request, rows, lambda row: _clean(organization(row, request)))


@_hsds_view
def organization_detail(request: HttpRequest, id: str) -> JsonResponse:
    pk = pk_of("organization", id)
    found = _organisations().filter(pk=pk).first() if pk is not None else None
    if found is None:
        return _not_found()
    practices = _practices().filter(organisation_links__organisation=found).distinct()
    data = _clean(organization(found, request))
    data["services"] = [_clean(service(practice, request)) for practice in practices]
    return _json(data)


@_hsds_view
def services(request: HttpRequest) -> JsonResponse:
    rows = _practices()
    if (organisation := _id_filter(request, "organization_id", "organization")) is not None:
        rows = rows.filter(organisation_links__organisation=organisation)
    if (theme := _id_filter(request, "taxonomy_term_id", "taxonomy_term")) is not None:
        rows = rows.filter(themes=theme)
    if (taxonomy_id := request.GET.get("taxonomy_id")) and pk_of("taxonomy", taxonomy_id) != 1:
        raise BadRequest("taxonomy_id", "taxonomy_id is not the id of a taxonomy here.")
    if modified := request.GET.get("modified_after"):
        moment = _datetime(modified)
        rows = rows.filter(updated_at__gte=moment)
    if search := request.GET.get("search", "").strip():
        rows = rows.search(search).order_by("title", "id")
    return _page(request, rows, lambda row: _clean(service(row, request)))


@_hsds_view
def service_detail(request: HttpRequest, id: str) -> JsonResponse:
    pk = pk_of("service", id)
    rows = _practices().prefetch_related("themes")
    found = rows.filter(pk=pk).first() if pk is not None else None
    if found is None:
        return _not_found()
    data = _clean(service(found, request))
    links = _space_links().filter(practice=found)
    data["service_at_locations"] = [service_at_location(link, request) for link in links]
    data["attributes"] = [attribute(found, theme) for theme in sorted(found.themes.all(), key=lambda t: t.pk)]
    return _json(data)


@_hsds_view
def service_at_locations(request: HttpRequest) -> JsonResponse:
    rows = _space_links()
    if (organisation := _id_filter(request, "organization_id", "organization")) is not None:
        rows = rows.filter(practice__organisation_links__organisation=organisation)
    if (theme := _id_filter(request, "taxonomy_term_id", "taxonomy_term")) is not None:
        rows = rows.filter(practice__themes=theme)
    return _page(request, rows, lambda link: service_at_location(link, request))


@_hsds_view
def service_at_location_detail(request: HttpRequest, id: str) -> JsonResponse:
    pk = pk_of("service_at_location", id)
    found = _space_links().filter(pk=pk).first() if pk is not None else None
    if found is None:
        return _not_found()
    data = service_at_location(found, request)
    data["service"] = _clean(service(_practices().get(pk=found.practice_id), request))
    return _json(data)


@_hsds_view
def taxonomies(request: HttpRequest) -> JsonResponse:
    number = _positive(request, "page", 1)
    _positive(request, "per_page", PER_PAGE, MAX_PER_PAGE)
    contents = [taxonomy()] if number == 1 else []
    return _json(
        {
            "total_items": 1,
            "total_pages": 1,
            "page_number": number,
            "size": len(contents),
            "first_page": number == 1,
            "last_page": True,
            "empty": not contents,
            "contents": contents,
        }
    )


@_hsds_view
def taxonomy_detail(request: HttpRequest, id: str) -> JsonResponse:
    return _json(taxonomy()) if pk_of("taxonomy", id) == 1 else _not_found()


@_hsds_view
def taxonomy_terms(request: HttpRequest) -> JsonResponse:
    rows = Theme.objects.order_by("name", "pk")
    if (taxonomy_id := request.GET.get("taxonomy_id")) and pk_of("taxonomy", taxonomy_id) != 1:
        rows = rows.none()
    return _page(request, rows, taxonomy_term)


@_hsds_view
def taxonomy_term_detail(request: HttpRequest, id: str) -> JsonResponse:
    pk = pk_of("taxonomy_term", id)
    found = Theme.objects.filter(pk=pk).first() if pk is not None else None
    return _json(taxonomy_term(found)) if found is not None else _not_found()


def _datetime(value: str):
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None:
        raise BadRequest("modified_after", "modified_after must be an ISO 8601 date and time, e.g. 2025-01-31T00:00Z.")
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, timezone.UTC)
