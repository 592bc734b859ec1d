from django.contrib import admin

from networks.models import (
    Network,
    NetworkMembership,
    Organisation,
    OrganisationPerson,
    PracticeOrganisation,
    Relationship,
)
from practices import admin as practices_admin
from practices.models import Practice


class NetworkMembershipInline(admin.TabularInline):
    model = NetworkMembership
    extra = 0
    autocomplete_fields = ["organisation", "network"]


class PracticeOrganisationInline(admin.TabularInline):
    model = PracticeOrganisation
    extra = 0
    autocomplete_fields = ["organisation"]


# The organisations involved in a practice are edited on the practice, and stored here: practices know no networks.
admin.site.unregister(Practice)


@admin.register(Practice)
class PracticeAdmin(practices_admin.PracticeAdmin):
    inlines = [*practices_admin.PracticeAdmin.inlines, PracticeOrganisationInline]


class OrganisationPersonInline(admin.TabularInline):
    model = OrganisationPerson
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(practices_admin.ModeratedAdmin):
    list_display = ["name", "kind", "sector", "city", "country", "lab", "state"]
    list_filter = ["state", "kind", "sector", "lab", "country"]
    search_fields = ["name", "city"]
    list_select_related = ["lab"]
    autocomplete_fields = ["lab"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OrganisationPersonInline, NetworkMembershipInline]


@admin.register(Relationship)
class RelationshipAdmin(practices_admin.ModeratedAdmin):
    list_display = ["__str__", "kind", "direction", "network", "lab", "state"]
    list_filter = ["state", "kind", "direction", "network", "lab"]
    search_fields = ["source__name", "target__name", "evidence"]
    list_select_related = ["source", "target", "network", "lab"]
    autocomplete_fields = ["network", "lab"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("source", "target"):
            kwargs["queryset"] = Organisation.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "scope", "parent", "programme", "start_date", "end_date"]
    list_filter = ["scope"]
    search_fields = ["name", "programme"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    inlines = [NetworkMembershipInline]


@admin.register(NetworkMembership)
class NetworkMembershipAdmin(admin.ModelAdmin):
    list_display = ["organisation", "network", "role", "start_date", "end_date"]
    list_filter = ["role", "network"]
    search_fields = ["organisation__name", "network__name"]
    autocomplete_fields = ["organisation", "network"]
