"""The indicators part of the REST API: frameworks (with their export), indicators, measurements (read through the one
access path; written by the Lab's people through the one write path, with the same review flow as the pages), the
approved yearly values, and composite indices (results of done runs; a request for a new run answers 202).

Who may do what is the models' querysets' business (visible_to, editable_by, submittable_by, approvable_by): a row one
may not see or act on answers 404, like a missing one. Drafts and unapproved values reach only the Lab's people and
coordinators."""

import copy
import math

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, permissions, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.response import Response

from activities.api import CSV, CursorOrdering, TranslatedSerializerMixin, ordering_filter
from conect import apibase
from conect.apibase import CursorPagination, PageNumberPagination
from indicators import composite, services
from indicators.composite_services import LEVELS, default_method, request_composite, visible_composites
from indicators.models import (
    Aggregation,
    Composite,
    CompositeStatus,
    Dimension,
    Framework,
    Indicator,
    IndicatorType,
    Level,
    Measurement,
    MeasurementError,
    MeasurementState,
)
from indicators.periods import Period
from labs.models import Lab
from labs.permissions import NotByToken
from practices.api import INVALID, JSON, NOT_FOUND, WRITE_ERRORS
from practices.models import Practice

# --- Frameworks and indicators (read-only) ----------------------------------------------------------------------------


class DimensionSerializer(TranslatedSerializerMixin, serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text=_("The parent dimension's code (null at the top)."),
    )

    translated_fields = {"name": ("names", None)}

    class Meta:
        model = Dimension
        fields = ["code", "name", "names", "parent", "weight", "position"]
        read_only_fields = fields


