"""Every page of the indicators app. Mounted at the site's root (conect/urls.py, before the labs' pages) because two
of its places live under /labs/: the comparison of Labs and each Lab's dashboard; the rest is under /indicators/."""

from django.urls import path, re_path

from indicators import composite_views, dashboard_views, entry_views, framework_views, import_views, views

app_name = "indicators"
urlpatterns = [
    # The comparison of Labs' aggregates (practices, activities, people reached).
    path("labs/compare/", views.compare_view, name="compare"),
    path("labs/compare/comparison.csv", views.download, {"fmt": "csv"}, name="compare_csv"),
    path("labs/compare/comparison.xlsx", views.download, {"fmt": "xlsx"}, name="compare_xlsx"),
    # --- H1 frameworks (framework_views.py) ---
    path("indicators/", framework_views.home, name="home"),
    path("indicators/frameworks/new/", framework_views.framework_create, name="framework_create"),
    path("indicators/frameworks/import/", framework_views.framework_import, name="framework_import"),
    path("indicators/frameworks/<slug:code>/v<int:version>/", framework_views.framework_detail, name="framework"),
    path(
        "indicators/frameworks/<slug:code>/v<int:version>/edit/", framework_views.framework_edit, name="framework_edit"
    ),
    path(
        "indicators/frameworks/<slug:code>/v<int:version>/dimensions/",
        framework_views.dimension_edit,
        name="dimension_edit",
    ),
    path(
        "indicators/frameworks/<slug:code>/v<int:version>/indicators/new/",
        framework_views.indicator_create,
        name="indicator_create",
    ),
    path(
        "indicators/frameworks/<slug:code>/v<int:version>/indicators/<str:indicator>/edit/",
        framework_views.indicator_edit,
        name="indicator_edit",
    ),
    path(
        "indicators/frameworks/<slug:code>/v<int:version>/new-version/",
        framework_views.framework_new_version,
        name="framework_new_version",
    ),
    path(
        "indicators/frameworks/<slug:code>/v<int:version>/export.<str:fmt>",
        framework_views.framework_export,
        name="framework_export",
    ),
    # --- H2 composite (composite_views.py) ---
    path("indicators/index/", composite_views.composite_form, name="composite_form"),
    path("indicators/index/<int:pk>/", composite_views.composite_detail, name="composite"),
    path("indicators/index/<int:pk>/status.json", composite_views.composite_status, name="composite_status"),
    path("indicators/index/<int:pk>/results.csv", composite_views.composite_csv, name="composite_csv"),
    # --- H3 data entry (entry_views.py) ---
    path("indicators/measurements/", entry_views.measurement_list, name="measurements"),
    path("indicators/measurements/new/", entry_views.measurement_create, name="measurement_create"),
    path("indicators/measurements/<int:pk>/", entry_views.measurement_detail, name="measurement"),
    path("indicators/measurements/<int:pk>/edit/", entry_views.measurement_edit, name="measurement_edit"),
    path("indicators/measurements/<int:pk>/submit/", entry_views.measurement_submit, name="measurement_submit"),
    path("indicators/measurements/<int:pk>/review/", entry_views.measurement_review, name="measurement_review"),
    path("indicators/measurements/<int:pk>/history/", entry_views.measurement_history, name="measurement_history"),
    path("indicators/measurements/<int:pk>/evidence/", entry_views.measurement_evidence, name="measurement_evidence"),
    path("indicators/targets/", entry_views.target_list, name="targets"),
    path("indicators/targets/new/", entry_views.target_create, name="target_create"),
    path("indicators/targets/<int:pk>/edit/", entry_views.target_edit, name="target_edit"),
    path("indicators/import/", import_views.import_upload, name="import"),
    path("indicators/import/<int:pk>/", import_views.import_job, name="import_job"),
    path("indicators/import/<int:pk>/progress/", import_views.import_progress, name="import_progress"),
    path("indicators/import/template/<int:pk>.csv", import_views.import_template, name="import_template"),
    # --- H4 dashboards (dashboard_views.py) ---
    path("labs/<slug:slug>/dashboard/", dashboard_views.lab_dashboard, name="lab_dashboard"),
    re_path(
        r"^labs/(?P<slug>[-a-zA-Z0-9_]+)/dashboard\.(?P<fmt>csv|xlsx)$",
        dashboard_views.lab_dashboard_download,
        name="lab_dashboard_download",
    ),
    path("indicators/dashboard/", dashboard_views.dashboard, name="dashboard"),
    re_path(
        r"^indicators/dashboard\.(?P<fmt>csv|xlsx)$", dashboard_views.dashboard_download, name="dashboard_download"
    ),
]
