"""The networks part of the REST API, read-only: organisations (JSON, or GeoJSON with ?format=geojson), networks with
their memberships, relationships, and the stored metrics of a network. Every row through the one access path
(visible_to, between_visible): drafts only for the Lab's people and coordinators. People appear by name and role,
as on the organisation's page; their contact details never."""

import django_filters
from django.db.models import F, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, renderers, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework_gis.fields import GeometryField

from conect import apibase
from conect.apibase import CSVRenderer, CursorPagination, GeoJSONRenderer, PageNumberPagination
from conect.fastjson import array, document, geojson, obj, timestamp, url
from labs.models import Lab
from networks.analysis import current_version, is_stale
from networks.filters import OrganisationFilter
from networks.graph import Scope, organisations_and_relationships
from networks.models import (
    Analysis,
    Network,
    NetworkMembership,
    Organisation,
    OrganisationPerson,
    Relationship,
    RelationshipKind,
)
from practices.api import GEOJSON, INVALID, JSON, NOT_FOUND, FeatureSerializer, _feature_page


class PersonSerializer(serializers.ModelSerializer):
    """A person as the public sees them: a name and a role inside the organisation (never an e-mail or phone)."""

    class Meta:
        model = OrganisationPerson
        fields = ["name", "role"]
        read_only_fields = fields


class OrganisationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:organisation-detail", lookup_field="slug")
    page = serializers.SerializerMethodField(help_text=_("The organisation's public page."))
    country = serializers.CharField(source="country.code", read_only=True)
    location = GeometryField(read_only=True, allow_null=True, precision=6)
    lab = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text=_("The Lab that mapped it.")
    )
    people = PersonSerializer(many=True, read_only=True)
    state = serializers.CharField(read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id", "url", "page", "slug", "name", "kind", "sector", "size", "country", "city", "location", "website",
            "description", "descriptions", "lab", "people", "state", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields
        # Read-only fields lose allow_blank, and the schema the "" these may be.
        extra_kwargs = {name: {"allow_blank": True} for name in ("sector", "size", "website")}

    def get_page(self, organisation: Organisation) -> str:
        return self.context["request"].build_absolute_uri(organisation.get_absolute_url())


class OrganisationGeoSerializer(FeatureSerializer, OrganisationSerializer):
    class Meta(OrganisationSerializer.Meta):
        geo_field = "location"
        id_field = "slug"


class OrganisationRefSerializer(serializers.ModelSerializer):
    """An organisation named inside another answer: enough to find it at /api/v1/organisations/<slug>/."""

    class Meta:
        model = Organisation
        fields = ["id", "slug", "name"]
        read_only_fields = fields


class MembershipSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True)

    class Meta:
        model = NetworkMembership
        fields = ["organisation", "role", "start_date", "end_date"]
        read_only_fields = fields


class NetworkSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:network-detail", lookup_field="slug")
    page = serializers.SerializerMethodField(help_text=_("The network's public page."))
    parent = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text=_("The network it is a hub of.")
    )
    country = serializers.CharField(source="country.code", read_only=True)
    memberships = MembershipSerializer(
        many=True, read_only=True, help_text=_("Its organisations (those the requester may see) and their roles.")
    )

    class Meta:
        model = Network
        fields = [
            "id", "url", "page", "slug", "name", "scope", "parent", "country", "programme", "budget_eur",
            "start_date", "end_date", "website", "description", "descriptions", "memberships",
        ]  # fmt: skip
        read_only_fields = fields
        extra_kwargs = {"website": {"allow_blank": True}}  # read-only fields lose it, and the schema the ""

    def get_page(self, network: Network) -> str:
        return self.context["request"].build_absolute_uri(network.get_absolute_url())


class RelationshipSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:relationship-detail")
    page = serializers.SerializerMethodField(help_text=_("The relationship's public page."))
    source = OrganisationRefSerializer(read_only=True)
    target = OrganisationRefSerializer(read_only=True)
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    lab = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text=_("The Lab that mapped it.")
    )
    evidence = serializers.CharField(read_only=True, help_text=_("Where it is known from."))
    state = serializers.CharField(read_only=True)

    class Meta:
        model = Relationship
        fields = [
            "id", "url", "page", "source", "target", "kind", "direction", "strength", "start_date", "end_date",
            "network", "lab", "evidence", "description", "state", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_page(self, relationship: Relationship) -> str:
        return self.context["request"].build_absolute_uri(relationship.get_absolute_url())


class MetricsSerializer(serializers.Serializer):
    network = serializers.SlugField()
    status = serializers.CharField(help_text=_("Where the analysis stands: waiting, running, done or failed."))
    computed_at = serializers.DateTimeField(allow_null=True, help_text=_("When these figures were computed."))
    data_version = serializers.IntegerField(help_text=_("The version of the data they were computed on."))
    current_version = serializers.IntegerField(help_text=_("The version of the data now."))
    stale = serializers.BooleanField(help_text=_("True when the data changed since: the figures may be out of date."))
    results = serializers.DictField(
        help_text=_(
            'The figures: "graph" holds the whole network\'s measures, "nodes" each organisation\'s by its id '
            "(published data only)."
        )
    )


class RelationshipFilter(django_filters.FilterSet):
    network = django_filters.ModelChoiceFilter(
        to_field_name="slug",
        queryset=Network.objects.all(),
        method="filter_network",
        label=_("Network"),
        help_text=_("The relationships of this network's graph (by the network's slug), as its graph view draws it."),
    )
    lab = django_filters.ModelChoiceFilter(
        to_field_name="slug", queryset=Lab.objects.all(), label=_("Mapped by the Lab")
    )
    kind = django_filters.ChoiceFilter(choices=RelationshipKind.choices, label=_("Kind"))
    organisation = django_filters.CharFilter(
        method="filter_organisation",
        label=_("Organisation"),
        help_text=_("Relationships from or to this organisation (by its slug)."),
    )

    class Meta:
        model = Relationship
        fields: list[str] = []

    def filter_network(self, queryset, name: str, network: Network | None) -> QuerySet:
        if network is None:
            return queryset
        # The network's graph, as networks.graph defines it; the queryset already holds only what the user may see.
        _nodes, relationships = organisations_and_relationships(Scope(network=network), self.request.user)
        return queryset.filter(pk__in=relationships.values("pk"))

    def filter_organisation(self, queryset, name: str, slug: str) -> QuerySet:
        slug = slug.strip()
        return queryset.filter(Q(source__slug=slug) | Q(target__slug=slug)) if slug else queryset


class ReadOnlyViewSet(apibase.APIBase, viewsets.ReadOnlyModelViewSet):
    """Read-only, through conect.apibase: ?lang=, modified_since, Last-Modified, page-size limit."""

    permission_classes = [permissions.AllowAny]
    filter_backends = [DjangoFilterBackend]
    pagination_class = PageNumberPagination
    renderer_classes = [apibase.JSONRenderer, renderers.BrowsableAPIRenderer]


CSV = CSVRenderer.media_type

NOT_FOUND_METRICS = OpenApiResponse(
    {"type": "object", "properties": {"detail": {"type": "string"}}},
    description=_("No such network, or no figures computed for it yet."),
)


@extend_schema_view(
    list=extend_schema(
        summary=_("Organisations"),
        responses={
            (200, JSON): OrganisationSerializer(many=True),
            (200, GEOJSON): _feature_page(OrganisationGeoSerializer, "PaginatedOrganisationFeatureCollection"),
            (200, CSV): OpenApiTypes.STR,
            400: INVALID,
            404: NOT_FOUND,
        },
    ),
    retrieve=extend_schema(
        summary=_("One organisation"),
        responses={
            (200, JSON): OrganisationSerializer,
            (200, GEOJSON): OrganisationGeoSerializer,
            (200, CSV): OpenApiTypes.STR,
            400: INVALID,
            404: NOT_FOUND,
        },
    ),
)
class OrganisationViewSet(ReadOnlyViewSet):
    """Organisations the requester may see, with the organisation list's filters (q, kind, sector, country, network,
    lab); as GeoJSON with ?format=geojson (those without a place have a null geometry), as CSV with ?format=csv.
    JSON and GeoJSON pages are assembled by PostgreSQL (one query a page); modified_since syncs them."""

    lookup_field = "slug"
    sync_id_field = "slug"
    filterset_class = OrganisationFilter
    pagination_class = CursorPagination
    renderer_classes = [apibase.JSONRenderer, GeoJSONRenderer, CSVRenderer, renderers.BrowsableAPIRenderer]

    def get_queryset(self):
        return (
            Organisation.objects.visible_to(self.request.user)
            .select_related("lab")
            .prefetch_related(
                Prefetch("people", queryset=OrganisationPerson.objects.only("organisation", "name", "role"))
            )
            .order_by("name", "pk")
        )

    def get_serializer_class(self):
        return OrganisationGeoSerializer if self.geojson else OrganisationSerializer

    def fast_document(self, geojson_: bool):
        prefix = self.request.build_absolute_uri("/")[:-1]
        people = OrganisationPerson.objects.filter(organisation=OuterRef("pk")).order_by("name", "pk")
        names = ["name", "kind", "sector", "size", "country", "city"]
        fields = {
            "id": F("pk"),
            "url": url("api:organisation-detail", prefix=prefix),
            "page": url("networks:organisation", prefix=prefix),
            "slug": F("slug"),
            **{name: F(name) for name in names},
            "location": geojson("location"),
            "website": F("website"),
            "description": F("description"),
            "descriptions": F("descriptions"),
            "lab": F("lab__slug"),
            "people": array(people.values(j=obj(name=F("name"), role=F("role")))),
            "state": F("state"),
            "created_at": timestamp("created_at"),
            "updated_at": timestamp("updated_at"),
        }
        return document(fields, as_feature=geojson_)


@extend_schema_view(
    list=extend_schema(
        summary=_("Networks"), responses={200: NetworkSerializer(many=True), 400: INVALID, 404: NOT_FOUND}
    ),
    retrieve=extend_schema(summary=_("One network"), responses={200: NetworkSerializer, 400: INVALID, 404: NOT_FOUND}),
    metrics=extend_schema(
        summary=_("A network's stored metrics"),
        responses={200: MetricsSerializer, 400: INVALID, 404: NOT_FOUND_METRICS},
    ),
)
class NetworkViewSet(ReadOnlyViewSet):
    """Networks (public reference data) with their lead, partners and members: only the organisations the requester
    may see."""

    lookup_field = "slug"
    sync_id_field = "slug"
    serializer_class = NetworkSerializer
    filter_backends = []

    def get_queryset(self):
        memberships = (
            NetworkMembership.objects.visible_to(self.request.user)
            .select_related("organisation")
            .order_by("role", "organisation__name", "pk")
        )
        return (
            Network.objects.visible_to(self.request.user)
            .select_related("parent")
            .prefetch_related(Prefetch("memberships", queryset=memberships))
            .order_by("name", "pk")
        )

    @action(detail=True, methods=["get"], serializer_class=MetricsSerializer, pagination_class=None)
    def metrics(self, request, slug=None):
        """The figures of the network's last analysis (networks.analysis, on published data), with whether the data
        changed since they were computed."""
        network = self.get_object()
        analysis = Analysis.objects.filter(scope=Scope(network=network).key, data_version__isnull=False).first()
        if analysis is None or not analysis.results:
            raise NotFound(_("No figures have been computed for this network yet."))
        current = current_version()
        # Figures of organisations the requester may no longer see (unpublished since) stay out of the answer.
        results = dict(analysis.results)
        if isinstance(results.get("nodes"), dict):
            visible = {
                str(pk) for pk in Organisation.objects.visible_to(request.user).filter(
                    pk__in=[int(key) for key in results["nodes"] if key.isdigit()]
                ).values_list("pk", flat=True)
            }  # fmt: skip
            results["nodes"] = {key: row for key, row in results["nodes"].items() if key in visible}
        body = {
            "network": network.slug,
            "status": analysis.status,
            "computed_at": analysis.finished_at,
            "data_version": analysis.data_version,
            "current_version": current,
            "stale": is_stale(analysis, current),
            "results": results,
        }
        return Response(MetricsSerializer(body).data)


@extend_schema_view(
    list=extend_schema(
        summary=_("Relationships"),
        responses={
            (200, JSON): RelationshipSerializer(many=True),
            (200, CSV): OpenApiTypes.STR,
            400: INVALID,
            404: NOT_FOUND,
        },
    ),
    retrieve=extend_schema(
        summary=_("One relationship"), responses={200: RelationshipSerializer, 400: INVALID, 404: NOT_FOUND}
    ),
)
class RelationshipViewSet(ReadOnlyViewSet):
    """Relationships between organisations: those the requester may see whose two ends they may also see."""

    serializer_class = RelationshipSerializer
    filterset_class = RelationshipFilter
    pagination_class = CursorPagination
    renderer_classes = [apibase.JSONRenderer, CSVRenderer, renderers.BrowsableAPIRenderer]

    def get_queryset(self):
        return (
            Relationship.objects.between_visible(self.request.user)
            .select_related("source", "target", "network", "lab")
            .order_by("source__name", "target__name", "kind", "pk")
        )