class FrameworkSerializer(TranslatedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:framework-detail")
    page = serializers.SerializerMethodField(help_text=_("The framework's public page."))
    export = serializers.SerializerMethodField(
        help_text=_("The framework as a JSON document another territory can import (?format=csv: its metadata table).")
    )
    dimensions = DimensionSerializer(many=True, read_only=True)

    # Name and description in the reader's language (?lang= or Accept-Language), else English; all of them in
    # names and descriptions.
    translated_fields = {"name": ("names", None), "description": ("descriptions", None)}

    class Meta:
        model = Framework
        fields = [
            "id", "url", "page", "export", "code", "version", "name", "names", "description", "descriptions",
            "index_name", "source", "published", "starts_on", "ends_on", "disaggregations", "method", "previous",
            "dimensions", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_page(self, framework: Framework) -> str:
        return self.context["request"].build_absolute_uri(framework.get_absolute_url())

    def get_export(self, framework: Framework) -> str:
        return self.context["request"].build_absolute_uri(reverse("api:framework-export", kwargs={"pk": framework.pk}))


@extend_schema_field({"type": "string", "pattern": "^(" + "|".join(Aggregation.values) + ")$"})
class AggregationField(serializers.CharField):
    """How values combine: sum, mean or latest (a pattern, not an enum, so both fields share one schema)."""


class IndicatorSerializer(TranslatedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:indicator-detail")
    framework_code = serializers.CharField(source="framework.code", read_only=True)
    framework_version = serializers.IntegerField(source="framework.version", read_only=True)
    dimension = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text=_("The dimension's code; null when it is not in the index."),
    )
    time_aggregation = AggregationField(read_only=True)
    child_aggregation = AggregationField(read_only=True)
    takes_measurements = serializers.BooleanField(
        read_only=True, help_text=_("False for a derived indicator (formula) or one fed by activity attendance.")
    )

    translated_fields = {"name": ("names", None), "definition": ("definitions", None)}

    class Meta:
        model = Indicator
        fields = [
            "id", "url", "framework", "framework_code", "framework_version", "dimension", "code", "name", "names",
            "definition", "definitions", "unit", "type", "scale_labels", "direction", "cumulative",
            "time_aggregation", "child_aggregation", "level", "data_source", "frequency", "goal_min", "goal_max",
            "weight", "formula", "factor", "feed", "feed_activity_kind", "feed_programme", "position",
            "takes_measurements",
        ]  # fmt: skip
        read_only_fields = fields


class IntegerFilter(django_filters.NumberFilter):
    """A whole number (an id, a year), never a decimal."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**31 - 1)
        super().__init__(*args, **kwargs)


class FrameworkFilter(django_filters.FilterSet):
    code = django_filters.CharFilter(label=_("Code"))
    published = django_filters.BooleanFilter(label=_("Published"))
    latest = django_filters.BooleanFilter(
        method="filter_latest", label=_("Latest versions"), help_text=_("Only the newest version of each framework.")
    )
    ordering = ordering_filter(code="code", version="version", updated_at="updated_at")

    class Meta:
        model = Framework
        fields: list[str] = []

    def filter_latest(self, queryset, name: str, value: bool | None):
        return queryset.latest_versions() if value else queryset


class IndicatorFilter(django_filters.FilterSet):
    framework = IntegerFilter(field_name="framework_id", label=_("Framework (id)"))
    dimension = django_filters.CharFilter(field_name="dimension__code", label=_("Dimension (code)"))
    code = django_filters.CharFilter(label=_("Code"))
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("Level"))
    ordering = ordering_filter(code="code", position="position")

    class Meta:
        model = Indicator
        fields: list[str] = []


class ReadOnlyViewSet(apibase.APIBase, viewsets.ReadOnlyModelViewSet):
    """Small lists: pages of ?page=N, ?lang=, Last-Modified where rows have updated_at; no modified_since."""

    permission_classes = [permissions.AllowAny]
    filter_backends = [DjangoFilterBackend]
    pagination_class = PageNumberPagination
    renderer_classes = [apibase.JSONRenderer, renderers.BrowsableAPIRenderer]
    sync_id_field = None


class ExportCSVRenderer(renderers.BaseRenderer):
    """The export's metadata table (?format=csv): text the action wrote, sent as it is."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict):  # an error's detail
            data = str(data.get("detail", ""))
        return data.encode("utf-8") if isinstance(data, str) else data


@extend_schema_view(
    list=extend_schema(
        summary=_("Indicator frameworks"),
        responses={200: FrameworkSerializer(many=True), 400: INVALID, 404: NOT_FOUND},
    ),
    retrieve=extend_schema(
        summary=_("One indicator framework"), responses={200: FrameworkSerializer, 400: INVALID, 404: NOT_FOUND}
    ),
)
class FrameworkViewSet(ReadOnlyViewSet):
    """Frameworks the requester may see (published ones; drafts for coordinators), with their dimensions."""

    serializer_class = FrameworkSerializer
    filterset_class = FrameworkFilter

    def get_queryset(self):
        return (
            Framework.objects.visible_to(self.request.user)
            .prefetch_related("dimensions__parent")
            .order_by("code", "-version", "pk")
        )

    @extend_schema(
        summary=_("A framework's export"),
        parameters=[
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                enum=["json", "csv"],
                description=_("json (default): the whole framework; csv: its metadata table, one row per indicator."),
            )
        ],
        responses={
            (200, JSON): OpenApiResponse(
                {"type": "object", "additionalProperties": {}},
                description=_('The framework as "conect-framework" JSON, format_version 1.'),
            ),
            (200, CSV): OpenApiResponse(OpenApiTypes.STR, description=_("The metadata table.")),
            (404, JSON): NOT_FOUND,
            (404, CSV): OpenApiResponse(OpenApiTypes.STR, description=_("No such framework.")),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        pagination_class=None,
        filter_backends=[],
        renderer_classes=[renderers.JSONRenderer, ExportCSVRenderer],
    )
    def export(self, request, pk=None):
        """The framework as a document another territory can import: the JSON export, or with ?format=csv the
        metadata table (COINr's iMeta layout). Targets and values are not part of it."""
        from indicators import exchange

        framework = self.get_object()
        if request.accepted_renderer.format == "csv":
            name = f"{framework.code}-v{framework.version}.csv"
            return Response(
                exchange.framework_csv(framework), headers={"Content-Disposition": f'attachment; filename="{name}"'}
            )
        return Response(exchange.export_framework(framework))


@extend_schema_view(
    list=extend_schema(
        summary=_("Indicators"), responses={200: IndicatorSerializer(many=True), 400: INVALID, 404: NOT_FOUND}
    ),
    retrieve=extend_schema(summary=_("One indicator"), responses={200: IndicatorSerializer, 404: NOT_FOUND}),
)
class IndicatorViewSet(ReadOnlyViewSet):
    """Indicators of the frameworks the requester may see."""

    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter

    def get_queryset(self):
        return (
            Indicator.objects.visible_to(self.request.user)
            .select_related("framework", "dimension")
            .order_by("framework__code", "-framework__version", "position", "code", "pk")
        )


# --- Measurements -----------------------------------------------------------------------------------------------------


class PeriodField(serializers.CharField):
    """A period as its code: 2024, 2024S1, 2024Q3, 2024-03 or 2024-03-01/2024-06-30 (indicators.periods). It reads and
    writes the row's three period fields."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 21)
        kwargs.setdefault(
            "help_text",
            _("The period's code: a year (2024), a half-year (2024S1), a quarter (2024Q3), a month (2024-03) or a "
              "range of dates (2024-03-01/2024-06-30)."),
        )  # fmt: skip
        super().__init__(source="*", **kwargs)

    def to_internal_value(self, data):
        code = super().to_internal_value(data)
        try:
            period = Period.parse(code)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None
        return {"period_type": period.type, "period_start": period.start, "period_end": period.end}

    def to_representation(self, value):
        return value.period.code


class FiniteFloatField(serializers.FloatField):
    def to_internal_value(self, data):
        number = super().to_internal_value(data)
        if not math.isfinite(number):
            self.fail("invalid")
        return number


class MeasurementLabField(serializers.SlugRelatedField):
    """A Lab by slug, among those the requester may enter values for."""

    def get_queryset(self):
        return Lab.objects.addable_by(self.context["request"].user)


class MeasurementPracticeField(serializers.SlugRelatedField):
    """A practice by slug, among those of the Labs the requester may enter values for."""

    def get_queryset(self):
        return Practice.objects.filter(lab__in=Lab.objects.addable_by(self.context["request"].user))


class IndicatorField(serializers.PrimaryKeyRelatedField):
    """An indicator by id, among those of the frameworks the requester may see."""

    def get_queryset(self):
        return Indicator.objects.visible_to(self.context["request"].user).select_related("framework")


# Model fields whose errors the API names by its own field.
_FIELD_NAMES = {"period_start": "period", "period_end": "period", "period_type": "period"}


def _field_errors(error: DjangoValidationError) -> dict:
    errors: dict[str, list[str]] = {}
    for name, messages in serializers.as_serializer_error(error).items():
        errors.setdefault(_FIELD_NAMES.get(name, name), []).extend(messages)
    return errors


class MeasurementSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:measurement-detail")
    page = serializers.SerializerMethodField(help_text=_("The value's page."))
    indicator = IndicatorField(help_text=_("The indicator's id (an indicator that takes measurements)."))
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    framework = serializers.IntegerField(source="indicator.framework_id", read_only=True)
    lab = MeasurementLabField(
        slug_field="slug", required=False, allow_null=True, help_text=_("The Lab's slug (a Lab you belong to).")
    )
    practice = MeasurementPracticeField(
        slug_field="slug", required=False, allow_null=True, help_text=_("The practice's slug, for practice indicators.")
    )
    country = serializers.CharField(
        max_length=2, required=False, allow_blank=True, help_text=_("ISO 3166 alpha-2, for country indicators.")
    )
    period = PeriodField()
    period_label = serializers.SerializerMethodField(help_text=_("The period in the reader's language."))
    period_start = serializers.DateField(read_only=True)
    period_end = serializers.DateField(read_only=True)
    value = FiniteFloatField(required=False, allow_null=True)
    numerator = FiniteFloatField(required=False, allow_null=True)
    denominator = FiniteFloatField(required=False, allow_null=True)
    disaggregation = serializers.JSONField(
        required=False,
        help_text=_('Parts of the value by the framework\'s disaggregations: {"gender": {"women": 12, "men": 9}}.'),
    )
    state = serializers.CharField(read_only=True, help_text=_("draft, submitted, approved or returned."))

    class Meta:
        model = Measurement
        fields = [
            "id", "url", "page", "indicator", "indicator_code", "framework", "lab", "practice", "country", "period",
            "period_label", "period_start", "period_end", "value", "numerator", "denominator", "text",
            "disaggregation", "source", "comment", "state", "review_note", "state_changed_at", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = ["review_note", "state_changed_at", "created_at", "updated_at"]
        extra_kwargs = {"text": {"required": False}, "source": {"required": False}, "comment": {"required": False}}

    def get_page(self, measurement: Measurement) -> str:
        return self.context["request"].build_absolute_uri(measurement.get_absolute_url())

    def get_period_label(self, measurement: Measurement) -> str:
        return measurement.period.label()

    def validate_country(self, value: str) -> str:
        value = value.strip().upper()
        if value and value not in countries:
            raise serializers.ValidationError(_("Give the country's ISO 3166 alpha-2 code."))
        return value

    def validate_disaggregation(self, value):
        return {} if value is None else value

    def validate(self, attrs):
        """The model's own rules (indicators.values.measurement_errors), named by the API's fields."""
        item = copy.copy(self.instance) if self.instance is not None else Measurement()
        for name, value in attrs.items():
            setattr(item, name, "" if name == "country" and value is None else value)
        if item.indicator_id is None:
            return attrs
        services.prepare(item)
        try:
            item.full_clean(exclude=["created_by", "state_changed_by", "evidence"])
        except DjangoValidationError as error:
            raise serializers.ValidationError(_field_errors(error)) from None
        return attrs

    def create(self, validated_data):
        user = self.context["request"].user
        with transaction.atomic():
            measurement = services.save_measurement(Measurement(**validated_data), by=user)
            # A value nobody could change afterwards (a country's, entered by someone who is not a coordinator) is
            # refused: the same rule as editing it.
            if not Measurement.objects.editable_by(user).filter(pk=measurement.pk).exists():
                transaction.set_rollback(True)
                raise serializers.ValidationError({"lab": [_("Choose the Lab this value is about.")]})
        return measurement

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.save_measurement(instance, by=self.context["request"].user)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=5000, allow_blank=True, help_text=_("What needs to change (required to return a value).")
    )


class MeasurementFilter(django_filters.FilterSet):
    indicator = IntegerFilter(field_name="indicator_id", label=_("Indicator (id)"))
    framework = IntegerFilter(field_name="indicator__framework_id", label=_("Framework (id)"))
    lab = django_filters.CharFilter(field_name="lab__slug", label=_("Lab (slug)"))
    country = django_filters.ChoiceFilter(choices=[(code, code) for code in countries], label=_("Country"))
    period = django_filters.CharFilter(method="filter_period", label=_("Period (code)"))
    state = django_filters.ChoiceFilter(choices=MeasurementState.choices, label=_("State"))
    year = IntegerFilter(
        field_name="period_start__year", label=_("Year the period starts in"), min_value=1, max_value=9999
    )
    ordering = ordering_filter(id="id")

    class Meta:
        model = Measurement
        fields: list[str] = []

    def filter_period(self, queryset, name: str, code: str):
        if not code.strip():
            return queryset
        try:
            period = Period.parse(code)
        except DjangoValidationError as error:
            raise APIValidationError({"period": error.messages}) from None
        return queryset.filter(period_type=period.type, period_start=period.start, period_end=period.end)


MOVED = {
    200: OpenApiResponse(MeasurementSerializer, description=_("The value in its new state.")),
    400: OpenApiResponse(
        {"type": "object", "additionalProperties": {}},
        description=_('The value cannot move there from its state ({"detail": "..."}), or the note is missing.'),
    ),
    403: WRITE_ERRORS[403],
    404: NOT_FOUND,
    415: WRITE_ERRORS[415],
}


@extend_schema_view(
    list=extend_schema(
        summary=_("Measurements"),
        responses={
            (200, JSON): MeasurementSerializer(many=True),
            (200, CSV): OpenApiResponse(OpenApiTypes.STR, description=_("The page as a table, one row per value.")),
            400: INVALID,
            404: NOT_FOUND,
        },
    ),
    retrieve=extend_schema(summary=_("One measurement"), responses={200: MeasurementSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary=_("Enter a value (saved as a draft)"), responses={201: MeasurementSerializer} | WRITE_ERRORS
    ),
    update=extend_schema(summary=_("Change a value"), responses={200: MeasurementSerializer} | WRITE_ERRORS),
    partial_update=extend_schema(summary=_("Change a value"), responses={200: MeasurementSerializer} | WRITE_ERRORS),
    submit=extend_schema(summary=_("Submit a value for approval (facilitators)"), request=None, responses=MOVED),
    approve=extend_schema(summary=_("Approve a value (coordinators)"), request=None, responses=MOVED),
    return_for_changes=extend_schema(
        summary=_("Return a value for changes, with a note (coordinators)"), request=NoteSerializer, responses=MOVED
    ),
)
class MeasurementViewSet(
    CursorOrdering,
    apibase.APIBase,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Values: the approved values of published frameworks for everyone, a Lab's other values for its people. A Lab's
    members enter values (drafts) and change them until they are approved; its facilitators submit them; coordinators
    approve them or return them with a note. Values are never deleted through the API (405). A partner token enters
    and submits values (scope "submit") but never approves or returns one.

    Cursor pages (by id; ?ordering=-id for the newest first), JSON or CSV (?format=csv), modified_since (a value
    taken out of approval comes back as {"id": ..., "gone": true} to whoever no longer sees it)."""

    serializer_class = MeasurementSerializer
    filterset_class = MeasurementFilter
    filter_backends = [DjangoFilterBackend]
    pagination_class = CursorPagination
    renderer_classes = [apibase.JSONRenderer, apibase.CSVRenderer, renderers.BrowsableAPIRenderer]
    sync_id_field = "id"
    sync_public_state = MeasurementState.APPROVED
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        rows = {
            "submit": Measurement.objects.submittable_by(user),
            "approve": Measurement.objects.approvable_by(user),
            "return_for_changes": Measurement.objects.approvable_by(user),
        }.get(self.action)
        if rows is None:
            safe = self.request.method in permissions.SAFE_METHODS
            rows = Measurement.objects.visible_to(user) if safe else Measurement.objects.editable_by(user)
        return rows.select_related("indicator", "lab", "practice").order_by(
            "indicator_id", "lab_id", "country", "period_start", "period_end", "pk"
        )

    def _move(self, request, move) -> Response:
        measurement = self.get_object()
        try:
            move(measurement)
        except MeasurementError as error:
            return Response({"detail": str(error)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(self.get_serializer(measurement).data)

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._move(request, lambda m: m.submit(by=request.user))

    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated, NotByToken])
    def approve(self, request, pk=None):
        return self._move(request, lambda m: m.approve(by=request.user))

    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        url_name="return",
        permission_classes=[permissions.IsAuthenticated, NotByToken],
    )
    def return_for_changes(self, request, pk=None):
        note = NoteSerializer(data=request.data)
        note.is_valid(raise_exception=True)
        return self._move(request, lambda m: m.return_for_changes(by=request.user, note=note.validated_data["note"]))


# --- Approved yearly values -------------------------------------------------------------------------------------------


class ValueSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    code = serializers.CharField()
    subject_type = serializers.ChoiceField(choices=["lab", "country", "programme"])
    subject = serializers.CharField(help_text=_("The Lab's slug, the country's ISO code or the programme's id."))
    year = serializers.IntegerField()
    value = serializers.FloatField()


class ValuesQuery(serializers.Serializer):
    framework = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    lab = serializers.SlugField(required=False, max_length=100)
    year = serializers.IntegerField(required=False, min_value=1, max_value=9999)


@extend_schema_view(
    list=extend_schema(
        summary=_("Approved values per indicator, subject and year"),
        parameters=[ValuesQuery],
        responses={
            (200, JSON): ValueSerializer(many=True),
            (200, CSV): OpenApiResponse(OpenApiTypes.STR, description=_("The values as a table.")),
            400: INVALID,
            404: NOT_FOUND,
        },
    )
)
class ValueViewSet(viewsets.ViewSet):
    """The approved values of a framework's indicators per subject and year, as the dashboards show them (time
    aggregation, running totals of cumulative indicators, derived indicators and attendance feeds included)."""

    permission_classes = [permissions.AllowAny]
    # No conect.apibase.APIBase: it would add a detail route this list of numbers does not have.
    renderer_classes = [apibase.JSONRenderer, apibase.CSVRenderer, renderers.BrowsableAPIRenderer]

    def list(self, request):
        from indicators.values import yearly

        query = ValuesQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        framework = Framework.objects.visible_to(request.user).filter(pk=query.validated_data["framework"]).first()
        if framework is None:
            raise NotFound(_("No such framework."))
        labs = None
        if "lab" in query.validated_data:
            labs = list(Lab.objects.filter(slug=query.validated_data["lab"]).values_list("pk", flat=True))
            if not labs:
                raise NotFound(_("No such Lab."))
        years = [query.validated_data["year"]] if "year" in query.validated_data else None
        indicators = list(framework.indicators.exclude(type=IndicatorType.NARRATIVE))
        values = yearly(indicators, labs=labs, years=years)
        lab_ids = {s[1] for per in values.values() for s in per if s[0] == "lab"}
        slugs = dict(Lab.objects.filter(pk__in=lab_ids).values_list("pk", "slug"))
        rows = []
        for indicator in indicators:
            for (kind, key), per_year in values.get(indicator.pk, {}).items():
                if kind == "lab" and labs is not None and key not in labs:
                    continue
                if kind != "lab" and labs is not None:
                    continue
                subject = slugs.get(key, str(key)) if kind == "lab" else str(key)
                for year, value in sorted(per_year.items()):
                    row = {"indicator": indicator.pk, "code": indicator.code, "subject_type": kind}
                    rows.append(row | {"subject": subject, "year": year, "value": value})
        return Response(ValueSerializer(rows, many=True).data)


# --- Composite indices ------------------------------------------------------------------------------------------------


class CompositeSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:composite-detail")
    page = serializers.SerializerMethodField(help_text=_("The index's page, with its method and sensitivity."))

    class Meta:
        model = Composite
        fields = [
            "id", "url", "page", "framework", "level", "year", "method", "status", "data_version", "results",
            "error", "requested_at", "started_at", "finished_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_page(self, composite: Composite) -> str:
        return self.context["request"].build_absolute_uri(composite.get_absolute_url())


class CompositeRequestSerializer(serializers.Serializer):
    framework = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text=_("The framework's id."))
    level = serializers.ChoiceField(choices=Level.choices, help_text=_("lab or country."))
    year = serializers.IntegerField(min_value=1900, max_value=2200)
    method = serializers.DictField(
        required=False,
        help_text=_(
            "The method's choices (normalisation, weights, aggregation, missing, as the README says); the framework's "
            "own method when left out."
        ),
    )

    def validate_level(self, level: str) -> str:
        if level not in LEVELS:
            raise serializers.ValidationError(_("An index is computed for Labs or for countries."))
        return level


class RequestedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    status = serializers.CharField()


class CompositeFilter(django_filters.FilterSet):
    framework = IntegerFilter(field_name="framework_id", label=_("Framework (id)"))
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("Level"))
    year = IntegerFilter(label=_("Year"), min_value=1, max_value=9999)
    ordering = ordering_filter(requested_at="requested_at", year="year")

    class Meta:
        model = Composite
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(
        summary=_("Composite indices computed"),
        responses={200: CompositeSerializer(many=True), 400: INVALID, 404: NOT_FOUND},
    ),
    retrieve=extend_schema(summary=_("One composite index"), responses={200: CompositeSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary=_("Request a composite index"),
        request=CompositeRequestSerializer,
        responses={202: RequestedSerializer} | WRITE_ERRORS,
    ),
)
class CompositeViewSet(apibase.APIBase, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Composite indices of the frameworks the requester may see, computed from approved values only. Asking for one
    (signed in) starts a run on the task queue, or finds the run of the same inputs and method: 202 with its address,
    to read until its status is done."""

    serializer_class = CompositeSerializer
    filterset_class = CompositeFilter
    filter_backends = [DjangoFilterBackend]
    pagination_class = PageNumberPagination
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    renderer_classes = [apibase.JSONRenderer, renderers.BrowsableAPIRenderer]
    sync_id_field = None

    def get_queryset(self):
        rows = visible_composites(self.request.user)
        if self.action == "list":
            rows = rows.filter(status=CompositeStatus.DONE)  # one run is followed at its own address until done
        return rows.order_by("-requested_at", "pk")

    def create(self, request, *args, **kwargs):
        asked = CompositeRequestSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        data = asked.validated_data
        framework = Framework.objects.visible_to(request.user).filter(pk=data["framework"]).first()
        if framework is None:
            raise APIValidationError({"framework": [_("No such framework.")]})
        try:
            method = composite.Method.from_json(data["method"]) if "method" in data else default_method(framework)
            run = request_composite(
                framework=framework, level=data["level"], year=data["year"], method=method, by=request.user
            )
        except composite.MethodError as error:
            raise APIValidationError({"method": [str(error)]}) from None
        url = request.build_absolute_uri(reverse("api:composite-detail", kwargs={"pk": run.pk}))
        body = {"id": run.pk, "url": url, "status": run.status}
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": url})
