"""iCalendar feeds (RFC 5545, written by the icalendar package): the whole platform's, a Lab's and a network's
published activities that have a start. Calendar clients subscribe to them (webcal://) and poll them."""

import datetime
import zoneinfo

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from icalendar import Calendar, Event, Timezone

from activities.filters import ActivityFilter
from activities.models import Activity, ActivityMode
from labs.models import Lab
from labs.moderation import ModerationState
from networks.models import Network

STATUS = {ModerationState.PUBLISHED: "CONFIRMED"}


def platform_feed(request):
    return _feed(request, _published(), name="CoNECT")


def lab_feed(request, slug: str):
    lab = get_object_or_404(Lab.objects.visible_to(request.user), slug=slug)
    activities = ActivityFilter({"lab": lab.slug}, queryset=_published()).qs
    return _feed(request, activities, name=f"CoNECT · {lab.name}")


def network_feed(request, slug: str):
    network = get_object_or_404(Network.objects.visible_to(request.user), slug=slug)
    activities = ActivityFilter({"network": network.slug}, queryset=_published()).qs
    return _feed(request, activities, name=f"CoNECT · {network.name}")


def _published():
    # Feeds are public: only what anyone may read, whoever asks (a calendar client has no session anyway).
    return Activity.objects.published().filter(starts_at__isnull=False).select_related("space").order_by("starts_at")


def _feed(request, activities, *, name: str) -> HttpResponse:
    calendar = Calendar()
    calendar.add("prodid", "-//CoNECT//activities//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    base = f"{request.scheme}://{request.get_host()}"
    zones = set()
    stamp = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        for activity in activities:
            calendar.add_component(_event(activity, base=base, host=request.get_host(), stamp=stamp))
            if activity.time_zone and not activity.all_day:
                zones.add(activity.time_zone)
    for zone in sorted(zones):
        calendar.add_component(Timezone.from_tzid(zone))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="activities.ics"'
    return response


def _event(activity: Activity, *, base: str, host: str, stamp: datetime.datetime) -> Event:
    event = Event()
    event.add("uid", f"activity-{activity.pk}@{host.split(':')[0]}")
    event.add("dtstamp", stamp)
    event.add("created", activity.created_at)
    event.add("last-modified", activity.updated_at)
    start, end = activity.local_starts_at, activity.local_ends_at
    if activity.all_day:
        # Dates only; DTEND is exclusive, so the day after the last one.
        last = (end or start).date()
        event.add("dtstart", start.date())
        event.add("dtend", last + datetime.timedelta(days=1))
    else:
        zone = zoneinfo.ZoneInfo(activity.time_zone) if activity.time_zone else datetime.UTC
        event.add("dtstart", start.astimezone(zone))
        if end is not None:
            event.add("dtend", end.astimezone(zone))
    event.add("summary", activity.title)
    description = activity.description
    url = base + activity.get_absolute_url()
    event.add("description", f"{description}\n\n{url}" if description else url)
    location = _location(activity)
    if location:
        event.add("location", location)
    if activity.location:
        event.add("geo", (activity.location.y, activity.location.x))
    event.add("url", url)
    event.add("status", STATUS.get(activity.state, "TENTATIVE"))
    event.add("categories", [activity.get_kind_display()])
    return event


def _location(activity: Activity) -> str:
    if activity.mode == ActivityMode.ONLINE:
        return str(activity.get_mode_display())  # the link is for registrants, never in a public feed
    parts = [activity.venue or (activity.public_space.name if activity.public_space else ""), activity.city,
             activity.country.name if activity.country else ""]  # fmt: skip
    return ", ".join(part for part in parts if part)
