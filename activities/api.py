"""The activities part of the REST API: activities (attendance as totals only; JSON, GeoJSON and CSV, listed by cursor
pages assembled by PostgreSQL), programmes with planned and reached, the caller's own registrations, and registering
or cancelling through an activity's `registration`.

Descriptions come in the reader's language (?lang= or Accept-Language), else English, else any translation there is,
with the language served (conect.translations.in_language; `translated()` is the same rule in SQL)."""

import django_filters
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Case, Count, Expression, F, Func, JSONField, OuterRef, Q, Sum, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework_gis.fields import GeometryField

from activities import services
from activities.filters import ActivityFilter
from activities.models import AGE_GROUPS, GENDERS, Activity, Programme, Registration
from conect import apibase
from conect.apibase import CSVRenderer, CursorPagination, GeoJSONRenderer, PageNumberPagination
from conect.fastjson import array, document, geojson, obj, timestamp, url
from conect.translations import in_language
from labs.models import Lab
from labs.moderation import ModerationState
from networks.models import Network
from practices.api import (
    GEOJSON,
    INVALID,
    JSON,
    NOT_FOUND,
    ErrorSerializer,
    FeatureSerializer,
    _feature_page,
    reader_language,
)

CSV = CSVRenderer.media_type

# --- Shared by the apps' APIs (library and indicators import these) ---------------------------------------------------


