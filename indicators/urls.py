"""Every page of the indicators app. Mounted at the site's root (conect/urls.py, before the labs' pages) because two
of its places live under /labs/: the comparison of Labs and each Lab's dashboard; the rest is under /indicators/."""

from django.urls import path

from indicators import views

app_name = "indicators"
urlpatterns = [
    # The comparison of Labs' aggregates (practices, activities, people reached).
    path("labs/compare/", views.compare_view, name="compare"),
    path("labs/compare/comparison.csv", views.download, {"fmt": "csv"}, name="compare_csv"),
    path("labs/compare/comparison.xlsx", views.download, {"fmt": "xlsx"}, name="compare_xlsx"),
    # --- H1 frameworks (framework_views.py) ---
    # --- H2 composite (composite_views.py) ---
    # --- H3 data entry (entry_views.py) ---
    # --- H4 dashboards (dashboard_views.py) ---
]
