from django.urls import path

from indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.compare_view, name="compare"),
    path("comparison.csv", views.download, {"fmt": "csv"}, name="compare_csv"),
    path("comparison.xlsx", views.download, {"fmt": "xlsx"}, name="compare_xlsx"),
]
