"""OGC API - Features (Part 1: Core, GeoJSON, OpenAPI 3.0 and HTML) at /ogc/: practices, spaces, organisations, Labs.

Every resource answers JSON or HTML, chosen by `f=json|html` or else by the Accept header (JSON when the client takes
anything). Errors are OGC exceptions ({"code", "description"}) in JSON, or a page in HTML; never a 500.
Items: `limit` 1..10,000 (default 10; a larger one is clamped to 10,000, as the standard asks), `offset` from 0,
`bbox` in longitude and latitude (CRS84; the map's own parser), `datetime` an instant or an interval (a/b, ../b, a/..).
"""

import datetime as dt
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

import orjson
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from conect.fastjson import dumps, fragments
from opendata.ogc_collections import COLLECTIONS, CRS84, PROPERTY_LABELS, Collection, Interval
from opendata.ogc_openapi import openapi_document
from practices.filters import BBoxField

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
]
DEFAULT_LIMIT = 10
MAX_LIMIT = 10_000
ITEMS_PARAMETERS = {"f", "bbox", "bbox-crs", "limit", "offset", "datetime"}

JSON = "application/json"
GEOJSON = "application/geo+json"
HTML = "text/html"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"


class OGCError(Exception):
    """An OGC API exception: its HTTP status, its code and what went wrong, in words for the client."""

    def __init__(self, status: int, code: str, description: str):
        super().__init__(description)
        self.status, self.code, self.description = status, code, description


def _format(request: HttpRequest) -> str:
    """ "json" or "html": `f` first, then the Accept header (JSON for clients that take anything)."""
    chosen = request.GET.get("f")
    if chosen is not None:
        if chosen not in ("json", "html"):
            raise OGCError(400, "InvalidParameterValue", _("f must be json or html."))
        return chosen
    preferred = request.get_preferred_type([JSON, GEOJSON, OPENAPI, HTML])
    return "html" if preferred == HTML else "json"


def ogc_view(view: Callable) -> Callable:
    """GET and HEAD only; OGCError answered in the format the client asked for."""

    @require_safe
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            request.ogc_format = "json"
            request.ogc_format = _format(request)
            return view(request, *args, **kwargs)
        except OGCError as error:
            if request.ogc_format == "html":
                context = {"status": error.status, "code": error.code, "description": error.description}
                return render(request, "opendata/ogc_error.html", context, status=error.status)
            body = orjson.dumps({"code": error.code, "description": error.description})
            return HttpResponse(body, status=error.status, content_type=JSON)

    return wrapper


def _json(document, content_type: str = JSON) -> HttpResponse:
    return HttpResponse(dumps(document), content_type=content_type)


def _prefix(request: HttpRequest) -> str:
    """The scheme and host, for absolute links."""
    return request.build_absolute_uri("/")[:-1]


def _href(request: HttpRequest, viewname: str, *args, **query) -> str:
    path = reverse(f"opendata:{viewname}", args=args)
    query = {key: value for key, value in query.items() if value is not None}
    return _prefix(request) + path + (f"?{urlencode(query)}" if query else "")


def _link(href: str, rel: str, media_type: str, title: str) -> dict:
    return {"href": href, "rel": rel, "type": media_type, "title": title}


def _self_links(request: HttpRequest, viewname: str, *args, json_type: str = JSON, **query) -> list[dict]:
    """This resource in both formats: `self` for the one answered, `alternate` for the other."""
    as_json = _link(_href(request, viewname, *args, **query, f="json"), "self", json_type, _("This document as JSON"))
    as_html = _link(_href(request, viewname, *args, **query, f="html"), "alternate", HTML, _("This document as HTML"))
    if request.ogc_format == "html":
        as_json["rel"], as_html["rel"] = "alternate", "self"
    return [as_json, as_html]


def _collection(slug: str) -> Collection:
    try:
        return COLLECTIONS[slug]
    except KeyError:
        raise OGCError(404, "NotFound", _("There is no collection %(id)s.") % {"id": slug}) from None


# --- Landing page, conformance, API definition ------------------------------------------------------------------------


@ogc_view
def landing(request: HttpRequest) -> HttpResponse:
    document = {
        "title": _("CoNECT: community resilience practices"),
        "description": _(
            "Practices of community resilience, the spaces where they happen, the organisations behind them and the "
            "Labs that map them, as OGC API - Features. Published data only."
        ),
        "links": [
            *_self_links(request, "ogc_landing"),
            _link(_href(request, "ogc_api"), "service-desc", OPENAPI, _("The API definition (OpenAPI 3.0)")),
            _link(_href(request, "ogc_api", f="html"), "service-doc", HTML, _("The API documentation")),
            _link(_href(request, "ogc_conformance"), "conformance", JSON, _("The standards this API conforms to")),
            _link(
                _href(request, "ogc_conformance"),
                "http://www.opengis.net/def/rel/ogc/1.0/conformance",
                JSON,
                _("The standards this API conforms to"),
            ),
            _link(_href(request, "ogc_collections"), "data", JSON, _("The collections")),
            _link(
                _href(request, "ogc_collections"),
                "http://www.opengis.net/def/rel/ogc/1.0/data",
                JSON,
                _("The collections"),
            ),  # fmt: skip
        ],
    }
    if request.ogc_format == "html":
        return render(request, "opendata/ogc_landing.html", {"document": document, "collections": COLLECTIONS})
    return _json(document)


