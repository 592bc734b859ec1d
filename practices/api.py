"""The practices and spaces part of the REST API: JSON and GeoJSON, the map's filters, the one access path."""

import copy

from django.contrib.gis.geos import MultiPolygon
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Case, F, FilteredRelation, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils.http import parse_etags
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.contrib.rest_framework_gis import GeoFeatureModelSerializerExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import permissions, renderers, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from conect import apibase
from conect.apibase import CursorPagination, GeoJSONRenderer, PageNumberPagination
from conect.fastjson import array, document, geojson, obj, timestamp, url
from conect.serializers import RefuseUnknownFields
from conect.validators import validate_area, validate_point
from conect.versioning import EditConflict, etag
from labs.models import Lab
from practices.filters import PracticeFilter, SpaceFilter
from practices.models import SDG, Practice, PracticeTranslation, Space, Theme

# Kept here for the modules that import them from practices.api.
GeoJSONPageNumberPagination = PageNumberPagination
__all__ = ["CursorPagination", "GeoJSONRenderer", "PageNumberPagination"]


def reader_language() -> str:
    """The language the request reads in (?lang=, Accept-Language or the site's default)."""
    return (get_language() or "en").split("-")[0]


def served_text(practice: Practice, language: str) -> dict[str, str]:
    """Title, summary and description for a reader of `language`, and the language served: the reader's
    translation when it has words (its title, or the original's), else the original (with the translated title if
    one is given). What PracticeViewSet's SQL does (reader_text), for the serializer: one rule, tested."""
    readers = next(
        (t for t in practice.translations.all() if t.language == language != practice.original_language), None
    )
    title = readers.title if readers is not None and readers.title else practice.title
    if readers is not None and (readers.summary or readers.description):
        return {"title": title, "summary": readers.summary, "description": readers.description, "language": language}
    return {
        "title": title,
        "summary": practice.summary,
        "description": practice.description,
        "language": practice.original_language,
    }


def reader_text(language: str) -> dict:
    """served_text() as SQL expressions over the `reader` relation (PracticeViewSet.fast_queryset)."""
    readers = Q(reader__id__isnull=False) & ~Q(original_language=language)
    worded = readers & (~Q(reader__summary="") | ~Q(reader__description=""))
    return {
        "title": Case(
            When(readers, then=Coalesce(NullIf(F("reader__title"), Value("")), F("title"))), default=F("title")
        ),
        "summary": Case(When(worded, then=F("reader__summary")), default=F("summary")),
        "description": Case(When(worded, then=F("reader__description")), default=F("description")),
        "language": Case(When(worded, then=F("reader__language")), default=F("original_language")),
    }


class TranslationSerializer(serializers.ModelSerializer):
    class Meta:
        model = PracticeTranslation
        fields = ["language", "title", "summary", "description"]


class LabField(serializers.SlugRelatedField):
    """A Lab by slug, among those the user may add content to (and, for an edit, one it may move to)."""

    def get_queryset(self):
        return Lab.objects.addable_by(self.context["request"].user)

    def run_validation(self, data=serializers.empty):
        lab = super().run_validation(data)
        instance = self.parent.instance
        if instance is not None:
            try:
                instance.check_lab_change(lab.pk if lab else None, by=self.context["request"].user)
            except DjangoValidationError as error:
                raise serializers.ValidationError(error.message_dict["lab"]) from None
        return lab


