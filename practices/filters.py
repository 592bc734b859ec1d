"""The filters of the map, its result list, the API and the exports: one definition, kept in the URL."""

import django_filters
from django import forms
from django.contrib.gis.geos import Polygon
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from labs.models import Lab
from practices.models import SDG, Practice, Theme
from practices.vocabularies import PracticeStatus, ResilienceDimension, Scale, TargetGroup


class BBoxField(django_filters.fields.forms.CharField):
    """west,south,east,north in degrees (WGS 84)."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            west, south, east, north = (float(part) for part in value.split(","))
        except ValueError:
            raise ValidationError(_("Give the box as west,south,east,north in degrees."), code="bbox") from None
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            raise ValidationError(_("The box must lie within -180..180 and -90..90, west before east."), code="bbox")
        return Polygon.from_bbox((west, south, east, north))


class BBoxFilter(django_filters.Filter):
    field_class = BBoxField

    def filter(self, qs, value):
        if value is None:
            return qs
        value.srid = 4326
        return qs.filter(**{f"{self.field_name}__intersects": value})


class PracticeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    theme = django_filters.ModelMultipleChoiceFilter(
        field_name="themes__slug",
        to_field_name="slug",
        queryset=Theme.objects.all(),
        label=_("Theme"),
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
        method="filter_exists",
    )
    sdg = django_filters.ModelMultipleChoiceFilter(
        field_name="sdgs", queryset=SDG.objects.all(), label=_("SDG"), method="filter_exists"
    )
    dimension = django_filters.MultipleChoiceFilter(
        field_name="dimensions",
        choices=ResilienceDimension.choices,
        label=_("Resilience dimension"),
        widget=forms.CheckboxSelectMultiple,
        method="filter_array",
    )
    target_group = django_filters.MultipleChoiceFilter(
        field_name="target_groups", choices=TargetGroup.choices, label=_("Target group"), method="filter_array"
    )
    country = django_filters.MultipleChoiceFilter(choices=list(countries), label=_("Country"))
    lab = django_filters.ModelChoiceFilter(
        field_name="lab", to_field_name="slug", queryset=Lab.objects.all(), label=_("Lab")
    )
    status = django_filters.MultipleChoiceFilter(
        choices=PracticeStatus.choices, label=_("Status"), widget=forms.CheckboxSelectMultiple
    )
    scale = django_filters.MultipleChoiceFilter(choices=Scale.choices, label=_("Scale"))
    bbox = BBoxFilter(field_name="location", label=_("Map area"))

    class Meta:
        model = Practice
        fields: list[str] = []

    def search(self, queryset, name: str, value: str) -> QuerySet:  # NUL bytes are dropped by .search()
        return queryset.search(value)

    def filter_exists(self, queryset, name: str, value: list) -> QuerySet:
        # Any of the chosen values, without joining (so no duplicate rows and no DISTINCT).
        if not value:
            return queryset
        through = Practice.themes.through if name.startswith("themes") else Practice.sdgs.through
        key = "theme_id" if name.startswith("themes") else "sdg_id"
        ids = [item.pk for item in value]
        return queryset.filter(pk__in=through.objects.filter(**{f"{key}__in": ids}).values("practice_id"))

    def filter_array(self, queryset, name: str, value: list[str]) -> QuerySet:
        return queryset.filter(**{f"{name}__overlap": list(value)}) if value else queryset


class SpaceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    country = django_filters.MultipleChoiceFilter(choices=list(countries), label=_("Country"))
    lab = django_filters.ModelChoiceFilter(
        field_name="lab", to_field_name="slug", queryset=Lab.objects.all(), label=_("Lab")
    )
    bbox = BBoxFilter(field_name="location", label=_("Map area"))

    class Meta:
        from practices.models import Space

        model = Space
        fields: list[str] = []
