"""The activity pages from the outside: list, month view, detail, programme; who sees what."""

import datetime

import pytest
from django.utils import timezone

from activities.models import Activity
from tests.activities.conftest import ROLES, make_network_activity, soon, user_for
from tests.conftest import client_for
from tests.factories import make_activity, make_lab, make_network, make_programme


def test_visitor_sees_published_activities_in_the_list(client, upcoming):
    assert "Workshop on mutual aid" in client.get("/en/activities/").text


@pytest.mark.parametrize("who", ROLES)
def test_draft_is_listed_only_for_its_lab_members_and_coordinators(request, draft, who):
    text = client_for(user_for(request, who)).get("/en/activities/").text
    assert ("Secret draft meeting" in text) == (who in ("member", "facilitator", "coordinator"))


@pytest.mark.parametrize("who", ROLES)
def test_draft_page_answers_404_outside_its_lab(request, draft, who):
    response = client_for(user_for(request, who)).get(draft.get_absolute_url())
    assert response.status_code == (200 if who in ("member", "facilitator", "coordinator") else 404)


@pytest.mark.parametrize("who", ROLES)
def test_draft_is_not_in_the_month_view_of_the_public(request, draft, who):
    start = draft.local_starts_at
    text = client_for(user_for(request, who)).get(f"/en/activities/calendar/{start.year}/{start.month}/").text
    assert ("Secret draft meeting" in text) == (who in ("member", "facilitator", "coordinator"))


def test_list_filters_by_kind_and_keeps_other_kinds_out(client, lab):
    make_activity(title="A residency", kind="residency")
    make_activity(title="A tutoring", kind="tutoring")
    text = client.get("/en/activities/?kind=residency").text
    assert "A residency" in text and "A tutoring" not in text


def test_list_by_lab_includes_activities_it_shares_with_another_lab(client, lab, other_lab):
    shared = make_activity(title="City-to-city exchange", lab=other_lab, kind="exchange")
    shared.other_labs.add(lab)
    make_activity(title="Only in Gijón", lab=other_lab)
    text = client.get(f"/en/activities/?lab={lab.slug}").text
    assert "City-to-city exchange" in text and "Only in Gijón" not in text


def test_list_by_network(client, db):
    network = make_network(name="CoNet")
    make_network_activity(network, title="Thematic meeting of CoNet")
    make_activity(title="Elsewhere")
    text = client.get(f"/en/activities/?network={network.slug}").text
    assert "Thematic meeting of CoNet" in text and "Elsewhere" not in text


def test_list_of_upcoming_leaves_past_activities_out(client, db):
    make_activity(title="Next month", starts_at=soon(30), time_zone="UTC")
    make_activity(title="Last year", starts_at=soon(-365), time_zone="UTC")
    text = client.get("/en/activities/?when=upcoming").text
    assert "Next month" in text and "Last year" not in text


def test_list_filters_by_date_range(client, db):
    make_activity(title="In May 2010", starts_at=datetime.datetime(2010, 5, 27, tzinfo=datetime.UTC), time_zone="UTC")
    make_activity(title="In 2012", starts_at=datetime.datetime(2012, 1, 1, tzinfo=datetime.UTC), time_zone="UTC")
    text = client.get("/en/activities/?start=2010-05-01&end=2010-05-31").text
    assert "In May 2010" in text and "In 2012" not in text


def test_list_with_a_wrong_filter_answers_400_with_the_form(client, db):
    response = client.get("/en/activities/?start=not-a-date")
    assert response.status_code == 400
    assert "Enter a valid date." in response.text


@pytest.mark.parametrize("rows", [1, 50])
def test_list_runs_the_same_queries_for_1_or_50_activities(client, lab, django_assert_num_queries, rows):
    for _ in range(rows):
        make_activity(lab=lab, starts_at=soon(), time_zone="Europe/Rome", programme=make_programme())
    # The count, the page, and the Labs and networks the filters offer.
    with django_assert_num_queries(4):
        client.get("/en/activities/")


@pytest.mark.parametrize("rows", [1, 50])
def test_month_view_runs_the_same_queries_for_1_or_50_activities(client, lab, django_assert_num_queries, rows):
    for _ in range(rows):
        make_activity(lab=lab, starts_at=datetime.datetime(2030, 3, 10, 9, tzinfo=datetime.UTC), time_zone="UTC")
    with django_assert_num_queries(3):
        client.get("/en/activities/calendar/2030/3/")


def test_month_view_puts_an_activity_on_its_local_day_with_links_to_the_next_months(client, db):
    # 23:30 UTC on 31 March is 1 April in Bucharest: the grid follows the activity's own zone.
    make_activity(title="Late meeting", starts_at=datetime.datetime(2030, 3, 31, 23, 30, tzinfo=datetime.UTC),
                  time_zone="Europe/Bucharest")  # fmt: skip
    april = client.get("/en/activities/calendar/2030/4/?kind=workshop").text
    assert "Late meeting" in april
    assert 'href="/en/activities/calendar/2030/5/?kind=workshop"' in april
    assert 'href="/en/activities/calendar/2030/3/?kind=workshop"' in april


