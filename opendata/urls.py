"""Language-independent addresses (clients and harvesters keep them): mounted at the site's root."""

from django.urls import path  # noqa: F401 (the helpers add their paths)

from opendata import hsds, murmurations, ogc

app_name = "opendata"
urlpatterns: list = [
    # --- OGC API - Features (/ogc/...) ---
    path("ogc/", ogc.landing, name="ogc_landing"),
    path("ogc/conformance", ogc.conformance, name="ogc_conformance"),
    path("ogc/api", ogc.api, name="ogc_api"),
    path("ogc/collections", ogc.collections, name="ogc_collections"),
    path("ogc/collections/<str:collection_id>", ogc.collection, name="ogc_collection"),
    path("ogc/collections/<str:collection_id>/items", ogc.items, name="ogc_items"),
    path("ogc/collections/<str:collection_id>/items/<str:feature_id>", ogc.item, name="ogc_item"),
    # --- Open Referral HSDS 3.0 (/hsds/...) ---
    path("hsds/", hsds.root, name="hsds_root"),
    path("hsds/organizations", hsds.organizations, name="hsds_organizations"),
    path("hsds/organizations/<str:id>", hsds.organization_detail, name="hsds_organization"),
    path("hsds/services", hsds.services, name="hsds_services"),
    path("hsds/services/<str:id>", hsds.service_detail, name="hsds_service"),
    path("hsds/service_at_locations", hsds.service_at_locations, name="hsds_service_at_locations"),
    path("hsds/service_at_locations/<str:id>", hsds.service_at_location_detail, name="hsds_service_at_location"),
    path("hsds/taxonomies", hsds.taxonomies, name="hsds_taxonomies"),
    path("hsds/taxonomies/<str:id>", hsds.taxonomy_detail, name="hsds_taxonomy"),
    path("hsds/taxonomy_terms", hsds.taxonomy_terms, name="hsds_taxonomy_terms"),
    path("hsds/taxonomy_terms/<str:id>", hsds.taxonomy_term_detail, name="hsds_taxonomy_term"),
    # --- Murmurations profiles (/murmurations/...) ---
    path("murmurations/practices/<slug:slug>.json", murmurations.practice_profile, name="murmurations_practice"),
    path(
        "murmurations/organisations/<slug:slug>.json",
        murmurations.organisation_profile,
        name="murmurations_organisation",
    ),
]
