"""The filters of the organisation list, its map, the graph of a selection, the exports and the API: one definition,
kept in the URL."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from labs.models import Lab
from networks.models import Network, NetworkMembership, Organisation, OrganisationKind, Sector

# What an unchosen filter says (instead of Django's "---------").
ALL = _("All")


def countries_in_use() -> list[tuple[str, str]]:
    """The countries of published organisations, named in the reader's language (read when the form is built)."""
    codes = Organisation.objects.published().exclude(country="").order_by().values_list("country", flat=True).distinct()
    return sorted(((code, countries.name(code)) for code in codes), key=lambda choice: choice[1])


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, label=_("Kind"), empty_label=ALL)
    sector = django_filters.ChoiceFilter(choices=Sector.choices, label=_("Sector"), empty_label=ALL)
    country = django_filters.ChoiceFilter(choices=countries_in_use, label=_("Country"), empty_label=ALL)
    network = django_filters.ModelChoiceFilter(
        field_name="memberships__network",
        to_field_name="slug",
        queryset=Network.objects.all(),
        label=_("Network"),
        method="filter_network",
        empty_label=ALL,
    )
    lab = django_filters.ModelChoiceFilter(
        to_field_name="slug", queryset=Lab.objects.all(), label=_("Mapped by the Lab"), empty_label=ALL
    )

    class Meta:
        model = Organisation
        fields: list[str] = []

    def search(self, queryset, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(city__icontains=value))

    def filter_network(self, queryset, name: str, network) -> QuerySet:
        # Members of the network or of its hubs, without a join (no duplicate rows, no DISTINCT).
        if network is None:
            return queryset
        return queryset.filter(pk__in=NetworkMembership.objects.of_network(network).values("organisation_id"))