def test_month_view_of_an_impossible_month_is_404(client, db):
    assert client.get("/en/activities/calendar/2030/13/").status_code == 404


def test_detail_shows_the_time_in_the_activity_time_zone_named(client, db):
    activity = make_activity(starts_at=datetime.datetime(2030, 6, 1, 7, 0, tzinfo=datetime.UTC),
                             time_zone="Europe/Bucharest")  # fmt: skip
    text = client.get(activity.get_absolute_url()).text
    assert "June 1, 2030, 10 a.m." in text and "Europe/Bucharest" in text


def test_all_day_activity_shows_dates_only(client, db):
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Europe/Bucharest")
    activity = make_activity(starts_at=datetime.datetime(2010, 5, 27, tzinfo=zone),
                             ends_at=datetime.datetime(2010, 5, 28, tzinfo=zone), all_day=True,
                             time_zone="Europe/Bucharest")  # fmt: skip
    text = client.get(activity.get_absolute_url()).text
    assert "May 27, 2010" in text and "May 28, 2010" in text and "midnight" not in text


@pytest.mark.parametrize("who", ROLES)
def test_online_link_is_shown_only_to_the_lab_members(request, upcoming, who):
    text = client_for(user_for(request, who)).get(upcoming.get_absolute_url()).text
    assert ("meet.example.org" in text) == (who in ("member", "facilitator", "coordinator"))


def test_online_link_is_shown_to_a_registered_person(contributor, upcoming):
    upcoming.registrations.create(user=contributor, name="Carla", email=contributor.email, status="confirmed")
    assert "meet.example.org" in client_for(contributor).get(upcoming.get_absolute_url()).text


def test_detail_shows_the_report_as_totals_only(client, db):
    activity = make_activity(starts_at=soon(-3), time_zone="UTC", attendance_total=30, attendance_women=18,
                             attendance_men=10, attendance_age_65_plus=4, outcomes="A Local Action Plan draft",
                             closed_at=timezone.now())  # fmt: skip
    text = client.get(activity.get_absolute_url()).text
    assert "30 people took part." in text
    assert "<td>18</td>" in text and "<td>4</td>" in text
    assert "A Local Action Plan draft" in text


def test_detail_of_a_shared_activity_names_every_lab_and_network(client, lab, other_lab):
    network = make_network(name="CoNet")
    activity = make_network_activity(network, lab=lab)
    activity.other_labs.add(other_lab)
    text = client.get(activity.get_absolute_url()).text
    assert "Lab Alba Iulia" in text and "Lab Gijón" in text and "CoNet" in text


def test_detail_in_italian_shows_the_italian_description(client, db):
    activity = make_activity(description="Twelve modules.", descriptions={"it": "Dodici moduli."})
    assert "Dodici moduli." in client.get(f"/it/activities/{activity.slug}/").text


def test_programme_sets_planned_against_reached(client, db):
    programme = make_programme(title="Four residencies", planned_activities=4, planned_participants=120)
    make_activity(programme=programme, title="Residency in Lecce", attendance_total=25, closed_at=timezone.now())
    make_activity(programme=programme, title="Residency in Perugia")
    make_activity(programme=programme, title="Draft residency", state="draft", attendance_total=1000)
    text = client.get(programme.get_absolute_url()).text
    assert "<td>4</td>" in text and "<td>2</td>" in text  # planned 4, reached 2 (published only)
    assert "<td>120</td>" in text and "<td>25</td>" in text
    assert "Draft residency" not in text


def test_programme_without_reports_says_not_reported_yet(client, db):
    programme = make_programme(planned_participants=300)
    make_activity(programme=programme)
    assert "not reported yet" in client.get(programme.get_absolute_url()).text


def test_activity_spanning_two_labs_is_entered_once(lab, other_lab):
    activity = make_activity(lab=lab)
    activity.other_labs.add(other_lab)
    assert list(Activity.objects.of_lab(other_lab)) == [activity]


def test_list_links_the_platform_calendar_feed(client, db):
    text = client.get("/en/activities/").text
    assert 'href="webcal://testserver/activities/calendar.ics"' in text


def test_network_page_links_its_calendar_feed(client, db):
    network = make_network()
    make_network_activity(network)
    assert f"/networks/{network.slug}/activities.ics" in client.get(network.get_absolute_url()).text


def test_lab_page_name_of_the_feed_resolves(db):
    from django.urls import reverse

    assert reverse("ical:lab", kwargs={"slug": make_lab().slug}).endswith("/activities.ics")
