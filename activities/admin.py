from django.contrib import admin

from activities.models import Activity, Programme, Registration
from practices.admin import ModeratedAdmin


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["title", "lab", "network", "planned_activities", "planned_participants"]
    search_fields = ["title"]
    list_select_related = ["lab", "network"]


@admin.register(Activity)
class ActivityAdmin(ModeratedAdmin):
    """Through the site's write path, like practices: one history row per edit, published edits reviewed again."""

    list_display = ["title", "kind", "lab", "state", "starts_at", "city", "participants_expected", "attendance_total"]
    list_filter = ["kind", "state", "lab", "mode", "country"]
    search_fields = ["title", "city", "description"]
    list_select_related = ["lab"]
    autocomplete_fields = ["lab", "programme"]
    filter_horizontal = ["other_labs", "networks", "organisations", "practices"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["activity", "name", "email", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["name", "email", "activity__title"]
    list_select_related = ["activity"]
    raw_id_fields = ["activity", "user"]
