"""Which organisations and relationships make the graph of a network, a Lab, a filtered selection or everything,
as one person may see them. The graph view, the analysis, the exports and the API all start here.

A network's graph: its members (and its hubs' members), the relationships recorded within it, and the relationships
between two of its members. A Lab's graph: the organisations and relationships the Lab mapped, and the organisations
at the other end of those relationships. A selection: the organisations that pass the filters of the organisation
list, and the relationships between two of them.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import FloatField, Func, Q, QuerySet
from django.http import QueryDict
from django.urls import reverse

from labs.models import Lab
from labs.moderation import ModerationState
from networks.filters import OrganisationFilter
from networks.models import Direction, Network, NetworkMembership, Organisation, Relationship


@dataclass(frozen=True)
class Scope:
    """What a graph covers. `key` names it where results are kept (networks.models.Analysis.scope)."""

    network: Network | None = None
    lab: Lab | None = None
    filters: dict[str, str] = field(default_factory=dict)  # a selection: the organisation list's filters

    @property
    def key(self) -> str:
        if self.network is not None:
            return f"network:{self.network.pk}"
        if self.lab is not None:
            return f"lab:{self.lab.pk}"
        return "all" if not self.filters else ""  # a selection's metrics are not kept

    @property
    def title(self) -> str:
        return str(self.network or self.lab or "")

    def query(self) -> str:
        """The query string that names this scope in a URL (?network=, ?lab=, or the filters)."""
        data = QueryDict(mutable=True)
        if self.network is not None:
            data["network"] = self.network.slug
        elif self.lab is not None:
            data["lab"] = self.lab.slug
        else:
            data.update(self.filters)
        return data.urlencode()


class ScopeNotFound(Exception):
    """The URL names a network or Lab that does not exist (or the filters are invalid): answer 404 or 400."""


def scope_from_query(query: QueryDict, user) -> Scope:
    """?network=<slug> or ?lab=<slug> alone name that network's or Lab's graph; any other of the organisation list's
    filters (q, kind, sector, country, network, lab) make a selection; nothing at all, everything."""
    filters = {key: value for key, value in query.items() if key in OrganisationFilter.base_filters and value}
    if list(filters) == ["network"]:
        network = Network.objects.visible_to(user).filter(slug=filters["network"]).first()
        if network is None:
            raise ScopeNotFound(filters["network"])
        return Scope(network=network)
    if list(filters) == ["lab"]:
        lab = Lab.objects.filter(slug=filters["lab"]).first()
        if lab is None:
            raise ScopeNotFound(filters["lab"])
        return Scope(lab=lab)
    if filters and not OrganisationFilter(filters, queryset=Organisation.objects.none()).is_valid():
        raise ScopeNotFound(str(filters))
    return Scope(filters=filters)


def _members(network: Network) -> QuerySet:
    return NetworkMembership.objects.of_network(network).values("organisation_id")


def organisations_and_relationships(scope: Scope, user) -> tuple[QuerySet, QuerySet]:
    """The organisations (nodes) and relationships (edges) of `scope` that `user` may see; every edge's two ends are
    among the nodes. Both are querysets: callers add their own select_related/only."""
    organisations = Organisation.objects.visible_to(user)
    relationships = Relationship.objects.between_visible(user)
    if scope.network is not None:
        members = _members(scope.network)
        relationships = relationships.filter(
            Q(network=scope.network) | Q(network__parent=scope.network) | Q(source__in=members, target__in=members)
        )
        ends = relationships.values("source_id").union(relationships.values("target_id"))
        nodes = organisations.filter(Q(pk__in=members) | Q(pk__in=ends))
    elif scope.lab is not None:
        relationships = relationships.filter(lab=scope.lab)
        ends = relationships.values("source_id").union(relationships.values("target_id"))
        nodes = organisations.filter(Q(lab=scope.lab) | Q(pk__in=ends))
    else:
        nodes = OrganisationFilter(scope.filters, queryset=organisations).qs
        if scope.filters:
            relationships = relationships.filter(source__in=nodes.values("pk"), target__in=nodes.values("pk"))
    return nodes, relationships


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


class _Coordinate(Func):
    output_field = FloatField()


def graph_data(scope: Scope, user) -> dict:
    """The graph as plain data (two queries): what the graph view draws, its table lists and the exports write.

    Plain rows, not model instances: at 2,000 organisations building instances and GEOS points took most of the time."""
    organisations, relationships = organisations_and_relationships(scope, user)
    placeholder = "0slug0"
    url = reverse("networks:organisation", kwargs={"slug": placeholder})
    rows = (
        organisations.order_by("name", "pk")
        .annotate(lat=_Coordinate("location", function="ST_Y"), lon=_Coordinate("location", function="ST_X"))
        .values_list("pk", "name", "slug", "kind", "sector", "country", "city", "lat", "lon", "state")
    )
    nodes = [
        {
            "id": pk,
            "label": name,
            "slug": slug,
            "url": url.replace(placeholder, slug),
            "kind": kind,
            "sector": sector,
            "country": country,
            "city": city,
            "lat": lat,
            "lon": lon,
            "published": state == ModerationState.PUBLISHED,
        }
        for pk, name, slug, kind, sector, country, city, lat, lon, state in rows
    ]
    rows = relationships.order_by("pk").values_list(
        "pk", "source_id", "target_id", "kind", "direction", "strength", "start_date", "end_date", "network_id",
        "lab_id", "state",
    )  # fmt: skip
    edges = [
        {
            "id": pk,
            "source": source,
            "target": target,
            "kind": kind,
            "directed": direction == Direction.DIRECTED,
            "strength": strength,
            "start": _day(start),
            "end": _day(end),
            "network": network,
            "lab": lab,
            "published": state == ModerationState.PUBLISHED,
        }
        for pk, source, target, kind, direction, strength, start, end, network, lab, state in rows
    ]
    return {"nodes": nodes, "edges": edges}
