"""The activities part of the REST API: activities (attendance as totals only), programmes with planned and reached,
the caller's own registrations, and registering or cancelling through an activity's `registration`."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework_gis.fields import GeometryField

from activities import services
from activities.filters import ActivityFilter
from activities.models import AGE_GROUPS, GENDERS, Activity, Programme, Registration
from labs.moderation import ModerationState
from practices.api import INVALID, NOT_FOUND, ErrorSerializer, PageNumberPagination


class ActivitySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:activity-detail")
    page = serializers.SerializerMethodField(help_text=_("The activity's public page."))
    lab = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    other_labs = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    networks = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    programme = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    location = GeometryField(read_only=True, precision=6)
    country = serializers.CharField(read_only=True, help_text=_("ISO 3166 code; empty when not set."))
    attendance = serializers.SerializerMethodField(
        help_text=_("The closing report's totals (never who came): total, by gender, by age group; null if none.")
    )

    class Meta:
        model = Activity
        fields = [
            "id", "url", "page", "slug", "title", "kind", "description", "descriptions", "agenda", "starts_at",
            "ends_at", "all_day", "time_zone", "mode", "city", "country", "venue", "location", "lab", "other_labs",
            "networks", "programme", "registration_open", "capacity", "participants_expected", "closed_at",
            "attendance", "outcomes", "state",
        ]  # fmt: skip
        read_only_fields = fields

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


class ProgrammeSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:programme-detail", lookup_field="slug")
    lab = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    reached_activities = serializers.IntegerField(read_only=True, help_text=_("Its published activities."))
    reached_participants = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("People who took part, as reports say; null: not reported yet.")
    )

    class Meta:
        model = Programme
        fields = [
            "url", "slug", "title", "description", "descriptions", "lab", "network", "start_date", "end_date",
            "planned_activities", "planned_participants", "reached_activities", "reached_participants",
        ]  # fmt: skip
        read_only_fields = fields


class RegistrationSerializer(serializers.ModelSerializer):
    activity = serializers.PrimaryKeyRelatedField(read_only=True)
    activity_title = serializers.CharField(source="activity.title", read_only=True)

    class Meta:
        model = Registration
        fields = ["id", "activity", "activity_title", "name", "email", "status", "created_at"]
        read_only_fields = ["id", "activity", "activity_title", "email", "status", "created_at"]
        extra_kwargs = {"name": {"required": False}}


@extend_schema_view(
    list=extend_schema(responses={200: ActivitySerializer(many=True), 400: INVALID, 404: NOT_FOUND}),
    retrieve=extend_schema(responses={200: ActivitySerializer, 400: INVALID, 404: NOT_FOUND}),
)
class ActivityViewSet(viewsets.ReadOnlyModelViewSet):
    """Activities: the published ones for the public; Lab members see their Labs' drafts too."""

    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    filter_backends = [DjangoFilterBackend]
    pagination_class = PageNumberPagination
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def get_queryset(self):
        return (
            Activity.objects.visible_to(self.request.user)
            .select_related("lab", "programme")
            .prefetch_related("other_labs", "networks")
            .order_by(F("starts_at").desc(nulls_last=True), "pk")
        )

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
        serializer_class=RegistrationSerializer,
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


@extend_schema_view(
    list=extend_schema(responses={200: ProgrammeSerializer(many=True), 400: INVALID, 404: NOT_FOUND}),
    retrieve=extend_schema(responses={200: ProgrammeSerializer, 400: INVALID, 404: NOT_FOUND}),
)
class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    """Programmes with what they planned and what their published activities reached."""

    serializer_class = ProgrammeSerializer
    lookup_field = "slug"
    pagination_class = PageNumberPagination
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

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


@extend_schema_view(
    list=extend_schema(
        responses={200: RegistrationSerializer(many=True), 400: INVALID, 403: ErrorSerializer, 404: NOT_FOUND}
    ),
    retrieve=extend_schema(responses={200: RegistrationSerializer, 400: INVALID, 403: ErrorSerializer, 404: NOT_FOUND}),
)
class RegistrationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's own registrations, and nobody else's."""

    serializer_class = RegistrationSerializer
    pagination_class = PageNumberPagination
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return Registration.objects.of(self.request.user).select_related("activity").order_by("-created_at", "pk")