@ogc_view
def conformance(request: HttpRequest) -> HttpResponse:
    document = {"conformsTo": CONFORMANCE, "links": _self_links(request, "ogc_conformance")}
    if request.ogc_format == "html":
        return render(request, "opendata/ogc_conformance.html", {"document": document})
    return _json(document)


@ogc_view
def api(request: HttpRequest) -> HttpResponse:
    document = openapi_document(_prefix(request) + reverse("opendata:ogc_landing").rstrip("/"), COLLECTIONS)
    if request.ogc_format == "html":
        return render(request, "opendata/ogc_api.html", {"document": document})
    return _json(document, OPENAPI)


# --- Collections ------------------------------------------------------------------------------------------------------


def _describe(request: HttpRequest, collection: Collection) -> dict:
    return {
        "id": collection.id,
        "title": str(collection.title),
        "description": f"{collection.description} {collection.temporal_note}",
        "itemType": "feature",
        "crs": [CRS84],
        "extent": collection.extent(),
        "links": [
            *_self_links(request, "ogc_collection", collection.id),
            _link(_href(request, "ogc_items", collection.id, f="json"), "items", GEOJSON, _("The features as GeoJSON")),
            _link(_href(request, "ogc_items", collection.id, f="html"), "items", HTML, _("The features as HTML")),
            _link(_licence_url(), "license", HTML, _licence()),
        ],
    }


def _licence() -> str:
    return getattr(settings, "DATA_LICENCE", "CC BY 4.0")


def _licence_url() -> str:
    return getattr(settings, "DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/")


def _attribution() -> str:
    return getattr(settings, "DATA_ATTRIBUTION", "CoNECT platform contributors")


@ogc_view
def collections(request: HttpRequest) -> HttpResponse:
    described = []
    for collection in COLLECTIONS.values():
        description = _describe(request, collection)
        # In the list, each collection's own address is a link, not `self` (which is the list's).
        description["links"][:2] = [
            _link(_href(request, "ogc_collection", collection.id, f="json"), "collection", JSON, description["title"]),
            _link(_href(request, "ogc_collection", collection.id, f="html"), "collection", HTML, description["title"]),
        ]
        described.append(description)
    document = {"links": _self_links(request, "ogc_collections"), "collections": described}
    if request.ogc_format == "html":
        return render(request, "opendata/ogc_collections.html", {"document": document})
    return _json(document)


@ogc_view
def collection(request: HttpRequest, collection_id: str) -> HttpResponse:
    document = _describe(request, _collection(collection_id))
    if request.ogc_format == "html":
        return render(request, "opendata/ogc_collection.html", {"document": document})
    return _json(document)


# --- Items ------------------------------------------------------------------------------------------------------------


def _number(request: HttpRequest, name: str, default: int, minimum: int) -> int:
    raw = request.GET.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise OGCError(
            400,
            "InvalidParameterValue",
            _("%(name)s must be a whole number from %(minimum)s.") % {"name": name, "minimum": minimum},
        )
    return value


def _bbox(request: HttpRequest):
    raw = request.GET.get("bbox")
    crs = request.GET.get("bbox-crs")
    if crs is not None and crs != CRS84:
        raise OGCError(400, "InvalidParameterValue", _("bbox-crs: only %(crs)s is offered.") % {"crs": CRS84})
    if raw is None:
        return None
    parts = raw.split(",")
    if len(parts) == 6:  # west,south,lowest,east,north,highest: the heights do not matter here
        raw = ",".join(parts[:2] + parts[3:5])
    try:
        return BBoxField(required=False).clean(raw)
    except ValidationError as error:
        raise OGCError(400, "InvalidParameterValue", "bbox: " + " ".join(error.messages)) from None


def _moment(text: str, *, end: bool) -> dt.datetime | None:
    if text in ("", ".."):
        return None
    moment = parse_datetime(text)
    if moment is None:
        day = parse_date(text)
        if day is None:
            raise ValueError(text)
        # A day stands for all of it: from its first instant, or to its last.
        moment = dt.datetime.combine(day, dt.time.max if end else dt.time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt.UTC)
    return moment


def _interval(request: HttpRequest) -> Interval | None:
    raw = request.GET.get("datetime")
    if raw is None:
        return None
    invalid = OGCError(
        400,
        "InvalidParameterValue",
        _("datetime must be an RFC 3339 date-time or date, or an interval of two (a/b, ../b or a/..)."),
    )
    try:
        if "/" in raw:
            first, _slash, last = raw.partition("/")
            interval = Interval(_moment(first, end=False), _moment(last, end=True))
            if interval.start is None and interval.end is None:
                raise invalid
        else:
            interval = Interval(_moment(raw, end=False), _moment(raw, end=True))
    except ValueError:
        raise invalid from None
    if interval.start and interval.end and interval.start > interval.end:
        raise OGCError(400, "InvalidParameterValue", _("datetime: the interval must start before it ends."))
    return interval


