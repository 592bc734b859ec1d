"""Lab members log activities through the form; moderation publishes them; the closing report after they happen."""

import datetime

import pytest
from django.core import mail

from activities.models import Activity
from tests.activities.conftest import ROLES, soon, user_for
from tests.conftest import client_for
from tests.factories import make_activity, make_practice, make_space


def form_data(lab, **overrides) -> dict:
    data = {
        "title": "Co-design of the Ballarò market",
        "kind": "co_design",
        "lab": lab.pk,
        "description": "Residents and traders redesign the market square.",
        "start_date": "2030-06-01",
        "start_time": "10:00",
        "end_date": "2030-06-01",
        "end_time": "13:00",
        "time_zone": "Europe/Rome",
        "mode": "in_person",
        "city": "Palermo",
        "country": "IT",
    }
    return data | overrides


def test_member_logs_an_activity_as_a_draft_with_times_stored_in_utc(member, lab):
    response = client_for(member).post("/en/activities/new/", form_data(lab))
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert activity.state == "draft" and activity.lab == lab
    assert activity.starts_at == datetime.datetime(2030, 6, 1, 8, 0, tzinfo=datetime.UTC)  # 10:00 in Rome (CEST)
    assert activity.ends_at == datetime.datetime(2030, 6, 1, 11, 0, tzinfo=datetime.UTC)


def test_all_day_activity_keeps_its_dates(member, lab):
    data = form_data(lab, all_day="on", start_time="", end_time="", end_date="2030-06-02")
    client_for(member).post("/en/activities/new/", data)
    activity = Activity.objects.get()
    assert activity.local_starts_at.date() == datetime.date(2030, 6, 1)
    assert activity.local_ends_at.date() == datetime.date(2030, 6, 2)


@pytest.mark.parametrize("who", ["visitor", "contributor"])
def test_people_without_a_lab_cannot_open_the_activity_form(request, who, lab):
    response = client_for(user_for(request, who)).get("/en/activities/new/")
    assert response.status_code in (302, 404)
    assert Activity.objects.count() == 0


def test_member_cannot_log_an_activity_in_another_lab(member, other_lab):
    response = client_for(member).post("/en/activities/new/", form_data(other_lab))
    assert response.status_code == 400
    assert Activity.objects.count() == 0


def test_form_suggests_the_time_zone_of_the_lab_country(member, lab):
    # The Lab of the fixtures is in Romania.
    assert '<option value="Europe/Bucharest" selected>' in client_for(member).get("/en/activities/new/").text


def test_end_before_start_is_refused_at_the_end_field(member, lab):
    response = client_for(member).post("/en/activities/new/", form_data(lab, end_time="09:00"))
    assert response.status_code == 400
    assert "The end cannot come before the start." in response.text
    assert Activity.objects.count() == 0


def test_missing_time_zone_is_refused_at_its_field(member, lab):
    response = client_for(member).post("/en/activities/new/", form_data(lab, time_zone=""))
    assert response.status_code == 400
    assert response.context["form"].errors["time_zone"] == ["Say in which time zone the times are."]
    assert Activity.objects.count() == 0


def test_capacity_below_confirmed_registrations_is_refused(member, lab):
    activity = make_activity(lab=lab, starts_at=soon(), time_zone="UTC", capacity=3, registration_open=True)
    for n in range(2):
        activity.registrations.create(name=f"P{n}", email=f"p{n}@example.org", status="confirmed")
    start = activity.local_starts_at
    moment = {"start_date": start.date().isoformat(), "start_time": start.strftime("%H:%M"), "end_date": ""}
    data = form_data(lab, title=activity.title, capacity=1, time_zone="UTC", end_time="", version=activity.version)
    data |= moment
    response = client_for(member).post(f"/en/activities/{activity.slug}/edit/", data)
    assert response.status_code == 400
    assert "2 people already have a place: the capacity cannot be lower." in response.text
    activity.refresh_from_db()
    assert activity.capacity == 3


@pytest.mark.parametrize("who", ROLES)
def test_only_the_lab_people_edit_an_activity(request, lab, who):
    activity = make_activity(lab=lab)
    response = client_for(user_for(request, who)).get(f"/en/activities/{activity.slug}/edit/")
    expected = 200 if who in ("member", "facilitator", "coordinator") else (302 if who == "visitor" else 404)
    assert response.status_code == expected


