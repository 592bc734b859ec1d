"""The iCalendar feeds: valid for calendar clients, published activities only, text escaped."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from tests.activities.conftest import make_network_activity
from tests.factories import make_activity, make_network


def events(response) -> list:
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_platform_feed_lists_published_activities_with_a_start(client, upcoming, draft):
    make_activity(title="Without a date")
    summaries = [str(event["SUMMARY"]) for event in events(client.get("/activities/calendar.ics"))]
    assert summaries == ["Workshop on mutual aid"]


def test_event_has_a_stable_uid_stamp_zone_and_url(client, upcoming):
    first = events(client.get("/activities/calendar.ics"))[0]
    again = events(client.get("/activities/calendar.ics"))[0]
    assert str(first["UID"]) == str(again["UID"]) == f"activity-{upcoming.pk}@testserver"
    assert "DTSTAMP" in first
    assert first["DTSTART"].params["TZID"] == "Europe/Bucharest"
    assert first.decoded("DTSTART") == upcoming.starts_at
    assert str(first["URL"]) == f"http://testserver/en/activities/{upcoming.slug}/"
    assert str(first["STATUS"]) == "CONFIRMED"


def test_feed_carries_the_time_zone_definitions(client, upcoming):
    calendar = Calendar.from_ical(client.get("/activities/calendar.ics").content)
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Bucharest"]


def test_all_day_activity_has_dates_and_an_exclusive_end(client, db):
    zone = ZoneInfo("Europe/Bucharest")
    make_activity(starts_at=datetime.datetime(2010, 5, 27, tzinfo=zone), ends_at=datetime.datetime(2010, 5, 28,
                  tzinfo=zone), all_day=True, time_zone="Europe/Bucharest")  # fmt: skip
    event = events(client.get("/activities/calendar.ics"))[0]
    assert event.decoded("DTSTART") == datetime.date(2010, 5, 27)
    assert event.decoded("DTEND") == datetime.date(2010, 5, 29)
    assert b"DTSTART;VALUE=DATE:20100527" in client.get("/activities/calendar.ics").content


def test_commas_semicolons_newlines_and_quotes_are_escaped(client, db):
    text = 'Bread, jam; "tea"\nand talk'
    make_activity(title=text, description=text, venue="Hall 1, floor 2; door \"B\"", starts_at=datetime.datetime(
        2030, 1, 1, tzinfo=datetime.UTC), time_zone="UTC")  # fmt: skip
    body = client.get("/activities/calendar.ics").content
    assert b'SUMMARY:Bread\\, jam\\; "tea"\\nand talk' in body
    event = events(client.get("/activities/calendar.ics"))[0]
    assert str(event["SUMMARY"]) == text
    assert str(event["LOCATION"]) == 'Hall 1, floor 2; door "B"'


def test_online_link_never_appears_in_a_feed(client, upcoming):
    assert b"meet.example.org" not in client.get("/activities/calendar.ics").content


def test_lab_feed_includes_activities_shared_with_the_lab(client, lab, other_lab):
    start = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
    shared = make_activity(title="Exchange", lab=other_lab, starts_at=start, time_zone="UTC")
    shared.other_labs.add(lab)
    make_activity(title="Not ours", lab=other_lab, starts_at=start, time_zone="UTC")
    summaries = [str(e["SUMMARY"]) for e in events(client.get(f"/labs/{lab.slug}/activities.ics"))]
    assert summaries == ["Exchange"]


def test_network_feed(client, db):
    network = make_network()
    make_network_activity(network, title="CoNet meeting", starts_at=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC),
                          time_zone="UTC")  # fmt: skip
    make_activity(title="Other", starts_at=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC), time_zone="UTC")
    summaries = [str(e["SUMMARY"]) for e in events(client.get(f"/networks/{network.slug}/activities.ics"))]
    assert summaries == ["CoNet meeting"]


@pytest.mark.parametrize("who", ["visitor", "member", "coordinator"])
def test_drafts_stay_out_of_the_feeds_whoever_asks(request, draft, lab, who):
    from tests.activities.conftest import user_for
    from tests.conftest import client_for

    client = client_for(user_for(request, who))
    assert b"Secret draft" not in client.get("/activities/calendar.ics").content
    assert b"Secret draft" not in client.get(f"/labs/{lab.slug}/activities.ics").content


def test_feed_of_a_missing_lab_is_404(client, db):
    assert client.get("/labs/nowhere/activities.ics").status_code == 404
