"""Copy the activities the labs app held (with their ids and their networks) into the activities app.

They were public rows: they stay published. A date without an hour becomes an all-day activity in the time zone of
its country when that country has one zone; activities of kind "programme" become programmes, and their parts the
activities of those programmes."""

import zoneinfo
from datetime import datetime, time

from django.db import migrations
from django.utils.text import slugify

ZONES_BY_COUNTRY = {
    "IT": "Europe/Rome", "RO": "Europe/Bucharest", "FR": "Europe/Paris", "DE": "Europe/Berlin",
    "ES": "Europe/Madrid", "BG": "Europe/Sofia", "BE": "Europe/Brussels", "NL": "Europe/Amsterdam",
    "PT": "Europe/Lisbon", "PL": "Europe/Warsaw", "GR": "Europe/Athens", "AT": "Europe/Vienna",
}  # fmt: skip


def _unique_slug(model, text: str) -> str:
    base = slugify(text)[:100] or "activity"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _moment(day, zone_name):
    return datetime.combine(day, time(0), tzinfo=zoneinfo.ZoneInfo(zone_name or "UTC")) if day else None


def copy(apps, schema_editor):
    Activity = apps.get_model("activities", "Activity")
    Programme = apps.get_model("activities", "Programme")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, title, kind, lab_id, parent_id, description, descriptions, start_date, end_date, city, "
            "country, location, online, participants_expected, participants_actual, created_at "
            "FROM labs_activity ORDER BY id"
        )
        rows = cursor.fetchall()
        cursor.execute("SELECT network_id, activity_id FROM networks_network_activities")
        links = cursor.fetchall()
    programmes = {}
    for row in rows:
        (pk, title, kind, lab_id, _parent, description, descriptions, start, _end, _city, _country, _loc, _online,
         expected, _actual, _created) = row  # fmt: skip
        if kind == "programme":
            programmes[pk] = Programme.objects.create(
                title=title, slug=_unique_slug(Programme, title), lab_id=lab_id, description=description,
                descriptions=descriptions or {}, planned_participants=expected,
            )  # fmt: skip
    for row in rows:
        (pk, title, kind, lab_id, parent, description, descriptions, start, end, city, country, location, online,
         expected, actual, created) = row  # fmt: skip
        if kind == "programme":
            continue
        zone = ZONES_BY_COUNTRY.get(country or "", "") if start else ""
        Activity.objects.create(
            id=pk, title=title, slug=_unique_slug(Activity, title), kind=kind, lab_id=lab_id,
            programme=programmes.get(parent), description=description, descriptions=descriptions or {},
            starts_at=_moment(start, zone), ends_at=_moment(end, zone), all_day=bool(start), time_zone=zone,
            city=city, country=country, location=location, mode="online" if online else "in_person",
            participants_expected=expected, attendance_total=actual, state="published",
            # A figure of people who took part was a report: the activity counts as closed, when it was written.
            closed_at=created if actual is not None else None,
        )  # fmt: skip
        Activity.objects.filter(pk=pk).update(created_at=created)  # auto_now_add ignores the value given
    for network_id, activity_id in links:
        if activity_id not in programmes:
            Activity.networks.through.objects.create(network_id=network_id, activity_id=activity_id)
        else:
            Programme.objects.filter(pk=programmes[activity_id].pk).update(network_id=network_id)
    if rows:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('activities_activity', 'id'), "
                "(SELECT MAX(id) FROM activities_activity))"
            )


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(copy, migrations.RunPython.noop)]
