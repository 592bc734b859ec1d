from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from labs.models import Activity, Lab, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "lab"]


@admin.register(Lab)
class LabAdmin(LeafletGeoAdmin):
    list_display = ["name", "city", "country", "start_date"]
    list_filter = ["country"]
    search_fields = ["name", "city"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "lab", "role", "created_at"]
    list_filter = ["role", "lab"]
    search_fields = ["user__email", "lab__name"]
    autocomplete_fields = ["user", "lab"]


@admin.register(Activity)
class ActivityAdmin(LeafletGeoAdmin):
    list_display = [
        "title",
        "kind",
        "lab",
        "network",
        "city",
        "start_date",
        "participants_expected",
        "participants_actual",
    ]
    list_filter = ["kind", "lab", "network", "country"]
    search_fields = ["title", "city", "description"]
    list_select_related = ["lab", "network"]
    autocomplete_fields = ["lab", "network", "parent"]
