"""Activities and programmes as schema.org (conect.jsonld): an Event, and the EventSeries they belong to."""

from django.http import HttpRequest

from conect import jsonld

from .models import Activity, ActivityMode, Programme

ATTENDANCE = {
    ActivityMode.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    ActivityMode.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    ActivityMode.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


@jsonld.register(Activity)
def activity(activity: Activity, request: HttpRequest) -> dict:
    description = activity.localised_description
    space = activity.public_space  # a draft space is never named beside a public activity
    if space is not None:
        where = jsonld.place(
            name=space.name, street=space.address, city=space.city, country=space.country.code, point=space.location
        )
    else:
        where = jsonld.place(
            name=activity.venue, city=activity.city, country=activity.country.code, point=activity.location
        )
    if activity.mode != ActivityMode.IN_PERSON:
        # Its meeting link is for the people registered: the page does not show it, nor does this.
        online = {"@type": "VirtualLocation", "name": activity.get_mode_display()}
        where = [where, online] if where and activity.mode == ActivityMode.HYBRID else online
    return {
        "@type": "Event",
        "name": activity.title,
        "description": description.text,
        "inLanguage": description.language,
        "additionalType": activity.get_kind_display(),
        "startDate": _local(activity.local_starts_at, activity.all_day),
        "endDate": _local(activity.local_ends_at, activity.all_day),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": ATTENDANCE.get(activity.mode),
        "location": where,
        "maximumAttendeeCapacity": activity.capacity,
        "organizer": _organiser(activity.lab, request),
        "superEvent": _programme(activity.programme, request) if activity.programme_id else None,
    }


@jsonld.register(Programme)
def programme(programme: Programme, request: HttpRequest) -> dict:
    return {
        "@type": "EventSeries",
        "name": programme.title,
        "description": programme.localised_description.text,
        "startDate": programme.start_date.isoformat() if programme.start_date else None,
        "endDate": programme.end_date.isoformat() if programme.end_date else None,
        "organizer": _organiser(programme.lab, request),
    }


def _local(moment, all_day: bool) -> str | None:
    if moment is None:
        return None
    return moment.date().isoformat() if all_day else moment.isoformat()


def _organiser(lab, request: HttpRequest) -> dict | None:
    if lab is None:
        return None
    url = request.build_absolute_uri(lab.get_absolute_url())
    return {"@type": "Organization", "@id": url, "name": lab.name, "url": url}


def _programme(programme: Programme, request: HttpRequest) -> dict:
    url = request.build_absolute_uri(programme.get_absolute_url())
    return {"@type": "EventSeries", "@id": url, "name": programme.title, "url": url}