def test_space_can_be_chosen_from_the_published_ones(member, lab):
    space = make_space(name="Ballarò community centre")
    client_for(member).post("/en/activities/new/", form_data(lab, space=space.pk))
    assert Activity.objects.get().space == space


def test_member_submits_and_facilitator_publishes(member, facilitator, lab, committed):
    client_for(member).post("/en/activities/new/", form_data(lab))
    activity = Activity.objects.get()
    client_for(member).post(f"/en/activities/{activity.slug}/submit/")
    activity.refresh_from_db()
    assert activity.state == "submitted"
    response = committed(
        client_for(facilitator).post,
        f"/en/activities/{activity.slug}/moderate/",
        {"action": "publish", "version": activity.version},
    )
    activity.refresh_from_db()
    assert response.status_code == 302 and activity.state == "published"
    assert len(mail.outbox) == 1 and member.email in mail.outbox[0].to


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_members_and_outsiders_cannot_publish(request, lab, who):
    activity = make_activity(lab=lab, state="submitted")
    response = client_for(request.getfixturevalue(who)).post(
        f"/en/activities/{activity.slug}/moderate/", {"action": "publish", "version": activity.version}
    )
    activity.refresh_from_db()
    assert response.status_code == 404 and activity.state == "submitted"


def test_facilitator_sees_activities_to_review(facilitator, lab):
    make_activity(lab=lab, state="submitted", title="Waiting for review")
    assert "Waiting for review" in client_for(facilitator).get("/en/activities/moderation/").text


def report_data(**overrides) -> dict:
    return {"attendance_total": 30, "attendance_women": 18, "attendance_men": 12, "outcomes": "A plan."} | overrides


def test_member_closes_an_activity_that_happened_with_its_report(member, lab):
    activity = make_activity(lab=lab, starts_at=soon(-2), time_zone="UTC")
    data = report_data(version=activity.version)
    response = client_for(member).post(f"/en/activities/{activity.slug}/report/", data)
    activity.refresh_from_db()
    assert response.status_code == 302
    assert activity.attendance_total == 30 and activity.is_closed


def test_report_of_a_future_activity_is_404(member, lab):
    activity = make_activity(lab=lab, starts_at=soon(3), time_zone="UTC")
    assert client_for(member).get(f"/en/activities/{activity.slug}/report/").status_code == 404


def test_report_groups_adding_up_to_more_than_the_total_are_refused(member, lab):
    activity = make_activity(lab=lab, starts_at=soon(-2), time_zone="UTC")
    response = client_for(member).post(f"/en/activities/{activity.slug}/report/", report_data(attendance_men=20))
    assert response.status_code == 400
    assert "The groups add up to more than the total of people who took part." in response.text
    activity.refresh_from_db()
    assert activity.attendance_total is None


@pytest.mark.parametrize("who", ROLES)
def test_report_form_is_for_the_lab_people_only(request, lab, who):
    activity = make_activity(lab=lab, starts_at=soon(-2), time_zone="UTC")
    response = client_for(user_for(request, who)).get(f"/en/activities/{activity.slug}/report/")
    expected = 200 if who in ("member", "facilitator", "coordinator") else (302 if who == "visitor" else 404)
    assert response.status_code == expected


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_member_gets_a_field_error_for_a_date_outside_the_calendar(member, lab, day):
    response = client_for(member).post("/en/activities/new/", form_data(lab, start_date=day, end_date=""))
    assert response.status_code == 400
    assert "Give a date between 1900 and 2200." in response.text
    assert Activity.objects.count() == 0


def test_member_cannot_put_an_activity_on_another_labs_page(member, lab, other_lab):
    response = client_for(member).post("/en/activities/new/", form_data(lab, other_labs=[other_lab.pk]))
    assert response.status_code == 400
    assert Activity.objects.count() == 0


def test_a_published_activity_never_shows_its_draft_space(client, lab):
    space = make_space(lab=lab, name="Unannounced squat", state="draft")
    activity = make_activity(lab=lab, space=space)
    assert "Unannounced squat" not in client.get(activity.get_absolute_url()).text


def test_member_links_only_practices_of_their_labs(member, lab, other_lab):
    theirs = make_practice(lab=other_lab, title="Another Lab's garden")
    response = client_for(member).post("/en/activities/new/", form_data(lab, practices=[theirs.pk]))
    assert response.status_code == 400
    assert Activity.objects.count() == 0
