from django.urls import path

from activities import views

app_name = "activities"
urlpatterns = [
    path("activities/<slug:slug>/", views.ActivityDetailView.as_view(), name="detail"),
    path("programmes/<slug:slug>/", views.ProgrammeDetailView.as_view(), name="programme"),
]
