"""The library part of the REST API: resources the requester may see, with the library's filters, and the address of
each file's download (the view that checks who asks), never where the file is stored.

Listed by cursor pages assembled by PostgreSQL (one query a page), as JSON or CSV (?format=csv), with
modified_since (archived or unpublished resources come back as {"slug": ..., "gone": true}) and descriptions in the
reader's language (?lang= or Accept-Language)."""

from django.db.models import Case, F, OuterRef, Q, TextField, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import permissions, renderers, serializers, viewsets

from activities.api import (
    CSV,
    CursorOrdering,
    TranslatedSerializerMixin,
    description_language_field,
    ordering_filter,
    translated,
)
from conect import apibase
from conect.apibase import CSVRenderer, CursorPagination
from conect.fastjson import array, obj, timestamp, url
from library.filters import ResourceFilter
from library.models import Resource
from practices.api import INVALID, JSON, NOT_FOUND
from practices.models import Theme

NO_TEXT = Value(None, output_field=TextField())


class ResourceSerializer(TranslatedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:resource-detail", lookup_field="slug")
    page = serializers.SerializerMethodField(help_text=_("The resource's public page."))
    description_language = description_language_field()
    file_url = serializers.SerializerMethodField(
        help_text=_("Where to download the file (for whoever may see the resource), or null without a file.")
    )
    lab = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    themes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    state = serializers.CharField(read_only=True)
    link = serializers.URLField(
        source="url", read_only=True, allow_blank=True, help_text=_("The resource elsewhere, when it is a link.")
    )

    translated_fields = {"description": ("descriptions", "description_language")}

    class Meta:
        model = Resource
        fields = [
            "url", "page", "slug", "title", "kind", "description", "description_language", "descriptions", "authors",
            "published_year", "language", "licence", "link", "file_url", "file_type", "file_size", "page_count",
            "download_count", "reference_only", "lab", "themes", "state", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields
        extra_kwargs = {"licence": {"allow_blank": True}}  # read-only fields lose it, and the schema the ""

    def get_page(self, resource) -> str:
        return self.context["request"].build_absolute_uri(resource.get_absolute_url())

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_file_url(self, resource) -> str | None:
        if not resource.file:
            return None
        return self.context["request"].build_absolute_uri(reverse("library:download", kwargs={"slug": resource.slug}))


class ResourceAPIFilter(ResourceFilter):
    """The library page's filters, and the order of the cursor pages."""

    ordering = ordering_filter(id="id")


@extend_schema_view(
    list=extend_schema(
        responses={
            (200, JSON): ResourceSerializer(many=True),
            (200, CSV): OpenApiResponse(str, description=_("The page as a table, one row per resource.")),
            400: INVALID,
            404: NOT_FOUND,
        }
    ),
    retrieve=extend_schema(responses={200: ResourceSerializer, 400: INVALID, 404: NOT_FOUND}),
)
class ResourceViewSet(CursorOrdering, apibase.APIBase, viewsets.ReadOnlyModelViewSet):
    """Library resources: what the requester may see (published ones for the public). Cursor pages (by id;
    ?ordering=-id for the newest first), JSON or CSV, with the library page's filters and modified_since."""

    lookup_field = "slug"
    serializer_class = ResourceSerializer
    filterset_class = ResourceAPIFilter
    filter_backends = [DjangoFilterBackend]
    pagination_class = CursorPagination
    renderer_classes = [apibase.JSONRenderer, CSVRenderer, renderers.BrowsableAPIRenderer]
    permission_classes = [permissions.AllowAny]
    sync_id_field = "slug"

    def get_queryset(self):
        resources = Resource.objects.visible_to(self.request.user)
        if self.action in ("list", "retrieve") and not self.csv:
            return resources  # the fast path reads its relations in its own SQL
        return resources.with_relations()

    def fast_document(self, features: bool):
        prefix = self.request.build_absolute_uri("/")[:-1]
        themes = Theme.objects.filter(resources=OuterRef("pk")).order_by("slug")
        return obj(
            url=url("api:resource-detail", prefix=prefix),
            page=url("library:detail", prefix=prefix),
            slug=F("slug"),
            title=F("title"),
            kind=F("kind"),
            description=translated("description", "descriptions"),
            description_language=translated("description", "descriptions", served=True),
            descriptions=F("descriptions"),
            authors=F("authors"),
            published_year=F("published_year"),
            language=F("language"),
            licence=F("licence"),
            link=F("url"),
            file_url=Case(When(~Q(file=""), then=url("library:download", prefix=prefix)), default=NO_TEXT),
            file_type=F("file_type"),
            file_size=F("file_size"),
            page_count=F("page_count"),
            download_count=F("download_count"),
            reference_only=F("reference_only"),
            lab=F("lab__slug"),
            themes=array(themes.values("slug")),
            state=F("state"),
            created_at=timestamp("created_at"),
            updated_at=timestamp("updated_at"),
        )
