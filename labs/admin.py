from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from conect import admin as conect_admin
from conect.models import User
from labs.models import Activity, Lab, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "lab"]


# A person's Lab memberships are edited on the user too; the core's user admin knows no Lab.
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(conect_admin.UserAdmin):
    inlines = [MembershipInline]

    def get_inlines(self, request, obj):
        # Memberships are added once the user exists.
        return self.inlines if obj else []


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
        "city",
        "start_date",
        "participants_expected",
        "participants_actual",
    ]
    list_filter = ["kind", "lab", "networks", "country"]
    search_fields = ["title", "city", "description"]
    list_select_related = ["lab"]
    autocomplete_fields = ["lab", "parent"]
