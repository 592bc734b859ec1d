from django.urls import path

from practices import edit_views, embed_views, feeds, import_views, map_views, views

app_name = "practices"
urlpatterns = [
    path("map/", map_views.map_page, name="map"),
    path("search/", views.search, name="search"),
    path("<str:kind>/<slug:slug>/archive/", edit_views.archive, name="archive"),
    path("map/results/", map_views.map_results, name="map_results"),
    path("practices/import/", import_views.import_upload, name="import"),
    path("practices/import/<int:pk>/", import_views.import_job, name="import_job"),
    path("practices/import/<int:pk>/progress/", import_views.import_progress, name="import_progress"),
    path("practices/import/template.<str:fmt>", import_views.import_template, name="import_template"),
    path("practices/export.<str:fmt>", import_views.export, name="export"),
    path("practices/new/", edit_views.PracticeCreateView.as_view(), name="practice_create"),
    path("practices/suggest/", edit_views.PracticeSuggestView.as_view(), name="suggest"),
    path("practices/<slug:slug>/images/", edit_views.practice_images, name="images"),
    path("practices/<slug:slug>/translations/", edit_views.practice_translations, name="translations"),
    path("practices/<slug:slug>/edit/", edit_views.PracticeUpdateView.as_view(), name="practice_edit"),
    path("spaces/new/", edit_views.SpaceCreateView.as_view(), name="space_create"),
    path("spaces/<slug:slug>/edit/", edit_views.SpaceUpdateView.as_view(), name="space_edit"),
    path("moderation/", edit_views.moderation_queue, name="moderation"),
    path("<str:kind>/<slug:slug>/submit/", edit_views.submit, name="submit"),
    path("<str:kind>/<slug:slug>/moderate/", edit_views.moderate, name="moderate"),
    path("<str:kind>/<slug:slug>/history/", edit_views.history, name="history"),
    path("<str:kind>/<slug:slug>/history/<int:history_id>/restore/", edit_views.restore, name="restore"),
    path("places/", edit_views.places, name="places"),
    path("embed/practices/<slug:slug>/", views.PracticeEmbedView.as_view(), name="practice_embed"),
    path("embed/map/", embed_views.map_embed, name="map_embed"),
    path("practices/feed.rss", feeds.PracticeFeed(), name="feed_rss"),
    path("practices/feed.atom", feeds.AtomPracticeFeed(), name="feed_atom"),
    path("labs/<slug:slug>/practices.rss", feeds.LabPracticeFeed(), name="lab_feed_rss"),
    path("labs/<slug:slug>/practices.atom", feeds.AtomLabPracticeFeed(), name="lab_feed_atom"),
    path("themes/<slug:slug>/practices.rss", feeds.ThemePracticeFeed(), name="theme_feed_rss"),
    path("themes/<slug:slug>/practices.atom", feeds.AtomThemePracticeFeed(), name="theme_feed_atom"),
    path("practices/<slug:slug>/", views.PracticeDetailView.as_view(), name="practice_detail"),
    path("spaces/<slug:slug>/", views.SpaceDetailView.as_view(), name="space_detail"),
]
