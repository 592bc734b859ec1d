from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from networks.models import Network, NetworkMembership, Organisation


class NetworkMembershipInline(admin.TabularInline):
    model = NetworkMembership
    extra = 0
    autocomplete_fields = ["organisation", "network"]


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
