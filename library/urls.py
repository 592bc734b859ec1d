from django.urls import path

from library import edit_views, views

app_name = "library"
urlpatterns = [
    path("", views.resource_list, name="list"),
    path("new/", edit_views.ResourceCreateView.as_view(), name="create"),
    path("<slug:slug>/", views.ResourceDetailView.as_view(), name="detail"),
    path("<slug:slug>/download/", views.download, name="download"),
    path("<slug:slug>/preview/", views.preview, name="preview"),
    path("<slug:slug>/edit/", edit_views.ResourceUpdateView.as_view(), name="edit"),
    path("<slug:slug>/submit/", edit_views.submit, name="submit"),
    path("<slug:slug>/moderate/", edit_views.moderate, name="moderate"),
    path("<slug:slug>/archive/", edit_views.archive, name="archive"),
    path("<slug:slug>/history/", edit_views.history, name="history"),
    path("<slug:slug>/history/<int:history_id>/restore/", edit_views.restore, name="restore"),
]
