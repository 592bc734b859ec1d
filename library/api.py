"""The library part of the REST API: resources the requester may see, with the library's filters, and the address of
each file's download (the view that checks who asks), never where the file is stored."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import permissions, serializers, viewsets

from library.filters import ResourceFilter
from library.models import Resource
from practices.api import INVALID, NOT_FOUND, PageNumberPagination


class ResourceSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:resource-detail", lookup_field="slug")
    page = serializers.SerializerMethodField(help_text=_("The resource's public page."))
    file_url = serializers.SerializerMethodField(
        help_text=_("Where to download the file (for whoever may see the resource), or null without a file.")
    )
    lab = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    themes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    state = serializers.CharField(read_only=True)
    link = serializers.URLField(source="url", read_only=True, help_text=_("The resource elsewhere, when it is a link."))

    class Meta:
        model = Resource
        fields = [
            "url", "page", "slug", "title", "kind", "description", "descriptions", "authors", "published_year",
            "language", "licence", "link", "file_url", "file_type", "file_size", "page_count", "download_count",
            "reference_only", "lab", "themes", "state", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_page(self, resource) -> str:
        return self.context["request"].build_absolute_uri(resource.get_absolute_url())

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_file_url(self, resource) -> str | None:
        if not resource.file:
            return None
        return self.context["request"].build_absolute_uri(reverse("library:download", kwargs={"slug": resource.slug}))


@extend_schema_view(
    list=extend_schema(responses={200: ResourceSerializer(many=True), 400: INVALID, 404: NOT_FOUND}),
    retrieve=extend_schema(responses={200: ResourceSerializer, 400: INVALID, 404: NOT_FOUND}),
)
class ResourceViewSet(viewsets.ReadOnlyModelViewSet):
    """Library resources: what the requester may see (published ones for the public)."""

    lookup_field = "slug"
    serializer_class = ResourceSerializer
    filterset_class = ResourceFilter
    filter_backends = [DjangoFilterBackend]
    pagination_class = PageNumberPagination
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return Resource.objects.visible_to(self.request.user).with_relations().order_by("title", "pk")
