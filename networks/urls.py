from django.urls import path

from networks import analysis_views, exchange_views, graph_views, views

app_name = "networks"
urlpatterns = [
    path("", views.NetworkListView.as_view(), name="list"),
    # Organisations, relationships, people, involvement in practices (networks/views.py, networks/edit_views.py)
    path("organisations/<slug:slug>/", views.OrganisationDetailView.as_view(), name="organisation"),
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
    # Last: a network's page takes any slug not taken above.
    path("<slug:slug>/", views.NetworkDetailView.as_view(), name="detail"),
]
