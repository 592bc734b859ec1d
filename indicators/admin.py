"""The indicators in the admin, through the same access paths and write path as the pages: frameworks with their
dimensions, indicators and targets are edited here; measurements are read here and moved only by the review flow
(Measurement.submit / approve / return_for_changes); composite runs are read-only results."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from indicators.models import Composite, Dimension, Framework, Indicator, Measurement, MeasurementError, Target


class DimensionInline(admin.TabularInline):
    model = Dimension
    extra = 0
    fields = ["code", "name", "names", "parent", "weight", "position"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            framework_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Dimension.objects.filter(framework_id=framework_id or 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Framework)
class FrameworkAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "version", "published", "updated_at"]
    list_filter = ["published"]
    search_fields = ["name", "code"]
    readonly_fields = ["previous", "created_at", "updated_at"]
    inlines = [DimensionInline]

    def get_queryset(self, request):
        return Framework.objects.editable_by(request.user)


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "framework", "dimension", "type", "level", "frequency"]
    list_filter = ["framework", "type", "level", "frequency"]
    search_fields = ["code", "name"]
    list_select_related = ["framework", "dimension"]
    autocomplete_fields = ["feed_programme"]

    def get_queryset(self, request):
        return Indicator.objects.filter(framework__in=Framework.objects.editable_by(request.user))


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "indicator", "lab", "practice", "country", "kind", "value"]
    list_filter = ["kind", "period_type"]
    list_select_related = ["indicator", "lab", "practice"]
    raw_id_fields = ["indicator", "lab", "practice"]

    def get_queryset(self, request):
        return Target.objects.editable_by(request.user)


@admin.register(Measurement)
class MeasurementAdmin(SimpleHistoryAdmin):
    """Read-mostly: a value's state moves only along the review flow (the actions below), never by editing it."""

    list_display = ["__str__", "lab", "practice", "country", "value", "state", "updated_at"]
    list_filter = ["state", "period_type", "indicator__framework"]
    list_select_related = ["indicator", "lab", "practice"]
    search_fields = ["indicator__code", "lab__name"]
    actions = ["approve", "submit"]

    def get_queryset(self, request):
        return Measurement.objects.visible_to(request.user)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Measurement._meta.fields]

    def has_add_permission(self, request):
        return False  # through the data entry pages, the import or the API: the one write path

    def has_change_permission(self, request, obj=None):
        return super().has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def _move(self, request, queryset, move: str) -> None:
        moved = 0
        for measurement in queryset.select_related("indicator"):
            try:
                getattr(measurement, move)(by=request.user)
            except MeasurementError as error:
                self.message_user(request, f"{measurement}: {error}", messages.WARNING)
            else:
                moved += 1
        self.message_user(request, _("%(count)s value(s) moved.") % {"count": moved})

    @admin.action(description=_("Approve the selected values"))
    def approve(self, request, queryset):
        self._move(request, queryset, "approve")

    @admin.action(description=_("Submit the selected values for approval"))
    def submit(self, request, queryset):
        self._move(request, queryset, "submit")


@admin.register(Composite)
class CompositeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "level", "year", "status", "requested_at", "finished_at"]
    list_filter = ["status", "level"]
    list_select_related = ["framework"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Composite._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