def _page_links(request: HttpRequest, collection: Collection, *, query: dict, offset: int, limit: int, matched: int):
    fmt = request.ogc_format
    media_type = GEOJSON if fmt == "json" else HTML
    links = _self_links(request, "ogc_items", collection.id, json_type=GEOJSON, **query, offset=offset or None)
    if offset + limit < matched:
        links.append(
            _link(
                _href(request, "ogc_items", collection.id, **query, offset=offset + limit, f=fmt),
                "next",
                media_type,
                _("The next page"),
            )
        )
    if offset > 0:
        links.append(
            _link(
                _href(request, "ogc_items", collection.id, **query, offset=max(offset - limit, 0) or None, f=fmt),
                "prev",
                media_type,
                _("The previous page"),
            )
        )
    links.append(_link(_href(request, "ogc_collection", collection.id), "collection", JSON, str(collection.title)))
    return links


@ogc_view
def items(request: HttpRequest, collection_id: str) -> HttpResponse:
    collection = _collection(collection_id)
    unknown = sorted(set(request.GET) - ITEMS_PARAMETERS)
    if unknown:
        raise OGCError(
            400,
            "InvalidParameterValue",
            _("Unknown parameters: %(names)s.") % {"names": ", ".join(unknown)},
        )
    limit = min(_number(request, "limit", DEFAULT_LIMIT, 1), MAX_LIMIT)
    offset = _number(request, "offset", 0, 0)
    bbox, interval = _bbox(request), _interval(request)
    rows = collection.filtered(bbox=bbox, interval=interval)
    matched = rows.count()
    features = collection.page(rows, prefix=_prefix(request), offset=offset, limit=limit) if offset < matched else []
    query = {key: request.GET[key] for key in ("bbox", "bbox-crs", "datetime") if key in request.GET}
    if "limit" in request.GET:
        query["limit"] = limit
    document = {
        "type": "FeatureCollection",
        "timeStamp": timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "numberMatched": matched,
        "numberReturned": len(features),
        "licence": _licence(),
        "attribution": _attribution(),
        "links": _page_links(request, collection, query=query, offset=offset, limit=limit, matched=matched),
        "features": fragments(features),
    }
    if request.ogc_format == "html":
        rows = [_row(collection, orjson.loads(feature)) for feature in features]
        return render(
            request,
            "opendata/ogc_items.html",
            {
                "document": document,
                "collection": collection,
                "columns": [PROPERTY_LABELS[name] for name in collection.columns],
                "rows": rows,
                "map": _map(request, collection, rows),
                "first": offset + 1,
                "last": offset + len(features),
                "links": {link["rel"]: link["href"] for link in document["links"]},
            },
        )
    return _json(document, GEOJSON)


def _row(collection: Collection, feature: dict) -> dict:
    properties = feature["properties"]
    return {
        "id": feature["id"],
        "geometry": feature["geometry"],
        "label": properties.get(collection.label) or feature["id"],
        "values": [_shown(properties.get(name)) for name in collection.columns],
    }


def _map(request: HttpRequest, collection: Collection, rows: list[dict]) -> dict:
    """The page's features for its small map: geometry, name and the address of their HTML page."""
    features = []
    for row in rows:
        if row["geometry"] is not None:
            href = _href(request, "ogc_item", collection.id, row["id"], f="html")
            properties = {"label": row["label"], "href": href}
            features.append({"type": "Feature", "geometry": row["geometry"], "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(str(part) for part in value) or "—"
    return str(value)


@ogc_view
def item(request: HttpRequest, collection_id: str, feature_id: str) -> HttpResponse:
    collection = _collection(collection_id)
    found = collection.one(feature_id, prefix=_prefix(request))
    if found is None:
        raise OGCError(404, "NotFound", _("There is no feature %(id)s in this collection.") % {"id": feature_id})
    links = [
        *_self_links(request, "ogc_item", collection.id, feature_id, json_type=GEOJSON),
        _link(_href(request, "ogc_collection", collection.id), "collection", JSON, str(collection.title)),
    ]
    if request.ogc_format == "html":
        feature = orjson.loads(found)
        context = {"feature": feature, "collection": collection, "links": links, "licence": _licence()}
        context["label"] = feature["properties"].get(collection.label) or feature["id"]
        context["properties"] = [(name, _shown(value)) for name, value in feature["properties"].items()]
        return render(request, "opendata/ogc_feature.html", context)
    # The feature's own JSON as PostgreSQL wrote it, with its links added around it (no parsing).
    return HttpResponse(_feature_body(found, links), content_type=GEOJSON)


def _feature_body(found: str, links: list[dict]) -> bytes:
    """`found` ends with its closing brace: the links go in just before it."""
    return found[:-1].encode() + b',"links":' + orjson.dumps(links) + b"}"
