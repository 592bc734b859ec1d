from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from conect import admin as conect_admin
from conect.models import User
from labs.models import Invitation, Lab, LogEntry, Membership


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
    # The cover is checked and re-encoded by the site's Lab form (labs.services.save_lab), and lives in the private
    # storage, which has no URL for the admin's file widget to show.
    exclude = ["cover"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "lab", "role", "created_at"]
    list_filter = ["role", "lab"]
    search_fields = ["user__email", "lab__name"]
    autocomplete_fields = ["user", "lab"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "lab", "role", "invited_by", "created_at", "accepted_at", "revoked_at"]
    list_filter = ["lab", "role"]
    search_fields = ["email", "lab__name"]
    readonly_fields = ["invited_by", "accepted_by", "accepted_at", "created_at"]


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "lab", "actor", "action", "subject"]
    list_filter = ["lab", "action"]

    # The log is a record: nobody edits it by hand.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