class ModeratedSerializerMixin(RefuseUnknownFields):
    """Writes go through the model's own rules and write path: its clean(), save_new() and save_edit()."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        item = copy.copy(self.instance) if self.instance is not None else model()
        for name, value in attrs.items():
            if not model._meta.get_field(name).many_to_many:
                setattr(item, name, value)
        try:
            item.clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from None
        return attrs

    def create(self, validated_data):
        validated_data.pop("version", None)
        related = self._pop_related(validated_data)
        item = self.Meta.model(**validated_data)
        request = self.context["request"]
        # Everything a partner token writes enters moderation (request.auth: the token; None for a session).
        item.save_new(
            by=request.user, related=lambda: self._set_related(item, related), review=request.auth is not None
        )
        return item

    def update(self, instance, validated_data):
        version = validated_data.pop("version", None)
        related = self._pop_related(validated_data)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        request = self.context["request"]
        instance.save_edit(
            by=request.user,
            related=lambda: self._set_related(instance, related),
            version=version,
            review=request.auth is not None,
        )
        return instance

    def _pop_related(self, validated_data: dict) -> dict:
        many = [f.name for f in self.Meta.model._meta.many_to_many]
        return {name: validated_data.pop(name) for name in many if name in validated_data}

    def _set_related(self, item, related: dict) -> None:
        for name, values in related.items():
            item.set_related(name, [value.pk for value in values])


class VersionField(serializers.IntegerField):
    def __init__(self, **kwargs):
        help_text = _(
            "Goes up with each save. To change the row, send the version you read (or If-Match with its ETag): "
            "if someone else saved it since, nothing is saved and the answer is 409 (412 with If-Match)."
        )
        super().__init__(required=False, min_value=1, help_text=help_text, **kwargs)


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
    location = GeometryField(required=False, allow_null=True, precision=6, validators=[validate_point])
    state = serializers.CharField(read_only=True)
    version = VersionField()
    language = serializers.SerializerMethodField(
        help_text=_(
            "The language title, summary and description are given in: the reader's (?lang= or Accept-Language) "
            "when the practice has a translation with words in it, else the original."
        ),
    )

    class Meta:
        model = Practice
        fields = [
            "url", "page", "slug", "title", "summary", "description", "language", "original_language", "translations",
            "primary_theme", "themes", "sdgs", "dimensions", "target_groups", "resources", "scale", "status",
            "start_date", "end_date", "country", "city", "location", "website", "lab", "state",
            "created_at", "updated_at", "version",
        ]  # fmt: skip
        read_only_fields = ["slug", "created_at", "updated_at"]

    def get_page(self, practice) -> str:
        return self.context["request"].build_absolute_uri(practice.get_absolute_url())

    def get_language(self, practice) -> str:
        return served_text(practice, reader_language())["language"]

    def to_representation(self, practice):
        data = super().to_representation(practice)
        data.update(served_text(practice, reader_language()))
        return data


class FeatureSerializer(GeoFeatureModelSerializer):
    """rest_framework_gis's serializer, refusing a body that is not an object as every serializer does (it fails on
    one with a server error)."""

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            return serializers.Serializer.to_internal_value(self, data)  # "Expected a dictionary": a 400
        return super().to_internal_value(data)


class FeatureSerializerSchema(GeoFeatureModelSerializerExtension):
    """drf-spectacular's schema of a feature, whose geometry is null when its row has no place."""

    target_class = FeatureSerializer
    match_subclasses = True
    priority = 1

    def map_serializer(self, auto_schema, direction):
        schema = super().map_serializer(auto_schema, direction)
        if self.target.fields[self.target.Meta.geo_field].allow_null:
            schema["properties"]["geometry"]["nullable"] = True
        return schema


class PracticeGeoSerializer(FeatureSerializer, PracticeSerializer):
    class Meta(PracticeSerializer.Meta):
        geo_field = "location"
        id_field = "slug"

    def to_representation(self, practice):
        data = super().to_representation(practice)  # rest_framework_gis builds the feature on its own
        data["properties"].update(served_text(practice, reader_language()))
        return data