class Translated(Func):
    """conect.translations.in_language in SQL: the text of `texts` (a JSON field of translations) for readers of
    `language`, else the English `english`, else the translation of the first language code; with
    `served=True`, the code of the language served instead of the text."""

    output_field = TextField()

    def __init__(self, english: str, texts: str, language: str, *, served: bool = False):
        self.served = served
        super().__init__(F(english), F(texts), Value(language))

    def as_sql(self, compiler, connection, **extra):
        (en, en_params), (texts, texts_params), (lang, lang_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        theirs = f"btrim(COALESCE(({texts})->>{lang}, ''))"
        any_text = f"EXISTS (SELECT 1 FROM jsonb_each_text({texts}) e WHERE btrim(e.value) <> '')"  # noqa: S608 - compiled
        first = "(SELECT {} FROM jsonb_each_text({}) e WHERE btrim(e.value) <> '' ORDER BY e.key COLLATE \"C\" LIMIT 1)"
        if self.served:
            sql = (
                f"CASE WHEN {theirs} <> '' THEN {lang} WHEN btrim({en}) <> '' OR NOT {any_text} THEN %s "
                f"ELSE {first.format('e.key', texts)} END"
            )
            params = [*texts_params, *lang_params, *lang_params, *en_params, *texts_params, settings.LANGUAGE_CODE]
            params += texts_params
        else:
            sql = (
                f"CASE WHEN {theirs} <> '' THEN {theirs} WHEN btrim({en}) <> '' OR NOT {any_text} THEN {en} "
                f"ELSE {first.format('btrim(e.value)', texts)} END"
            )
            params = [*texts_params, *lang_params, *texts_params, *lang_params, *en_params, *texts_params]
            params += [*en_params, *texts_params]
        return sql, params


def translated(english: str, texts: str, *, served: bool = False) -> Translated:
    return Translated(english, texts, reader_language(), served=served)


class TranslatedSerializerMixin:
    """Serves each `english` field of `translated_fields` ({english: (texts, served_as)}) in the reader's language,
    and the language served as `served_as` (None: not said)."""

    translated_fields: dict[str, tuple[str, str | None]] = {}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        for english, (texts, served_as) in self.translated_fields.items():
            if english not in data:
                continue
            text = in_language(getattr(instance, texts) or {}, getattr(instance, english), reader_language())
            data[english] = text.text
            if served_as:
                data[served_as] = text.language
        return data


def ordering_filter(**fields: str) -> django_filters.OrderingFilter:
    """?ordering=<field> or -<field>, among `fields` ({model field: parameter}); anything else answers 400."""
    return django_filters.OrderingFilter(
        fields=fields,
        label=_("Order by"),
        help_text=_("A field to order by, with - before it for the reverse order."),
    )


class CursorOrdering:
    """Cursor lists follow their primary key (oldest first, or newest first with ?ordering=-id), so a partner paging
    through them never skips or repeats a row; with modified_since, the time of the change (conect.apibase)."""

    @property
    def cursor_ordering(self) -> tuple[str, ...]:
        return ("-pk",) if self.request.query_params.get("ordering") == "-id" else ("pk",)


def description_language_field():
    return serializers.CharField(
        read_only=True,
        help_text=_(
            "The language the description is given in: the reader's (?lang= or Accept-Language) when it is "
            "translated, else English, else another translation."
        ),
    )


# --- Activities -------------------------------------------------------------------------------------------------------


class RegistrationSerializer(serializers.ModelSerializer):
    activity = serializers.PrimaryKeyRelatedField(read_only=True)
    activity_title = serializers.CharField(source="activity.title", read_only=True)

    class Meta:
        model = Registration
        fields = ["id", "activity", "activity_title", "name", "email", "status", "created_at"]
        read_only_fields = ["id", "activity", "activity_title", "email", "status", "created_at"]
        extra_kwargs = {"name": {"required": False}}


class ActivitySerializer(TranslatedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:activity-detail")
    page = serializers.SerializerMethodField(help_text=_("The activity's public page."))
    description_language = description_language_field()
    lab = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    other_labs = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    networks = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    programme = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    location = GeometryField(read_only=True, allow_null=True, precision=6)
    country = serializers.CharField(read_only=True, help_text=_("ISO 3166 code; empty when not set."))
    attendance = serializers.SerializerMethodField(
        help_text=_("The closing report's totals (never who came): total, by gender, by age group; null if none.")
    )

    translated_fields = {"description": ("descriptions", "description_language")}

    class Meta:
        model = Activity
        fields = [
            "id", "url", "page", "slug", "title", "kind", "description", "description_language", "descriptions",
            "agenda", "starts_at", "ends_at", "all_day", "time_zone", "mode", "city", "country", "venue", "location",
            "lab", "other_labs", "networks", "programme", "registration_open", "capacity", "participants_expected",
            "closed_at", "attendance", "outcomes", "state", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields
        extra_kwargs = {"time_zone": {"allow_blank": True}}  # read-only fields lose it, and the schema the ""

    def get_page(self, activity) -> str:
        return self.context["request"].build_absolute_uri(activity.get_absolute_url())

    def get_attendance(self, activity) -> dict | None:
        if activity.attendance_total is None:
            return None
        return {
            "total": activity.attendance_total,
            "by_gender": {name.removeprefix("attendance_"): getattr(activity, name) for name, _label in GENDERS},
            "by_age_group": {
                name.removeprefix("attendance_age_"): getattr(activity, name) for name, _label in AGE_GROUPS
            },
        }


class ActivityGeoSerializer(FeatureSerializer, ActivitySerializer):
    class Meta(ActivitySerializer.Meta):
        geo_field = "location"
        id_field = "slug"


class ActivityAPIFilter(ActivityFilter):
    """The list's filters, and the order of the cursor pages."""

    ordering = ordering_filter(id="id")


def _attendance() -> Expression:
    totals = obj(
        total=F("attendance_total"),
        by_gender=obj(**{name.removeprefix("attendance_"): F(name) for name, _label in GENDERS}),
        by_age_group=obj(**{name.removeprefix("attendance_age_"): F(name) for name, _label in AGE_GROUPS}),
    )
    return Case(When(attendance_total__isnull=True, then=RawSQL("NULL::json", [], JSONField())), default=totals)


ACTIVITY_PAGE = _feature_page(ActivityGeoSerializer, "PaginatedActivityFeatureCollection")


@extend_schema_view(
    list=extend_schema(
        responses={
            (200, JSON): ActivitySerializer(many=True),
            (200, GEOJSON): ACTIVITY_PAGE,
            (200, CSV): OpenApiResponse(str, description=_("The page as a table, one row per activity.")),
            400: INVALID,
            404: NOT_FOUND,
        }
    ),
    retrieve=extend_schema(
        responses={
            (200, JSON): ActivitySerializer,
            (200, GEOJSON): ActivityGeoSerializer,
            (200, CSV): OpenApiResponse(str, description=_("The activity as a table of one row.")),
            400: INVALID,
            404: NOT_FOUND,
        }
    ),
)
class ActivityViewSet(CursorOrdering, apibase.APIBase, viewsets.ReadOnlyModelViewSet):
    """Activities: the published ones for the public; Lab members see their Labs' drafts too. Cursor pages (by id;
    ?ordering=-id for the newest first), JSON, GeoJSON (?format=geojson) or CSV (?format=csv), with the list page's
    filters and modified_since (archived or unpublished ones come back as {"id": ..., "gone": true})."""

    filterset_class = ActivityAPIFilter
    filter_backends = [DjangoFilterBackend]
    pagination_class = CursorPagination
    renderer_classes = [apibase.JSONRenderer, GeoJSONRenderer, CSVRenderer, renderers.BrowsableAPIRenderer]
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    sync_id_field = "id"

    def get_queryset(self):
        activities = Activity.objects.visible_to(self.request.user)
        if self.action in ("list", "retrieve") and not self.csv:
            return activities  # the fast path reads its relations in its own SQL
        return activities.select_related("lab", "programme").prefetch_related("other_labs", "networks")

    def retrieve(self, request, *args, **kwargs):
        if not str(kwargs.get("pk", "")).isdigit():  # an address that is no id is missing, like any other
            raise NotFound
        return super().retrieve(request, *args, **kwargs)

    def get_serializer_class(self):
        if self.action in ("list", "retrieve") and self.geojson:
            return ActivityGeoSerializer
        return RegistrationSerializer if self.action == "registration" else ActivitySerializer

    def fast_document(self, features: bool):
        if self.action not in ("list", "retrieve"):
            return None
        prefix = self.request.build_absolute_uri("/")[:-1]
        other_labs = Lab.objects.filter(shared_activities=OuterRef("pk")).order_by("slug")
        networks = Network.objects.filter(activities=OuterRef("pk")).order_by("slug")
        fields = {
            "id": F("pk"),
            "url": url("api:activity-detail", "pk", prefix=prefix),
            "page": url("activities:detail", prefix=prefix),
            "slug": F("slug"),
            "title": F("title"),
            "kind": F("kind"),
            "description": translated("description", "descriptions"),
            "description_language": translated("description", "descriptions", served=True),
            "descriptions": F("descriptions"),
            "agenda": F("agenda"),
            "starts_at": timestamp("starts_at"),
            "ends_at": timestamp("ends_at"),
            "all_day": F("all_day"),
            "time_zone": F("time_zone"),
            "mode": F("mode"),
            "city": F("city"),
            "country": F("country"),
            "venue": F("venue"),
            "location": geojson("location"),
            "lab": F("lab__slug"),
            "other_labs": array(other_labs.values("slug")),
            "networks": array(networks.values("slug")),
            "programme": F("programme__slug"),
            "registration_open": F("registration_open"),
            "capacity": F("capacity"),
            "participants_expected": F("participants_expected"),
            "closed_at": timestamp("closed_at"),
            "attendance": _attendance(),
            "outcomes": F("outcomes"),
            "state": F("state"),
            "created_at": timestamp("created_at"),
            "updated_at": timestamp("updated_at"),
        }
        return document(fields, as_feature=features)

    @extend_schema(
        methods=["GET"],
        responses={200: RegistrationSerializer, 400: INVALID, 403: ErrorSerializer, 404: NOT_FOUND},
        description=_("The caller's registration for this activity (404 when there is none)."),
    )
    @extend_schema(
        methods=["POST"],
        request=RegistrationSerializer,
        responses={201: RegistrationSerializer, 400: INVALID, 403: ErrorSerializer, 404: NOT_FOUND},
        description=_("Register the signed-in account (status says whether on the waiting list)."),
    )
    @extend_schema(
        methods=["DELETE"],
        request=None,
        responses={
            204: OpenApiResponse(description=_("Cancelled.")),
            400: INVALID,
            403: ErrorSerializer,
            404: NOT_FOUND,
        },
        description=_("Cancel the caller's registration: the first on the waiting list moves up."),
    )
    @action(
        detail=True, methods=["get", "post", "delete"], permission_classes=[permissions.IsAuthenticated],
        serializer_class=RegistrationSerializer, renderer_classes=[apibase.JSONRenderer],
        filter_backends=[], pagination_class=None,
    )  # fmt: skip
    def registration(self, request, pk=None):
        activity = self.get_object()
        mine = activity.registrations.active().filter(user=request.user).first()
        base_url = f"{request.scheme}://{request.get_host()}"
        if request.method == "GET":
            if mine is None:
                raise NotFound
            return Response(RegistrationSerializer(mine).data)
        if request.method == "DELETE":
            if mine is None:
                raise NotFound
            services.cancel(mine, base_url=base_url)
            return Response(status=status.HTTP_204_NO_CONTENT)
        serializer = RegistrationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        name = serializer.validated_data.get("name") or request.user.public_name
        try:
            registration = services.register(
                activity, name=name, email=request.user.email, user=request.user, base_url=base_url
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from None
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)


# --- Programmes -------------------------------------------------------------------------------------------------------


class ProgrammeSerializer(TranslatedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:programme-detail", lookup_field="slug")
    description_language = description_language_field()
    lab = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    reached_activities = serializers.IntegerField(read_only=True, help_text=_("Its published activities."))
    reached_participants = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("People who took part, as reports say; null: not reported yet.")
    )

    translated_fields = {"description": ("descriptions", "description_language")}

    class Meta:
        model = Programme
        fields = [
            "url", "slug", "title", "description", "description_language", "descriptions", "lab", "network",
            "start_date", "end_date", "planned_activities", "planned_participants", "reached_activities",
            "reached_participants", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class ProgrammeFilter(django_filters.FilterSet):
    lab = django_filters.CharFilter(field_name="lab__slug", label=_("Lab (slug)"))
    network = django_filters.CharFilter(field_name="network__slug", label=_("Network (slug)"))
    ordering = ordering_filter(title="title", start_date="start_date", end_date="end_date")

    class Meta:
        model = Programme
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(
        responses={
            (200, JSON): ProgrammeSerializer(many=True),
            (200, CSV): OpenApiResponse(str, description=_("The page as a table, one row per programme.")),
            400: INVALID,
            404: NOT_FOUND,
        }
    ),
    retrieve=extend_schema(responses={200: ProgrammeSerializer, 400: INVALID, 404: NOT_FOUND}),
)
class ProgrammeViewSet(apibase.APIBase, viewsets.ReadOnlyModelViewSet):
    """Programmes with what they planned and what their published activities reached (pages of ?page=N)."""

    serializer_class = ProgrammeSerializer
    lookup_field = "slug"
    filterset_class = ProgrammeFilter
    filter_backends = [DjangoFilterBackend]
    pagination_class = PageNumberPagination
    renderer_classes = [apibase.JSONRenderer, CSVRenderer, renderers.BrowsableAPIRenderer]
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    sync_id_field = None

    def get_queryset(self):
        published = Q(activities__state=ModerationState.PUBLISHED)
        return (
            Programme.objects.select_related("lab", "network")
            .annotate(
                reached_activities=Count("activities", filter=published),
                # People reached: as everywhere, the attendance of activities closed with their report.
                reached_participants=Sum(
                    "activities__attendance_total", filter=published & Q(activities__closed_at__isnull=False)
                ),
            )
            .order_by("title", "pk")
        )


# --- Registrations ----------------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        responses={200: RegistrationSerializer(many=True), 400: INVALID, 403: ErrorSerializer, 404: NOT_FOUND}
    ),
    retrieve=extend_schema(responses={200: RegistrationSerializer, 400: INVALID, 403: ErrorSerializer, 404: NOT_FOUND}),
)
class RegistrationViewSet(apibase.APIBase, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's own registrations, and nobody else's."""

    serializer_class = RegistrationSerializer
    pagination_class = PageNumberPagination
    permission_classes = [permissions.IsAuthenticated]
    sync_id_field = None

    def get_queryset(self):
        return Registration.objects.of(self.request.user).select_related("activity").order_by("-created_at", "pk")
