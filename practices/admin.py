from django.contrib import admin
from leaflet.admin import LeafletGeoAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from practices.models import SDG, Practice, PracticeTranslation, Space, Theme


class PracticeTranslationInline(admin.StackedInline):
    model = PracticeTranslation
    extra = 0


class ArchiveInsteadOfDeleteMixin:
    """Practices and spaces are archived, never deleted, so that nothing is lost."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Practice)
class PracticeAdmin(ArchiveInsteadOfDeleteMixin, LeafletGeoAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "lab", "country", "state", "status", "updated_at"]
    list_filter = ["state", "status", "themes", "lab", "country"]
    search_fields = ["title", "summary", "city", "source_id"]
    list_select_related = ["lab"]
    autocomplete_fields = ["lab", "spaces"]
    filter_horizontal = ["themes", "sdgs"]
    inlines = [PracticeTranslationInline]
    readonly_fields = ["state_changed_at", "created_at", "updated_at"]


@admin.register(Space)
class SpaceAdmin(ArchiveInsteadOfDeleteMixin, LeafletGeoAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "city", "country", "lab", "state"]
    list_filter = ["state", "kind", "tenure", "country"]
    search_fields = ["name", "city", "address"]
    list_select_related = ["lab"]
    autocomplete_fields = ["lab"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "colour"]
    search_fields = ["slug", "name"]


@admin.register(SDG)
class SDGAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]

    def has_add_permission(self, request):
        return False  # the 17 goals are fixed

    def has_delete_permission(self, request, obj=None):
        return False
