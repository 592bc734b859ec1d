"""The base every API viewset builds on: pagination, formats, language, caching headers and incremental sync.

How an app's viewset uses it (activities, library and indicators do the same as practices and networks):

    from conect.apibase import APIBase, CursorPagination, CSVRenderer, GeoJSONRenderer, JSONRenderer

    class ResourceViewSet(APIBase, viewsets.ReadOnlyModelViewSet):
        pagination_class = CursorPagination       # big lists; PageNumberPagination (the default) for small ones
        renderer_classes = [JSONRenderer, CSVRenderer]   # + GeoJSONRenderer where rows have a place
        sync_id_field = "slug"                    # the key tombstones carry ("id" by default); None: no sync

What APIBase gives, without more code:
- `?lang=<code>` (or Accept-Language) activates that language for the request (translated labels, page URLs, and
  whatever the view reads with get_language()); an unknown code answers 400 {"lang": [...]}. Content-Language and
  Vary: Accept-Language go with every answer.
- `page_size` above 1,000, below 1 or not an integer answers 400 {"page_size": [...]} (both pagination classes).
- `modified_since=<ISO 8601 date-time>` (models with `updated_at`): the rows changed since then, oldest change
  first (the cursor orders by ("updated_at", "pk"), so rows created or changed between two pages come on a later
  page: none skipped), and the rows the requester could see once but no longer can (archived, unpublished) as
  tombstones `{"<sync_id_field>": ..., "gone": true, "updated_at": ...}`. A row that was never published is never
  a tombstone for someone who could not see it (its history says whether it ever was). A bad date-time: 400.
- Last-Modified on a detail (its updated_at) and on a list page (the newest updated_at of its rows), so
  ConditionalGetMiddleware answers 304 to If-Modified-Since as it does to If-None-Match (ETag).
- `?format=csv` with CSVRenderer: the serializer's rows flattened (nested objects as dotted columns, lists joined
  with "; "), every cell through conect.csvcells.formula_safe.

The fast path (practices, spaces, organisations, Labs): the view also defines `fast_document(geojson)`, an
expression building each row's JSON in PostgreSQL with conect.fastjson (the same fields as the serializer says).
list() and retrieve() then run the SAME queryset (get_queryset + filter_queryset + pagination) with `.values()` and
write the rows' texts as orjson fragments: no Python object per row, one query per page and per detail. The
serializers stay for writes, validation and the schema; tests compare both outputs.
"""

import csv
import io
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import orjson
from django.conf import settings
from django.db.models import Case, Exists, Max, OuterRef, Q, QuerySet, When
from django.db.models import Value as V
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from django.utils.translation import gettext as _
from rest_framework import pagination, renderers, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from conect import fastjson
from conect.csvcells import formula_safe

MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 50


def licence() -> dict[str, str]:
    """What every collection says of its data's licence (settings.DATA_LICENCE, DATA_ATTRIBUTION)."""
    return {"licence": settings.DATA_LICENCE, "attribution": settings.DATA_ATTRIBUTION}


# --- Pre-rendered bodies --------------------------------------------------------------------------------------------


class Prerendered(bytes):
    """A response body already written (JSON from fastjson.dumps): the renderers pass it through untouched."""


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON renderer, writing Prerendered bodies as they are (and documents holding orjson fragments)."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, Prerendered):
            return bytes(data)
        return super().render(data, accepted_media_type, renderer_context)


class GeoJSONRenderer(JSONRenderer):
    """RFC 7946 GeoJSON (?format=geojson, or Accept: application/geo+json)."""

    media_type = "application/geo+json"
    format = "geojson"


