from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from networks.models import Network, NetworkMembership, Organisation, PracticeOrganisation
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


@admin.register(Organisation)
class OrganisationAdmin(LeafletGeoAdmin):
    list_display = ["name", "kind", "city", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "city"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [NetworkMembershipInline]


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
