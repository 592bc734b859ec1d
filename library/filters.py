"""The library's filters: one definition for its page and its API, kept in the URL."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from labs.models import Lab
from library.models import Licence, Resource, ResourceKind
from practices.models import Theme
from practices.vocabularies import language_choices

YEARS = [(str(year), str(year)) for year in range(1900, 2101)]


class ResourceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Words to look for, in any language"))
    kind = django_filters.MultipleChoiceFilter(
        choices=ResourceKind.choices, label=_("Kind"), widget=forms.CheckboxSelectMultiple
    )
    theme = django_filters.ModelMultipleChoiceFilter(
        field_name="themes__slug",
        to_field_name="slug",
        queryset=Theme.objects.all(),
        label=_("Theme"),
        widget=forms.CheckboxSelectMultiple,
        method="filter_themes",
    )
    language = django_filters.MultipleChoiceFilter(
        choices=language_choices, label=_("Language"), widget=forms.CheckboxSelectMultiple
    )
    licence = django_filters.MultipleChoiceFilter(
        choices=Licence.choices, label=_("Licence"), widget=forms.CheckboxSelectMultiple
    )
    lab = django_filters.ModelMultipleChoiceFilter(
        field_name="lab",
        to_field_name="slug",
        queryset=Lab.objects.all(),
        label=_("Lab"),
        widget=forms.CheckboxSelectMultiple,
    )
    year = django_filters.TypedMultipleChoiceFilter(
        field_name="published_year", choices=YEARS, coerce=int, label=_("Year"), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Resource
        fields: list[str] = []

    def search(self, queryset, name: str, value: str) -> QuerySet:
        return queryset.search(value)

    def filter_themes(self, queryset, name: str, value: list) -> QuerySet:
        # Any of the chosen themes, without a join (so no duplicate rows and no DISTINCT).
        if not value:
            return queryset
        through = Resource.themes.through.objects.filter(theme_id__in=[theme.pk for theme in value])
        return queryset.filter(pk__in=through.values("resource_id"))