class CSVRenderer(renderers.BaseRenderer):
    """A table (?format=csv): one row per result, nested objects as dotted columns, lists joined with "; ", every
    cell formula-guarded (a spreadsheet never runs a cell as a formula). Errors stay JSON."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code >= 400:
            response["Content-Type"] = "application/json"
            return orjson.dumps(data, default=str)
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        rows = [flatten(row) for row in (data if isinstance(data, list) else [data])]
        columns = list(dict.fromkeys(key for row in rows for key in row))
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([formula_safe(row.get(column, "")) for column in columns])
        return out.getvalue().encode()


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """A JSON object as one CSV row: {"a": {"b": 1}, "c": [1, 2]} → {"a.b": 1, "c": "1; 2"}."""
    if isinstance(value, dict):
        row: dict[str, Any] = {}
        for key, item in value.items():
            row.update(flatten(item, f"{prefix}{key}."))
        return row
    key = prefix[:-1]
    if isinstance(value, list):
        cells = [orjson.dumps(item).decode() if isinstance(item, (dict, list)) else str(item) for item in value]
        return {key: "; ".join(cells)}
    if isinstance(value, bool):
        return {key: "true" if value else "false"}
    return {key: "" if value is None else value}


# --- Pagination -----------------------------------------------------------------------------------------------------


class PageSizeMixin:
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            message = _("Give a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
            raise ValidationError({self.page_size_query_param: [message]})
        return size


def _geojson(request) -> bool:
    accepted = getattr(request, "accepted_renderer", None)
    return accepted is not None and accepted.format == "geojson"


def _body(request, links: dict, results: list) -> Any:
    """The page: {"next", "previous", "results"} or a FeatureCollection; rows that are fragments are written as
    they are (a Prerendered body), plain data is left to the renderer."""
    if _geojson(request):
        document = {"type": "FeatureCollection", **licence(), **links, "features": results}
    else:
        document = {**links, "results": results}
    if results and isinstance(results[0], orjson.Fragment):
        return Prerendered(fastjson.dumps(document))
    return document


class PageNumberPagination(PageSizeMixin, pagination.PageNumberPagination):
    """Small lists: ?page=N, with a count. A GeoJSON page is a FeatureCollection carrying the licence."""

    def get_paginated_response(self, data):
        links = {"count": self.page.paginator.count, "next": self.get_next_link(), "previous": self.get_previous_link()}
        return Response(_body(self.request, links, data))

    def get_paginated_response_schema(self, schema):
        return _page_schema(schema, count=True)


class CursorPagination(PageSizeMixin, pagination.CursorPagination):
    """Big lists: opaque ?cursor= links that never skip or repeat a row, however the table changes between pages.

    Ordered by primary key, or by ("updated_at", "pk") with modified_since (rows changed after the first page come
    on a later one). Works on model instances and on `.values()` rows (the fast path) alike."""

    ordering = ("pk",)

    def get_ordering(self, request, queryset, view):
        if getattr(view, "sync_since", None) is not None:
            return ("updated_at", "pk")
        return tuple(getattr(view, "cursor_ordering", self.ordering))

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        return super().paginate_queryset(queryset, request, view)

    def _get_position_from_instance(self, instance, ordering):
        field_name = ordering[0].lstrip("-")
        value = instance[field_name] if isinstance(instance, dict) else getattr(instance, field_name)
        return str(value.isoformat() if isinstance(value, datetime) else value)

    def get_paginated_response(self, data):
        return Response(_body(self.request, {"next": self.get_next_link(), "previous": self.get_previous_link()}, data))

    def get_paginated_response_schema(self, schema):
        return _page_schema(schema, count=False)


def _page_schema(schema: dict, *, count: bool) -> dict:
    properties = {
        "next": {"type": "string", "nullable": True, "format": "uri"},
        "previous": {"type": "string", "nullable": True, "format": "uri"},
        "results": schema,
    }
    if count:
        properties = {"count": {"type": "integer"}, **properties}
    return {"type": "object", "required": ["next", "previous", "results"], "properties": properties}


def feature_page_schema(feature_schema: dict, *, count: bool = False) -> dict:
    """The OpenAPI schema of a GeoJSON page (FeatureCollection with licence, attribution and links)."""
    properties = {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "licence": {"type": "string"},
        "attribution": {"type": "string"},
        "next": {"type": "string", "nullable": True, "format": "uri"},
        "previous": {"type": "string", "nullable": True, "format": "uri"},
        "features": {"type": "array", "items": feature_schema},
    }
    if count:
        properties["count"] = {"type": "integer"}
    return {"type": "object", "required": ["type", "features"], "properties": properties}


# --- Headers --------------------------------------------------------------------------------------------------------


def last_modified(value: datetime | None) -> dict[str, str]:
    """The Last-Modified header of a row or page whose newest change is `value` (none when unknown)."""
    return {"Last-Modified": http_date(value.timestamp())} if value is not None else {}


def newest(rows: Iterable[Any]) -> datetime | None:
    """The newest updated_at among rows (dicts or instances), for Last-Modified."""
    stamps = [row["updated_at"] if isinstance(row, dict) else getattr(row, "updated_at", None) for row in rows]
    stamps = [stamp for stamp in stamps if stamp is not None]
    return max(stamps) if stamps else None


def parse_since(raw: str | None) -> datetime | None:
    """modified_since: an ISO 8601 date-time (a date means its midnight, UTC when no offset is given)."""
    if raw is None or raw == "":
        return None
    value = None
    try:
        value = parse_datetime(raw.replace(" ", "+")) or parse_datetime(f"{raw}T00:00:00")
    except ValueError:
        value = None
    if value is None:
        raise ValidationError({"modified_since": [_("Give a date-time as ISO 8601: 2025-01-31T12:00:00Z.")]})
    value = value if timezone.is_aware(value) else timezone.make_aware(value, UTC)
    try:
        # In UTC before it reaches PostgreSQL, which refuses offsets beyond ±15:59 that ISO 8601 allows.
        return value.astimezone(UTC)
    except OverflowError:  # year 1 with a positive offset, or year 9999 with a negative one
        raise ValidationError({"modified_since": [_("Give a date-time as ISO 8601: 2025-01-31T12:00:00Z.")]}) from None


def tombstone(key: str, value: Any, updated_at: datetime | None, *, geojson: bool) -> dict:
    """What a sync says of a row the requester no longer sees."""
    stamp = updated_at.isoformat().replace("+00:00", "Z") if updated_at else None
    if geojson:
        return {"type": "Feature", "id": value, "geometry": None, "properties": {"gone": True, "updated_at": stamp}}
    return {key: value, "gone": True, "updated_at": stamp}


# --- The viewset base -----------------------------------------------------------------------------------------------


class APIBase:
    """Mixed into a DRF viewset before the viewset class: see the module's docstring."""

    pagination_class = PageNumberPagination
    renderer_classes = [JSONRenderer, renderers.BrowsableAPIRenderer]
    sync_id_field: str | None = "id"  # the key of tombstones; None: no modified_since
    sync_public_state = "published"  # the state in which the public saw a row (tombstones: rows once in it)
    sync_since: datetime | None = None

    # -- request set-up

    def initial(self, request, *args, **kwargs):
        code = request.query_params.get("lang")
        if code is not None:
            codes = [language for language, _name in settings.LANGUAGES]
            if code not in codes:
                message = _("Choose one of: %(codes)s.") % {"codes": ", ".join(codes)}
                raise ValidationError({"lang": [message]})
            translation.activate(code)
            request.LANGUAGE_CODE = code
        if self.sync_id_field is not None and getattr(self, "action", None) == "list":
            self.sync_since = parse_since(request.query_params.get("modified_since"))
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language() or settings.LANGUAGE_CODE
        patch_vary_headers(response, ["Accept-Language"])
        return response

    @property
    def geojson(self) -> bool:
        return _geojson(self.request)

    @property
    def csv(self) -> bool:
        accepted = getattr(self.request, "accepted_renderer", None)
        return accepted is not None and accepted.format == "csv"

    # -- querysets

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.sync_since is not None:
            queryset = queryset.filter(updated_at__gte=self.sync_since)
        return queryset

    def sync_queryset(self, visible: QuerySet) -> QuerySet:
        """With modified_since: the visible rows, and those the requester could once see but no longer can (their
        `_visible` annotation False). `visible` is get_queryset() (the one access path)."""
        model = visible.model
        everyone = model._default_manager.all()
        everyone.query.select_related = visible.query.select_related
        everyone._prefetch_related_lookups = visible._prefetch_related_lookups
        published = Q(Exists(model.history.model.objects.filter(id=OuterRef("pk"), state=self.sync_public_state)))
        once = everyone.filter(~Q(pk__in=visible.values("pk")) & published)
        return everyone.filter(Q(pk__in=visible.values("pk")) | Q(pk__in=once.values("pk"))).annotate(
            _visible=Case(When(pk__in=visible.values("pk"), then=V(True)), default=V(False))
        )

    def list_queryset(self) -> QuerySet:
        """The list's rows: get_queryset(), widened to tombstones with modified_since, then filtered."""
        queryset = self.get_queryset()
        if self.sync_since is not None and hasattr(queryset.model, "history"):
            queryset = self.sync_queryset(queryset)
        return self.filter_queryset(queryset)

    # -- answers

    def fast_queryset(self, queryset: QuerySet) -> QuerySet:
        """What the fast document needs on the queryset (annotations, FilteredRelation): none by default."""
        return queryset

    def fast_document(self, geojson: bool):
        """The row's JSON (or GeoJSON Feature) built by PostgreSQL (conect.fastjson); None: the serializer path."""
        return None

    def list(self, request, *args, **kwargs):
        queryset = self.list_queryset()
        document = None if self.csv else self.fast_document(self.geojson)
        if document is not None:
            return self._fast_list(queryset, document)
        page = self.paginate_queryset(queryset)
        rows = page if page is not None else list(queryset)
        data = [self._row_data(row) for row in rows]
        headers = last_modified(newest(rows))
        if page is not None:
            response = self.get_paginated_response(data)
            _set_headers(response, headers)
            return response
        if self.geojson:
            return Response({"type": "FeatureCollection", **licence(), "features": data}, headers=headers)
        return Response(data, headers=headers)

    def _row_data(self, row) -> dict:
        if getattr(row, "_visible", True) is False:
            return tombstone(self.sync_id_field, getattr(row, self.sync_id_field), row.updated_at, geojson=self.geojson)
        return self.get_serializer(row).data

    def _fast_list(self, queryset: QuerySet, document):
        keys = ["pk"] + (["updated_at"] if _has_field(queryset.model, "updated_at") else [])
        if self.sync_since is not None and "_visible" in queryset.query.annotations:
            gone = tombstone_expression(self.sync_id_field, geojson=self.geojson)
            document = Case(When(_visible=True, then=document), default=gone)
        rows = self.fast_queryset(queryset).values(*keys, doc=fastjson.as_text(document))
        page = self.paginate_queryset(rows)
        if page is None:
            page = list(rows)
            body = (
                {"type": "FeatureCollection", **licence(), "features": fastjson.fragments(r["doc"] for r in page)}
                if self.geojson
                else fastjson.fragments(r["doc"] for r in page)
            )
            return Response(Prerendered(fastjson.dumps(body)), headers=last_modified(newest(page)))
        response = self.get_paginated_response(fastjson.fragments(row["doc"] for row in page))
        _set_headers(response, last_modified(newest(page)))
        return response

    def retrieve(self, request, *args, **kwargs):
        document = None if self.csv else self.fast_document(self.geojson)
        if document is None:
            item = self.get_object()
            headers = last_modified(getattr(item, "updated_at", None))
            if hasattr(item, "version"):
                headers["ETag"] = f'"{item.version}"'
            return Response(self.get_serializer(item).data, headers=headers)
        lookup = self.lookup_url_kwarg or self.lookup_field
        queryset = self.get_queryset().filter(**{self.lookup_field: self.kwargs[lookup]})
        model = queryset.model
        keys = [name for name in ("updated_at", "version") if _has_field(model, name)]
        row = self.fast_queryset(queryset).values(*keys, doc=fastjson.as_text(document)).order_by().first()
        if row is None:
            raise NotFound(_("Not found."))
        headers = last_modified(row.get("updated_at"))
        if "version" in row:
            headers["ETag"] = f'"{row["version"]}"'
        return Response(Prerendered(row["doc"].encode()), headers=headers)


def _set_headers(response, headers: dict[str, str]) -> None:
    for name, value in headers.items():
        response[name] = value


def tombstone_expression(key: str, *, geojson: bool):
    """tombstone() built by PostgreSQL, for the fast path."""
    from django.db.models import F

    if geojson:
        properties = fastjson.obj(gone=V(True), updated_at=F("updated_at"))
        return fastjson.obj(type="Feature", id=F(key), geometry=V(None), properties=properties)
    return fastjson.obj(**{key: F(key), "gone": V(True), "updated_at": F("updated_at")})


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - FieldDoesNotExist
        return False
    return True


def newest_in(queryset: QuerySet) -> datetime | None:
    """The newest updated_at of a queryset (one aggregate query), for a list's Last-Modified without its rows."""
    return queryset.aggregate(newest=Max("updated_at"))["newest"]


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
