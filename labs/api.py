"""The Labs part of the REST API: read-only for everyone, JSON or GeoJSON of the territories (?format=geojson or
/api/v1/labs.geojson). Member counts are public; names never are."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.rest_framework_gis import GeoFeatureModelSerializerExtension
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import renderers, serializers, viewsets
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from conect import apibase
from conect.apibase import GeoJSONRenderer
from conect.fastjson import document, geojson, url
from labs.models import Lab


class LabSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code", read_only=True)
    url = serializers.SerializerMethodField(help_text=_("The Lab's public page."))
    member_count = serializers.IntegerField(read_only=True, help_text=_("How many people are members (no names)."))

    class Meta:
        model = Lab
        fields = ["slug", "name", "country", "city", "description", "descriptions", "start_date", "end_date", "url",
                  "member_count"]  # fmt: skip

    def get_url(self, lab: Lab) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(lab.get_absolute_url()) if request else lab.get_absolute_url()


class LabGeoSerializer(GeoFeatureModelSerializer, LabSerializer):
    class Meta(LabSerializer.Meta):
        fields = list(LabSerializer.Meta.fields)  # rest_framework_gis appends the geometry: not to LabSerializer's
        geo_field = "territory"
        id_field = "slug"


class LabGeoSerializerSchema(GeoFeatureModelSerializerExtension):
    """drf-spectacular's schema of a Lab's feature, whose geometry is null until its territory is drawn."""

    target_class = LabGeoSerializer
    priority = 1

    def map_serializer(self, auto_schema, direction):
        schema = super().map_serializer(auto_schema, direction)
        schema["properties"]["geometry"]["nullable"] = True
        return schema


class LabErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


@extend_schema_serializer(many=False)
class LabFeatureCollectionSerializer(serializers.Serializer):
    """Every Lab as a GeoJSON feature, its territory as geometry (null when none is drawn)."""

    type = serializers.ChoiceField(choices=["FeatureCollection"])
    features = serializers.ListField(child=LabGeoSerializer())


JSON, GEOJSON = renderers.JSONRenderer.media_type, GeoJSONRenderer.media_type
NOT_FOUND = OpenApiResponse(LabErrorSerializer, description=_("No Lab by that slug."))


@extend_schema_view(
    list=extend_schema(
        summary=_("The Labs, with their public figures"),
        responses={
            (200, JSON): LabSerializer,
            (200, GEOJSON): LabFeatureCollectionSerializer,
            404: NOT_FOUND,
        },
    ),
    retrieve=extend_schema(
        summary=_("One Lab"),
        responses={(200, JSON): LabSerializer, (200, GEOJSON): LabGeoSerializer, 404: NOT_FOUND},
    ),
)
class LabViewSet(apibase.APIBase, viewsets.ReadOnlyModelViewSet):
    """CoNECT Labs: read by anyone (Labs are public); their members' names are never in the API. Assembled by
    PostgreSQL (one query), with ?lang=, modified_since and Last-Modified (conect.apibase)."""

    lookup_field = "slug"
    sync_id_field = "slug"
    pagination_class = None  # a few dozen Labs: one answer, one FeatureCollection
    renderer_classes = [apibase.JSONRenderer, GeoJSONRenderer, renderers.BrowsableAPIRenderer]

    def fast_document(self, geojson_: bool):
        names = ["slug", "name", "country", "city", "description", "descriptions", "start_date", "end_date"]
        fields = {name: F(name) for name in names}
        fields["url"] = url("labs:detail", prefix=self.request.build_absolute_uri("/")[:-1])
        fields["member_count"] = F("member_count")
        return document(fields, as_feature=geojson_, geometry=geojson("territory"))

    def get_queryset(self):
        return Lab.objects.visible_to(self.request.user).with_counts().order_by("name", "pk")

    def get_serializer_class(self):
        accepted = getattr(self.request, "accepted_renderer", None)
        return LabGeoSerializer if accepted is not None and accepted.format == "geojson" else LabSerializer
