"""The public pages of the networks app: networks, organisations (list, map, page) and relationships. What each
person sees comes from the models' access paths (visible_to, between_visible); the editors' side is edit_views."""

import math
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.shortcuts import render
from django.views.generic import DetailView, ListView

from labs.moderation import ModerationState
from networks.filters import OrganisationFilter
from networks.models import (
    Network,
    NetworkMembership,
    NetworkRole,
    Organisation,
    PracticeOrganisation,
    Relationship,
)
from practices.forms import ModerationForm
from practices.models import Practice

PAGE_SIZE = 30
NETWORK_PAGE_SIZE = 100  # members and relationships per page of a network's page
MAP_SIZE = 5000  # points on the list's map; the table pages through all of them

# Lead partners first, then partners, then members.
_ROLE_ORDER = Case(
    When(role=NetworkRole.LEAD, then=Value(0)),
    When(role=NetworkRole.PARTNER, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


class NetworkListView(ListView):
    template_name = "networks/network_list.html"
    context_object_name = "networks"

    def get_queryset(self):
        return (
            Network.objects.visible_to(self.request.user)
            .filter(parent__isnull=True)
            .annotate(
                member_count=Count(
                    "memberships",
                    filter=Q(memberships__organisation__in=Organisation.objects.visible_to(self.request.user)),
                    distinct=True,
                ),
                part_count=Count("parts", distinct=True),
            )
        )


@dataclass
class TablePage:
    rows: list
    number: int
    has_next: bool
    query: str = ""  # the request's other parameters (the other table's page), for the pager's links

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def has_previous(self) -> bool:
        return self.number > 1


MAX_TABLE_PAGE = 10**6  # beyond any table: an OFFSET from a larger number would overflow PostgreSQL's bigint


def table_page(queryset, params, param: str) -> TablePage:
    """The page `params[param]` of a table in one query (a row more than the page says whether another follows; no
    COUNT): page 1 for a number that is none, the last page for one past the end (then one COUNT)."""
    try:
        number = min(max(int(params.get(param) or 1), 1), MAX_TABLE_PAGE)
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * NETWORK_PAGE_SIZE
    rows = list(queryset[start : start + NETWORK_PAGE_SIZE + 1])
    if not rows and number > 1:
        number = max(math.ceil(queryset.count() / NETWORK_PAGE_SIZE), 1)
        start = (number - 1) * NETWORK_PAGE_SIZE
        rows = list(queryset[start : start + NETWORK_PAGE_SIZE + 1])
    others = params.copy()
    others.pop(param, None)
    query = others.urlencode()
    return TablePage(rows[:NETWORK_PAGE_SIZE], number, len(rows) > NETWORK_PAGE_SIZE, query + "&" if query else "")


class NetworkDetailView(DetailView):
    template_name = "networks/network_detail.html"
    context_object_name = "network"

    def get_queryset(self):
        return Network.objects.visible_to(self.request.user).select_related("parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        network = self.object
        user = self.request.user
        memberships = (
            NetworkMembership.objects.visible_to(user)
            .filter(network=network)
            .select_related("organisation")
            .order_by(_ROLE_ORDER, "organisation__name", "pk")
        )
        relationships = (
            Relationship.objects.between_visible(user)
            .filter(network=network)
            .select_related("source", "target")
            .order_by("source__name", "target__name", "kind", "pk")
        )
        # Pages, not every row: a network of 2,000 organisations and 4,765 ties took 6 s to render whole.
        context["memberships"] = table_page(memberships, self.request.GET, "members")
        context["relationships"] = table_page(relationships, self.request.GET, "relationships")
        context["parts"] = Network.objects.visible_to(user).filter(parent=network)
        return context


def organisation_list(request):
    """Organisations with the list's filters (kept in the URL): a page of the table, and all of them on the map."""
    queryset = Organisation.objects.visible_to(request.user).select_related("lab")
    filters = OrganisationFilter(request.GET or None, queryset=queryset)
    organisations = filters.qs.order_by("name", "pk")
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    placed = organisations.filter(location__isnull=False).select_related(None).only("name", "slug", "location")
    points = [
        {"lat": round(row.location.y, 6), "lng": round(row.location.x, 6), "title": row.name,
         "url": row.get_absolute_url()}
        for row in placed[:MAP_SIZE]
    ]  # fmt: skip
    context = {
        "filters": filters,
        "page": page,
        "organisations": page.object_list,
        "points": points,
        "query": query.urlencode(),
        "filtered": any(value for key, value in request.GET.items() if key != "page"),
    }
    return render(request, "networks/organisation_list.html", context, status=400 if filters.errors else 200)


def _moderation_context(item, user) -> dict:
    """What an item's page offers its editors and moderators (the forms post to edit_views)."""
    can_edit = type(item).objects.editable_by(user).filter(pk=item.pk).exists()
    can_moderate = user.is_authenticated and item.can_moderate(user)
    context = {"can_edit": can_edit, "can_moderate": can_moderate}
    if can_moderate and item.state == ModerationState.SUBMITTED:
        context["moderation_form"] = ModerationForm(initial={"version": item.version})
    return context


class OrganisationDetailView(DetailView):
    template_name = "networks/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return Organisation.objects.visible_to(self.request.user).select_related("lab")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation, user = self.object, self.request.user
        context |= _moderation_context(organisation, user)
        relationships = list(
            Relationship.objects.between_visible(user)
            .filter(Q(source=organisation) | Q(target=organisation))
            .select_related("source", "target", "lab", "network")
            .order_by("kind", "source__name", "target__name", "pk")
        )
        labs = {organisation.lab.pk: organisation.lab} if organisation.lab else {}
        for relationship in relationships:
            if relationship.lab is not None:
                labs.setdefault(relationship.lab.pk, relationship.lab)
        context |= {
            "description": organisation.localised_description,
            "people": list(organisation.people.order_by("name", "pk")),
            "memberships": NetworkMembership.objects.filter(organisation=organisation)
            .select_related("network")
            .order_by("network__name"),
            "relationships": relationships,
            "involvements": PracticeOrganisation.objects.filter(
                organisation=organisation, practice__in=Practice.objects.visible_to(user)
            )
            .select_related("practice")
            .order_by("practice__title"),
            "labs": sorted(labs.values(), key=lambda lab: lab.name),
            "map_place": {"lat": organisation.location.y, "lng": organisation.location.x, "zoom": 12}
            if organisation.location
            else None,
        }
        return context


class RelationshipDetailView(DetailView):
    template_name = "networks/relationship_detail.html"
    context_object_name = "relationship"

    def get_queryset(self):
        return Relationship.objects.between_visible(self.request.user).select_related(
            "source", "target", "lab", "network"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return context | _moderation_context(self.object, self.request.user)
