from django.urls import path

from practices import views

app_name = "practices"
urlpatterns = [
    path("practices/<slug:slug>/", views.PracticeDetailView.as_view(), name="practice_detail"),
    path("spaces/<slug:slug>/", views.SpaceDetailView.as_view(), name="space_detail"),
]
