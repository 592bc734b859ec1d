"""The filters of the activity list, the month view and the API: one definition, kept in the URL."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from activities.models import Activity, ActivityKind, ActivityMode
from labs.models import Lab
from networks.models import Network

# What an unchosen filter says (instead of Django's "---------").
ALL = _("All")


class ActivityFilter(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(
        choices=ActivityKind.choices, label=_("Kind"), widget=forms.CheckboxSelectMultiple
    )
    lab = django_filters.ModelChoiceFilter(
        to_field_name="slug", queryset=Lab.objects.all(), label=_("Lab"), method="filter_lab", empty_label=ALL
    )
    network = django_filters.ModelChoiceFilter(
        field_name="networks",
        to_field_name="slug",
        queryset=Network.objects.all(),
        label=_("Network"),
        method="filter_network",
        empty_label=ALL,
    )
    mode = django_filters.ChoiceFilter(choices=ActivityMode.choices, label=_("Format"), empty_label=ALL)
    country = django_filters.ChoiceFilter(choices=list(countries), label=_("Country"), empty_label=ALL)
    when = django_filters.ChoiceFilter(
        choices=[("upcoming", _("Upcoming")), ("past", _("Past"))],
        label=_("When"),
        method="filter_when",
        empty_label=ALL,
    )
    start = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__gte", label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = django_filters.DateFilter(
        field_name="starts_at",
        lookup_expr="date__lte",
        label=_("Until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Activity
        fields: list[str] = []

    def filter_lab(self, queryset, name: str, lab) -> QuerySet:
        # Its own and those it takes part in, without a join (no duplicate rows, no DISTINCT).
        if lab is None:
            return queryset
        shared = Activity.other_labs.through.objects.filter(lab=lab).values("activity_id")
        return queryset.filter(Q(lab=lab) | Q(pk__in=shared))

    def filter_network(self, queryset, name: str, network) -> QuerySet:
        if network is None:
            return queryset
        return queryset.filter(pk__in=Activity.networks.through.objects.filter(network=network).values("activity_id"))

    def filter_when(self, queryset, name: str, value: str) -> QuerySet:
        now = timezone.now()
        upcoming = Q(ends_at__gte=now) | Q(ends_at__isnull=True, starts_at__gte=now)
        if value == "upcoming":
            return queryset.filter(upcoming)
        if value == "past":
            return queryset.filter(starts_at__isnull=False).exclude(upcoming)
        return queryset
