"""JSON assembled by PostgreSQL: one text column per row, passed through to the response untouched.

A page of 1,000 GeoJSON features built as Python objects by a serializer costs about a second (a model instance, a
GDAL conversion and a reverse() per feature); the same page assembled by PostGIS (json_build_object, ST_AsGeoJSON)
and joined as orjson fragments costs what the SQL costs. The querysets stay Django's, so the one access path
(visible_to) and the filters (django-filter) apply unchanged; only the SELECT list is ours.

    rows = queryset.annotate(doc=as_text(obj(id=F("slug"), title=F("title"), geometry=geojson("location"))))
    body = dumps({"type": "FeatureCollection", "features": fragments(rows)})
"""

from collections.abc import Iterable
from typing import Any

import orjson
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Expression, F, Func, JSONField, TextField, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse

PLACEHOLDER = "__conect_key__"


class JSONBuildObject(Func):
    """json_build_object('key', value, ...): keys in the order given (JSONObject builds jsonb, which sorts them)."""

    function = "json_build_object"
    output_field = JSONField()

    def __init__(self, **fields: Any):
        if len(fields) > 50:  # PostgreSQL takes at most 100 arguments: nest objects beyond that
            raise ValueError("json_build_object takes at most 50 keys")
        expressions: list[Expression] = []
        for key, value in fields.items():
            expressions += [Value(key), _expression(value)]
        super().__init__(*expressions)


def obj(**fields: Any) -> JSONBuildObject:
    """A JSON object of `fields` (expressions, field names as F(), or plain values), keys in that order."""
    return JSONBuildObject(**fields)


class GeoJSON(Func):
    """A geometry as a GeoJSON object (RFC 7946: longitude, latitude; `precision` decimals), or JSON null."""

    function = "ST_AsGeoJSON"
    template = "%(function)s(%(expressions)s)::json"
    output_field = JSONField()

    def __init__(self, field: str | Expression, precision: int = 6):
        super().__init__(F(field) if isinstance(field, str) else field, Value(precision))


def geojson(field: str | Expression, precision: int = 6) -> GeoJSON:
    return GeoJSON(field, precision)


def array(queryset) -> Func:
    """One column of `queryset` (a subquery, OuterRef allowed) as a JSON list: [] when it has no row."""
    return Func(ArraySubquery(queryset), function="to_json", output_field=JSONField())


def as_text(expression: Expression) -> Cast:
    """The JSON as text, so the database driver hands it over as a string instead of parsing it."""
    return Cast(expression, TextField())


def url(viewname: str, field: str = "slug", *, prefix: str = "", **kwargs: Any) -> Concat | Value:
    """The URL of `viewname` for each row, with `field` in place of its one varying argument, without a reverse() per
    row: reversed once with a placeholder, then concatenated in SQL. `prefix` is the scheme and host, for absolute
    URLs (request.build_absolute_uri("/")[:-1])."""
    path = reverse(viewname, kwargs={**kwargs, field if field != "pk" else "pk": PLACEHOLDER})
    before, _, after = path.partition(PLACEHOLDER)
    return Concat(Value(prefix + before), Cast(F(field), TextField()), Value(after), output_field=TextField())


def fragments(rows: Iterable[str]) -> list[orjson.Fragment]:
    """JSON texts from the database, to be embedded as they are by dumps()."""
    return [orjson.Fragment(row) for row in rows]


def dumps(document: Any) -> bytes:
    """The response body: `document` with its fragments written as they came from the database."""
    return orjson.dumps(document, option=orjson.OPT_NON_STR_KEYS)


def _expression(value: Any) -> Expression:
    if isinstance(value, Expression) or hasattr(value, "resolve_expression"):
        return value
    return Value(value)


class Timestamp(Func):
    """A date-time as RFC 3339 text in UTC ("2025-01-31T12:00:00.000000Z"), or JSON null."""

    template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
    output_field = TextField()

    def __init__(self, field: str | Expression):
        super().__init__(F(field) if isinstance(field, str) else field)


def timestamp(field: str | Expression) -> Timestamp:
    return Timestamp(field)


def feature(*, id: Any, geometry: Any, properties: JSONBuildObject) -> JSONBuildObject:  # noqa: A002
    """An RFC 7946 Feature: `id` (the slug: stable), a geometry (geojson()) or null, and its properties."""
    return obj(type="Feature", id=id, geometry=geometry, properties=properties)


def document(fields: dict[str, Any], *, as_feature: bool, geometry: Any = None, id_field: str = "slug") -> Func:
    """A row as the serializer writes it (`fields`, in order), or as a Feature whose id is `fields[id_field]` and
    whose geometry is `geometry` (default: the "location" field, taken out of the properties)."""
    if not as_feature:
        return obj(**fields)
    fields = dict(fields)
    row_id = fields.pop(id_field)
    if geometry is None:
        geometry = fields.pop("location")
    return feature(id=row_id, geometry=geometry, properties=obj(**fields))
