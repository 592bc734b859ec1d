from django.urls import path

from activities import views

app_name = "activities"
urlpatterns = [
    path("activities/", views.activity_list, name="list"),
    path("activities/new/", views.ActivityCreateView.as_view(), name="create"),
    path("activities/calendar/", views.calendar_now, name="calendar_now"),
    path("activities/calendar/<int:year>/<int:month>/", views.activity_calendar, name="calendar"),
    path("activities/moderation/", views.moderation_queue, name="moderation"),
    path("activities/registrations/cancel/<str:token>/", views.cancel_link, name="cancel_link"),
    path("activities/<slug:slug>/", views.ActivityDetailView.as_view(), name="detail"),
    path("activities/<slug:slug>/edit/", views.ActivityUpdateView.as_view(), name="edit"),
    path("activities/<slug:slug>/report/", views.report, name="report"),
    path("activities/<slug:slug>/submit/", views.submit, name="submit"),
    path("activities/<slug:slug>/moderate/", views.moderate, name="moderate"),
    path("activities/<slug:slug>/register/", views.register, name="register"),
    path("activities/<slug:slug>/cancel/", views.cancel, name="cancel"),
    path("activities/<slug:slug>/registrations/", views.registrations, name="registrations"),
    path("activities/<slug:slug>/registrations.csv", views.registrations_csv, name="registrations_csv"),
    path("programmes/<slug:slug>/", views.ProgrammeDetailView.as_view(), name="programme"),
]
