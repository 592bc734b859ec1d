from django.urls import path

from practices import map_views, views

app_name = "practices"
urlpatterns = [
    path("map/", map_views.map_page, name="map"),
    path("map/results/", map_views.map_results, name="map_results"),
    path("practices/<slug:slug>/", views.PracticeDetailView.as_view(), name="practice_detail"),
    path("spaces/<slug:slug>/", views.SpaceDetailView.as_view(), name="space_detail"),
]
