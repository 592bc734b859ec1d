"""Field validators every app shares: places and periods. Models name them once; ModelForm, DRF serializers, the
importers and the admin all run them, so a rule cannot drift between the paths that write a row."""

from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def _plain_lon_lat(geometry: GEOSGeometry) -> None:
    if geometry.hasz:
        raise ValidationError(_("Give longitude and latitude only, without a height."), code="z")
    if geometry.empty:
        raise ValidationError(_("The shape is empty."), code="empty")
    west, south, east, north = geometry.extent
    # Written so that NaN fails too: every comparison with NaN is false.
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise ValidationError(_("Longitude must be within -180..180 and latitude within -90..90."), code="range")


def validate_point(value: GEOSGeometry | None) -> None:
    """A location: one point on Earth, in longitude and latitude."""
    if value is None:
        return
    if value.geom_type != "Point":
        raise ValidationError(_("The location must be a point."), code="geom_type")
    _plain_lon_lat(value)


def validate_area(value: GEOSGeometry | None) -> None:
    """An area: non-empty, valid polygons on Earth."""
    if value is None:
        return
    if value.geom_type not in ("Polygon", "MultiPolygon"):
        raise ValidationError(_("The area must be a polygon or a multipolygon."), code="geom_type")
    _plain_lon_lat(value)
    if not value.valid:
        if "Self-intersection" in value.valid_reason:
            raise ValidationError(
                _("The edges of the area cross each other, or two of its shapes overlap: redraw it."), code="crossing"
            )
        raise ValidationError(
            _("The area is not a valid shape: %(reason)s"), code="invalid", params={"reason": value.valid_reason}
        )


def validate_period(start, end, *, end_field: str = "end_date") -> None:
    """An end never comes before its start (the models' CheckConstraints guard the same in the database)."""
    if start and end and end < start:
        raise ValidationError({end_field: _("The end date cannot come before the start date.")}, code="period")
