"""The practices and spaces part of the REST API: JSON and GeoJSON, the map's filters, the one access path."""

from django.contrib.gis.geos import MultiPolygon
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import pagination, permissions, renderers, serializers, viewsets
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.pagination import GeoJsonPagination
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from labs.models import Lab
from labs.moderation import ModerationState
from labs.roles import Role, has_role
from practices import services
from practices.filters import PracticeFilter, SpaceFilter
from practices.models import SDG, Practice, PracticeTranslation, Space, Theme


class GeoJSONRenderer(renderers.JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000


class GeoJSONPageNumberPagination(GeoJsonPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000


class ModeratedContentPermission(permissions.BasePermission):
    """Read what visible_to() gives; write what editable_by() gives (the queryset already enforces the reads)."""

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or request.user.is_authenticated

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return type(obj).objects.editable_by(request.user).filter(pk=obj.pk).exists()


class TranslationSerializer(serializers.ModelSerializer):
    class Meta:
        model = PracticeTranslation
        fields = ["language", "title", "summary", "description"]


class LabField(serializers.SlugRelatedField):
    """A Lab by slug, among those the user may add content to."""

    def get_queryset(self):
        user = self.context["request"].user
        if has_role(user, Role.COORDINATOR):
            return Lab.objects.all()
        return Lab.objects.filter(memberships__user=user)


class ModeratedSerializerMixin:
    def validate_location(self, value):
        if value is not None and value.geom_type != "Point":
            raise serializers.ValidationError(_("The location must be a point."))
        if value is not None and not (-180 <= value.x <= 180 and -90 <= value.y <= 90):
            raise serializers.ValidationError(_("Longitude must be within -180..180 and latitude within -90..90."))
        return value

    def create(self, validated_data):
        validated_data["created_by"] = self.context["request"].user
        validated_data["state"] = ModerationState.DRAFT
        return super().create(validated_data)


class PracticeSerializer(ModeratedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:practice-detail", lookup_field="slug")
    page = serializers.SerializerMethodField(help_text=_("The practice's public page."))
    lab = LabField(slug_field="slug", required=False, allow_null=True)
    themes = serializers.SlugRelatedField(slug_field="slug", many=True, queryset=Theme.objects.all(), required=False)
    primary_theme = serializers.SlugRelatedField(
        slug_field="slug", queryset=Theme.objects.all(), required=False, allow_null=True
    )
    sdgs = serializers.PrimaryKeyRelatedField(many=True, queryset=SDG.objects.all(), required=False)
    translations = TranslationSerializer(many=True, read_only=True)
    location = GeometryField(required=False, allow_null=True, precision=6)
    state = serializers.CharField(read_only=True)

    class Meta:
        model = Practice
        fields = [
            "url", "page", "slug", "title", "summary", "description", "original_language", "translations",
            "primary_theme", "themes", "sdgs", "dimensions", "target_groups", "resources", "scale", "status",
            "start_date", "end_date", "country", "city", "location", "website", "lab", "state",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["slug", "created_at", "updated_at"]

    def get_page(self, practice) -> str:
        return self.context["request"].build_absolute_uri(practice.get_absolute_url())

    def validate(self, attrs):
        start, end = attrs.get("start_date"), attrs.get("end_date")
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": _("The end date cannot come before the start date.")})
        return attrs

    @transaction.atomic
    def create(self, validated_data):
        return super().create(validated_data)


class PracticeGeoSerializer(GeoFeatureModelSerializer, PracticeSerializer):
    class Meta(PracticeSerializer.Meta):
        geo_field = "location"
        id_field = "slug"


class SpaceSerializer(ModeratedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:space-detail", lookup_field="slug")
    lab = LabField(slug_field="slug", required=False, allow_null=True)
    location = GeometryField(precision=6)
    area = GeometryField(required=False, allow_null=True, precision=6)
    state = serializers.CharField(read_only=True)

    class Meta:
        model = Space
        fields = [
            "url", "slug", "name", "kind", "description", "address", "city", "country", "location", "area",
            "tenure", "step_free", "accessibility", "lab", "state", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["slug", "created_at", "updated_at"]

    def validate_area(self, value):
        if value is not None and value.geom_type == "Polygon":
            value = MultiPolygon(value, srid=value.srid)
        if value is not None and value.geom_type != "MultiPolygon":
            raise serializers.ValidationError(_("The area must be a polygon or a multipolygon."))
        if value is not None and not value.valid:
            raise serializers.ValidationError(
                _("The area is not a valid shape: %(reason)s") % {"reason": value.valid_reason}
            )
        return value


class SpaceGeoSerializer(GeoFeatureModelSerializer, SpaceSerializer):
    class Meta(SpaceSerializer.Meta):
        geo_field = "location"
        id_field = "slug"


class ModeratedViewSet(viewsets.ModelViewSet):
    lookup_field = "slug"
    permission_classes = [ModeratedContentPermission]
    filter_backends = [DjangoFilterBackend]
    renderer_classes = [renderers.JSONRenderer, GeoJSONRenderer, renderers.BrowsableAPIRenderer]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]  # archive instead of delete

    @property
    def geojson(self) -> bool:
        return (
            getattr(self.request, "accepted_renderer", None) is not None
            and self.request.accepted_renderer.format == "geojson"
        )

    def perform_update(self, serializer):
        services.review_if_needed(serializer.instance, by=self.request.user)
        serializer.save()

    @property
    def paginator(self):
        if not hasattr(self, "_paginator"):
            self._paginator = GeoJSONPageNumberPagination() if self.geojson else PageNumberPagination()
        return self._paginator


class PracticeViewSet(ModeratedViewSet):
    """Practices: what the requester may see; create and change what the requester may edit."""

    filterset_class = PracticeFilter

    def get_queryset(self):
        return Practice.objects.visible_to(self.request.user).with_relations().order_by("title", "pk")

    def get_serializer_class(self):
        return PracticeGeoSerializer if self.geojson else PracticeSerializer


class SpaceViewSet(ModeratedViewSet):
    """Spaces where practices happen."""

    filterset_class = SpaceFilter

    def get_queryset(self):
        return Space.objects.visible_to(self.request.user).select_related("lab").order_by("name", "pk")

    def get_serializer_class(self):
        return SpaceGeoSerializer if self.geojson else SpaceSerializer
