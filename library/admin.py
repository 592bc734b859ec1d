from django.contrib import admin

from library.models import Resource
from practices.admin import ModeratedAdmin


@admin.register(Resource)
class ResourceAdmin(ModeratedAdmin):
    """Through the site's write path, like practices: one history row per edit, published edits reviewed again."""

    list_display = ["title", "kind", "lab", "language", "licence", "state", "download_count", "extraction"]
    list_filter = ["state", "kind", "licence", "extraction", "lab"]
    search_fields = ["title", "authors", "description"]
    list_select_related = ["lab"]
    filter_horizontal = ["themes", "practices", "activities"]
    readonly_fields = [
        *ModeratedAdmin.readonly_fields,
        "file_type",
        "file_size",
        "extraction",
        "extraction_error",
        "page_count",
        "download_count",
    ]
