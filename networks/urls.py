from django.urls import path

from networks import analysis_views, compare_views, edit_views, exchange_views, graph_views, views

app_name = "networks"
# Which moderated model the shared moderation views (edit_views) act on.
ORGANISATION, RELATIONSHIP = {"kind": "organisation"}, {"kind": "relationship"}

urlpatterns = [
    path("", views.NetworkListView.as_view(), name="list"),
    # Organisations, relationships, people, involvement in practices (networks/views.py, networks/edit_views.py)
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/new/", edit_views.OrganisationCreateView.as_view(), name="organisation_create"),
    path("organisations/<slug:slug>/", views.OrganisationDetailView.as_view(), name="organisation"),
    path("organisations/<slug:slug>/edit/", edit_views.OrganisationUpdateView.as_view(), name="organisation_edit"),
    path("organisations/<slug:slug>/people/", edit_views.organisation_people, name="organisation_people"),
    path("organisations/<slug:slug>/submit/", edit_views.submit, ORGANISATION, name="organisation_submit"),
    path("organisations/<slug:slug>/decide/", edit_views.decide, ORGANISATION, name="organisation_decide"),
    path("organisations/<slug:slug>/archive/", edit_views.archive, ORGANISATION, name="organisation_archive"),
    path("organisations/<slug:slug>/history/", edit_views.history, ORGANISATION, name="organisation_history"),
    path(
        "organisations/<slug:slug>/history/<int:history_id>/restore/",
        edit_views.restore,
        ORGANISATION,
        name="organisation_restore",
    ),
    path("relationships/new/", edit_views.RelationshipCreateView.as_view(), name="relationship_create"),
    path("relationships/<int:pk>/", views.RelationshipDetailView.as_view(), name="relationship"),
    path("relationships/<int:pk>/edit/", edit_views.RelationshipUpdateView.as_view(), name="relationship_edit"),
    path("relationships/<int:pk>/submit/", edit_views.submit, RELATIONSHIP, name="relationship_submit"),
    path("relationships/<int:pk>/decide/", edit_views.decide, RELATIONSHIP, name="relationship_decide"),
    path("relationships/<int:pk>/archive/", edit_views.archive, RELATIONSHIP, name="relationship_archive"),
    path("relationships/<int:pk>/history/", edit_views.history, RELATIONSHIP, name="relationship_history"),
    path(
        "relationships/<int:pk>/history/<int:history_id>/restore/",
        edit_views.restore,
        RELATIONSHIP,
        name="relationship_restore",
    ),
    path("practice/<slug:slug>/organisations/", edit_views.practice_organisations, name="practice_organisations"),
    # The graph view (networks/graph_views.py)
    path("graph/", graph_views.graph_page, name="graph"),
    path("graph/data.json", graph_views.graph_json, name="graph_data"),
    # The analysis (networks/analysis_views.py)
    path("analysis/", analysis_views.analysis_page, name="analysis"),
    path("analysis/start/", analysis_views.analysis_start, name="analysis_start"),
    path("analysis/status.json", analysis_views.analysis_status, name="analysis_status"),
    # Import and export (networks/exchange_views.py)
    path("export/", exchange_views.export, name="export"),
    path("feed.json", exchange_views.feed, name="feed"),
    path("import/", exchange_views.import_upload, name="import"),
    path("import/<int:pk>/", exchange_views.import_job, name="import_job"),
    path("import/<int:pk>/progress/", exchange_views.import_progress, name="import_progress"),
    # Partnership models compared (networks/compare_views.py)
    path("compare/", compare_views.compare_page, name="compare"),
    path("compare.csv", compare_views.compare_csv, name="compare_csv"),
    # Last: a network's page takes any slug not taken above.
    path("<slug:slug>/", views.NetworkDetailView.as_view(), name="detail"),
]