class SpaceSerializer(ModeratedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:space-detail", lookup_field="slug")
    lab = LabField(slug_field="slug", required=False, allow_null=True)
    location = GeometryField(precision=6, validators=[validate_point])
    area = GeometryField(required=False, allow_null=True, precision=6, validators=[validate_area])
    state = serializers.CharField(read_only=True)
    version = VersionField()

    class Meta:
        model = Space
        fields = [
            "url", "slug", "name", "kind", "description", "address", "city", "country", "location", "area",
            "tenure", "step_free", "accessibility", "lab", "state", "created_at", "updated_at", "version",
        ]  # fmt: skip
        read_only_fields = ["slug", "created_at", "updated_at"]

    def validate_area(self, value):
        # A single polygon is accepted and stored as a multipolygon (the validators checked it already).
        if value is not None and value.geom_type == "Polygon":
            value = MultiPolygon(value, srid=value.srid)
        return value


class SpaceGeoSerializer(FeatureSerializer, SpaceSerializer):
    class Meta(SpaceSerializer.Meta):
        geo_field = "location"
        id_field = "slug"


# What the schema says of each answer (/api/schema/, checked by tests/api/test_schemathesis.py).
JSON, GEOJSON = renderers.JSONRenderer.media_type, GeoJSONRenderer.media_type


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class StaleSerializer(ErrorSerializer):
    version = serializers.IntegerField(help_text=_("The version saved now (also in the ETag header)."))
    changed = serializers.ListField(
        child=serializers.CharField(), help_text=_("What changed since the version you read, named in your language.")
    )
    changed_by = serializers.ListField(child=serializers.CharField(), help_text=_("Who saved it since."))


def _feature_page(
    geo_serializer: type[serializers.Serializer], name: str, *, count: bool = False
) -> type[serializers.Serializer]:
    """A page of GeoJSON features, as conect.apibase's paginations answer (the schema's name for it: `name`): with
    a count for page numbers, without for cursors."""
    fields = {
        "type": serializers.ChoiceField(choices=["FeatureCollection"]),
        "licence": serializers.CharField(help_text=_("The licence of the data.")),
        "attribution": serializers.CharField(help_text=_("Whom to credit when reusing the data.")),
        **({"count": serializers.IntegerField()} if count else {}),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "features": serializers.ListField(child=geo_serializer()),
    }
    return extend_schema_serializer(many=False)(type(name, (serializers.Serializer,), fields))


NOT_FOUND = OpenApiResponse(ErrorSerializer, description=_("Missing, or not yours to see or change: the same answer."))
INVALID = OpenApiResponse(
    {"type": "object", "additionalProperties": {}},
    description=_('What is wrong: {"detail": "..."}, or the errors of each field by its name.'),
)
WRITE_ERRORS = {
    400: INVALID,
    403: OpenApiResponse(ErrorSerializer, description=_("Not signed in, or without the CSRF token of the session.")),
    404: NOT_FOUND,
    415: OpenApiResponse(ErrorSerializer, description=_("The body is not JSON.")),
}
STALE = {
    409: OpenApiResponse(StaleSerializer, description=_("The version in the body is not the latest: nothing saved.")),
    412: OpenApiResponse(StaleSerializer, description=_("If-Match names another version: nothing saved.")),
}
ETAG = OpenApiParameter(
    "ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200],
    description=_("The version of the row, to send back in If-Match with a change."),
)  # fmt: skip
IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER,
    description=_("The ETag of the version the change was made on: if it is no longer the latest, 412."),
)  # fmt: skip


def documented(serializer, geo_serializer, page_name: str):
    """The schema of a moderated viewset: JSON or GeoJSON (?format=geojson) answers, optional sign-in to read, the
    errors each action may answer, and versions (ETag, If-Match)."""
    one = {(200, JSON): serializer, (200, GEOJSON): geo_serializer}
    page = {(200, JSON): serializer, (200, GEOJSON): _feature_page(geo_serializer, page_name)}
    update = extend_schema(responses=one | WRITE_ERRORS | STALE, parameters=[IF_MATCH, ETAG])
    return extend_schema_view(
        list=extend_schema(responses=page | {400: INVALID, 404: NOT_FOUND}),
        retrieve=extend_schema(responses=one | {400: INVALID, 404: NOT_FOUND}, parameters=[ETAG]),
        create=extend_schema(responses={(201, JSON): serializer, (201, GEOJSON): geo_serializer} | WRITE_ERRORS),
        update=update,
        partial_update=update,
    )


