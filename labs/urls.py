from django.urls import path

from labs import views

app_name = "labs"
urlpatterns = [
    path("", views.LabListView.as_view(), name="list"),
    path("<slug:slug>/", views.LabDetailView.as_view(), name="detail"),
]
