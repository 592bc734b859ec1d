"""The iCalendar feeds, outside the language prefix: a calendar subscription keeps one address whatever the
language of the page it was found on."""

from django.urls import path

from activities import ical

app_name = "ical"
urlpatterns = [
    path("activities/calendar.ics", ical.platform_feed, name="platform"),
    path("labs/<slug:slug>/activities.ics", ical.lab_feed, name="lab"),
    path("networks/<slug:slug>/activities.ics", ical.network_feed, name="network"),
]
