from django.contrib import admin
from django.http import Http404
from leaflet.admin import LeafletGeoAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from labs.models import Lab
from practices.forms import LabChangeMixin
from practices.models import SDG, Practice, PracticeTranslation, Space, Theme


class PracticeTranslationInline(admin.StackedInline):
    model = PracticeTranslation
    extra = 0


class ModeratedAdmin(LeafletGeoAdminMixin, SimpleHistoryAdmin):
    """The admin of moderated content takes the same paths as the site: the rows the person may edit, the model's
    write path (one history row, review of published edits), states changed only by moderation (never typed in, never
    brought back by reverting a version: the site's restore keeps the state), and archiving instead of deleting."""

    readonly_fields = ["state", "state_reason", "state_changed_at", "created_at", "updated_at"]

    def get_queryset(self, request):
        queryset = self.model.objects.editable_by(request.user)
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def has_delete_permission(self, request, obj=None):
        return False

    def revert_disabled(self, request, obj=None):
        return True

    def history_view(self, request, object_id, extra_context=None):
        self._editable_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._editable_or_404(request, object_id)
        if request.method == "POST":
            raise Http404  # past versions are restored on the site's history page, which keeps the state
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _editable_or_404(self, request, object_id) -> None:
        # simple-history's views read the history table directly: the access path is checked here first.
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (LabChangeMixin, form), {"editor": request.user})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "lab":
            kwargs["queryset"] = Lab.objects.addable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        """Saved with its relations in save_related(), through the model's write path."""

    def save_related(self, request, form, formsets, change):
        item = form.instance

        def related():
            super(ModeratedAdmin, self).save_related(request, form, formsets, change)

        if change:
            item.save_edit(by=request.user, related=related)
        else:
            item.save_new(by=request.user, related=related)


@admin.register(Practice)
class PracticeAdmin(ModeratedAdmin):
    list_display = ["title", "lab", "country", "state", "status", "updated_at"]
    list_filter = ["state", "status", "themes", "lab", "country"]
    search_fields = ["title", "summary", "city", "source_id"]
    list_select_related = ["lab"]
    autocomplete_fields = ["lab", "spaces"]
    filter_horizontal = ["themes", "sdgs"]
    inlines = [PracticeTranslationInline]


@admin.register(Space)
class SpaceAdmin(ModeratedAdmin):
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