class ModeratedViewSet(apibase.APIBase, viewsets.ModelViewSet):
    """A moderated model read through the one access path (visible_to to read, editable_by to write), listed by
    cursor pages assembled by PostgreSQL (fast_document), with modified_since, ?lang= and caching headers
    (conect.apibase)."""

    lookup_field = "slug"
    sync_id_field = "slug"
    # Anyone reads, the signed-in write; which rows is the queryset's business (visible_to to read, editable_by to
    # write), so a row one may see but not change answers 404 to a write, like a missing one.
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    pagination_class = CursorPagination
    filter_backends = [DjangoFilterBackend]
    renderer_classes = [apibase.JSONRenderer, GeoJSONRenderer, renderers.BrowsableAPIRenderer]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]  # archive instead of delete

    def get_queryset(self):
        model = self.filterset_class.Meta.model
        if self.request.method in permissions.SAFE_METHODS:
            return model.objects.visible_to(self.request.user)
        return model.objects.editable_by(self.request.user)

    def fast_document(self, geojson: bool):
        """The row as the serializer writes it (JSON) or as a Feature (GeoJSON), built by PostgreSQL."""
        properties = self.fast_fields(self.request.build_absolute_uri("/")[:-1])
        return document(properties, as_feature=geojson)

    def fast_fields(self, prefix: str) -> dict:
        raise NotImplementedError

    def update(self, request, *args, partial: bool = False, **kwargs):
        """An edit made on the version the client read, named by If-Match (412 when stale) or by `version` in the
        body (409 when stale); without either, the edit is saved whatever was saved since."""
        item = self.get_object()
        since = None
        if "If-Match" in request.headers:
            tags = parse_etags(request.headers["If-Match"])
            if "*" not in tags:
                if etag(item) not in tags:
                    read = next((int(tag.strip('"')) for tag in tags if tag.strip('"').isdigit()), None)
                    return self._stale(item, since=read, code=status.HTTP_412_PRECONDITION_FAILED)
                since = item.version
        serializer = self.get_serializer(item, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        try:
            serializer.save(**({} if since is None else {"version": since}))
        except EditConflict as conflict:
            code = status.HTTP_409_CONFLICT if since is None else status.HTTP_412_PRECONDITION_FAILED
            return self._stale(item, since=conflict.since, code=code)
        item._prefetched_objects_cache = {}  # the relations may have changed
        return Response(self.get_serializer(item).data, headers={"ETag": etag(item)})

    def _stale(self, item, *, since: int | None, code: int) -> Response:
        """Nothing saved: the current version, and what changed since the one the client read, by whom."""
        item.refresh_from_db(fields=["version"])
        changed, people = item.changes_since(since) if since is not None else ([], [])
        detail = _("Someone else saved it since the version you read, so nothing was saved: read it again first.")
        body = {"detail": detail, "version": item.version, "changed": changed, "changed_by": people}
        return Response(body, status=code, headers={"ETag": etag(item)})


@documented(PracticeSerializer, PracticeGeoSerializer, "PaginatedPracticeFeatureCollection")
class PracticeViewSet(ModeratedViewSet):
    """Practices: what the requester may see; create and change what the requester may edit."""

    filterset_class = PracticeFilter

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.request.method in permissions.SAFE_METHODS and self.action in ("list", "retrieve"):
            return queryset  # the fast path reads its relations in its own SQL
        return queryset.with_relations()

    def get_serializer_class(self):
        return PracticeGeoSerializer if self.geojson else PracticeSerializer

    def fast_queryset(self, queryset):
        language = reader_language()
        return queryset.annotate(reader=FilteredRelation("translations", condition=Q(translations__language=language)))

    def fast_fields(self, prefix: str) -> dict:
        translations = PracticeTranslation.objects.filter(practice=OuterRef("pk")).order_by("language")
        themes = Theme.objects.filter(practices=OuterRef("pk")).order_by("slug")
        sdgs = Practice.sdgs.through.objects.filter(practice=OuterRef("pk")).order_by("sdg_id")
        return {
            "url": url("api:practice-detail", prefix=prefix),
            "page": url("practices:practice_detail", prefix=prefix),
            "slug": F("slug"),
            **reader_text(reader_language()),
            "original_language": F("original_language"),
            "translations": array(
                translations.values(
                    j=obj(language=F("language"), title=F("title"), summary=F("summary"), description=F("description"))
                )
            ),
            "primary_theme": F("primary_theme__slug"),
            "themes": array(themes.values("slug")),
            "sdgs": array(sdgs.values("sdg_id")),
            "dimensions": F("dimensions"),
            "target_groups": F("target_groups"),
            "resources": F("resources"),
            "scale": F("scale"),
            "status": F("status"),
            "start_date": F("start_date"),
            "end_date": F("end_date"),
            "country": F("country"),
            "city": F("city"),
            "location": geojson("location"),
            "website": F("website"),
            "lab": F("lab__slug"),
            "state": F("state"),
            "created_at": timestamp("created_at"),
            "updated_at": timestamp("updated_at"),
            "version": F("version"),
        }


@documented(SpaceSerializer, SpaceGeoSerializer, "PaginatedSpaceFeatureCollection")
class SpaceViewSet(ModeratedViewSet):
    """Spaces where practices happen."""

    filterset_class = SpaceFilter

    def get_queryset(self):
        return super().get_queryset().select_related("lab")

    def get_serializer_class(self):
        return SpaceGeoSerializer if self.geojson else SpaceSerializer

    def fast_fields(self, prefix: str) -> dict:
        names = ["name", "kind", "description", "address", "city", "country"]
        return {
            "url": url("api:space-detail", prefix=prefix),
            "slug": F("slug"),
            **{name: F(name) for name in names},
            "location": geojson("location"),
            "area": geojson("area"),
            "tenure": F("tenure"),
            "step_free": F("step_free"),
            "accessibility": F("accessibility"),
            "lab": F("lab__slug"),
            "state": F("state"),
            "created_at": timestamp("created_at"),
            "updated_at": timestamp("updated_at"),
            "version": F("version"),
        }
