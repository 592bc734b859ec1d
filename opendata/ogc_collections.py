"""The four collections of the OGC API - Features endpoint, read as a visitor reads them, assembled by PostgreSQL.

Each collection says which rows it holds (the model's one access path, visible_to an anonymous visitor: published
only), which geometry it shows, which dates make its time (its temporal extent and the `datetime` filter), and the
properties of its features as SQL expressions. A page of items is two queries whatever its length: the count
(numberMatched) and the features, each one JSON text built by json_build_object and ST_AsGeoJSON, joined by orjson.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.db.models import Extent, GeometryField
from django.contrib.gis.geos import Polygon
from django.db.models import Count, F, Max, Min, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from conect.fastjson import array, as_text, geojson, obj, url
from labs.models import Lab
from networks.models import Organisation
from practices.models import Practice, Space


@dataclass(frozen=True)
class Interval:
    """A `datetime` query: both ends inclusive, None when open."""

    start: dt.datetime | None
    end: dt.datetime | None


@dataclass(frozen=True)
class Collection:
    id: str
    title: Promise
    description: Promise
    rows: Callable[[], QuerySet]  # the visitor's rows, with the `geom` annotation
    properties: Callable[[str], dict[str, Any]]  # name -> expression, given the site's scheme and host
    label: str  # the property that names a feature (HTML pages)
    columns: tuple[str, ...]  # the properties shown in the HTML table of items
    temporal: tuple[str, str] | None  # the fields where its time starts and ends (the same field for an instant)
    temporal_note: Promise
    dates_only: bool = True  # whether its time is in days (dates) or instants (timestamps)

    def visible(self) -> QuerySet:
        return self.rows()

    def filtered(self, *, bbox: Polygon | None = None, interval: Interval | None = None) -> QuerySet:
        rows = self.visible()
        if bbox is not None:
            bbox.srid = 4326
            rows = rows.filter(geom__intersects=bbox)
        if interval is not None:
            rows = rows.filter(self._in_time(interval))
        return rows

    def _in_time(self, interval: Interval) -> Q:
        if self.temporal is None:
            return Q()  # no time of its own: the filter does not apply (said in the collection's description)
        start, end = self.temporal

        def value(moment: dt.datetime) -> dt.date | dt.datetime:
            return moment.date() if self.dates_only else moment

        # A feature with no date at all has no time: it never matches a `datetime` query.
        condition = Q(**{f"{start}__isnull": False}) | Q(**{f"{end}__isnull": False})
        if interval.end is not None:
            condition &= Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__lte": value(interval.end)})
        if interval.start is not None:
            condition &= Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": value(interval.start)})
        return condition

    def feature(self, prefix: str) -> Any:
        """The SQL expression of one feature: id is the slug (stable), geometry in longitude, latitude."""
        return as_text(
            obj(type="Feature", id=F("slug"), geometry=geojson("geom"), properties=obj(**self.properties(prefix)))
        )

    def page(self, rows: QuerySet, *, prefix: str, offset: int, limit: int) -> list[str]:
        """The features of one page, as JSON texts, in a stable order (the primary key's)."""
        documents = rows.annotate(doc=self.feature(prefix)).order_by("pk").values_list("doc", flat=True)
        return list(documents[offset : offset + limit])

    def one(self, slug: str, *, prefix: str) -> str | None:
        return self.visible().filter(slug=slug).annotate(doc=self.feature(prefix)).values_list("doc", flat=True).first()

    def extent(self) -> dict:
        """Its spatial extent (ST_Extent of what a visitor sees) and, where it has dates, its temporal extent."""
        aggregates: dict[str, Any] = {"bbox": Extent("geom")}
        if self.temporal is not None:
            start, end = self.temporal
            aggregates |= {
                "first": Min(start),
                "last": Max(end),
                "open": Count("pk", filter=Q(**{f"{start}__isnull": False, f"{end}__isnull": True})),
            }
        found = self.visible().aggregate(**aggregates)
        extent: dict[str, Any] = {}
        if found["bbox"] is not None:
            extent["spatial"] = {
                "bbox": [[round(value, 6) for value in found["bbox"]]],
                "crs": CRS84,
            }
        if self.temporal is not None and (found["first"] is not None or found["last"] is not None):
            first, last = found["first"], None if found["open"] else found["last"]
            extent["temporal"] = {
                "interval": [[_moment(first), _moment(last)]],
                "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
            }
        return extent


CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
# The headings of the HTML table of items (the JSON keeps the property names).
PROPERTY_LABELS = {
    "city": _("City"),
    "country": _("Country"),
    "status": _("Status"),
    "kind": _("Kind"),
    "start_date": _("Start date"),
    "end_date": _("End date"),
}


def _moment(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time.min, tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _visitor() -> AnonymousUser:
    return AnonymousUser()


def _practices() -> QuerySet:
    return Practice.objects.visible_to(_visitor()).annotate(geom=F("location"))


def _practice_properties(prefix: str) -> dict[str, Any]:
    themes = Practice.themes.through.objects.filter(practice=OuterRef("pk")).order_by("theme__slug")
    return {
        "title": F("title"),
        "summary": F("summary"),
        "language": F("original_language"),
        "status": F("status"),
        "scale": F("scale"),
        "start_date": F("start_date"),
        "end_date": F("end_date"),
        "themes": array(themes.values("theme__slug")),
        "dimensions": F("dimensions"),
        "target_groups": F("target_groups"),
        "city": F("city"),
        "country": F("country"),
        "lab": F("lab__slug"),
        "website": F("website"),
        "url": url("practices:practice_detail", prefix=prefix),
        "updated_at": F("updated_at"),
    }


def _spaces() -> QuerySet:
    return Space.objects.visible_to(_visitor()).annotate(geom=F("location"))


def _space_properties(prefix: str) -> dict[str, Any]:
    return {
        "name": F("name"),
        "kind": F("kind"),
        "address": F("address"),
        "city": F("city"),
        "country": F("country"),
        "tenure": F("tenure"),
        "step_free": F("step_free"),
        "lab": F("lab__slug"),
        "url": url("practices:space_detail", prefix=prefix),
        "updated_at": F("updated_at"),
    }


def _organisations() -> QuerySet:
    return Organisation.objects.visible_to(_visitor()).annotate(geom=F("location"))


def _organisation_properties(prefix: str) -> dict[str, Any]:
    return {
        "name": F("name"),
        "kind": F("kind"),
        "sector": F("sector"),
        "city": F("city"),
        "country": F("country"),
        "website": F("website"),
        "lab": F("lab__slug"),
        "url": url("networks:organisation", prefix=prefix),
        "updated_at": F("updated_at"),
    }


def _labs() -> QuerySet:
    # A Lab is drawn by its territory when it has one, else by its place.
    geometry = Coalesce("territory", "location", output_field=GeometryField(srid=4326))
    return Lab.objects.visible_to(_visitor()).annotate(geom=geometry)


def _lab_properties(prefix: str) -> dict[str, Any]:
    return {
        "name": F("name"),
        "city": F("city"),
        "country": F("country"),
        "start_date": F("start_date"),
        "end_date": F("end_date"),
        "url": url("labs:detail", prefix=prefix),
        "updated_at": F("updated_at"),
    }


COLLECTIONS: dict[str, Collection] = {
    collection.id: collection
    for collection in (
        Collection(
            id="practices",
            title=_("Practices"),
            description=_("Published practices of community resilience, at their place."),
            rows=_practices,
            properties=_practice_properties,
            label="title",
            columns=("city", "country", "status", "start_date", "end_date"),
            temporal=("start_date", "end_date"),
            temporal_note=_("Its time runs from its start date to its end date; a practice without dates has none."),
        ),
        Collection(
            id="spaces",
            title=_("Spaces"),
            description=_("Published spaces where practices happen: gardens, social centres, libraries, schools..."),
            rows=_spaces,
            properties=_space_properties,
            label="name",
            columns=("kind", "city", "country"),
            temporal=("updated_at", "updated_at"),
            temporal_note=_("A space has no dates of its own: its time is when its record last changed."),
            dates_only=False,
        ),
        Collection(
            id="organisations",
            title=_("Organisations"),
            description=_("Published organisations that the Labs and networks work with, where they are located."),
            rows=_organisations,
            properties=_organisation_properties,
            label="name",
            columns=("kind", "city", "country"),
            temporal=("updated_at", "updated_at"),
            temporal_note=_("An organisation has no dates of its own: its time is when its record last changed."),
            dates_only=False,
        ),
        Collection(
            id="labs",
            title=_("Labs"),
            description=_("The Labs, drawn by their territory, or by their place where no territory is drawn."),
            rows=_labs,
            properties=_lab_properties,
            label="name",
            columns=("city", "country", "start_date", "end_date"),
            temporal=("start_date", "end_date"),
            temporal_note=_("Its time runs from its start date to its end date; a Lab without dates has none."),
        ),
    )
}
