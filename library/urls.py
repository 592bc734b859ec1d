from django.urls import path

from library import views

app_name = "library"
urlpatterns = [
    path("<slug:slug>/", views.ResourceDetailView.as_view(), name="detail"),
]
