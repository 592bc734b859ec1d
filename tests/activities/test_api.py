"""The activities API: activities, programmes, the caller's registrations."""

import pytest
from django.utils import timezone

from activities.models import Registration
from tests.activities.conftest import ROLES, soon, user_for
from tests.api.conformance import assert_conforms
from tests.conftest import client_for
from tests.factories import make_activity, make_programme


@pytest.mark.parametrize("who", ROLES)
def test_drafts_are_in_the_api_only_for_their_lab_people(request, upcoming, draft, who):
    titles = [row["title"] for row in client_for(user_for(request, who)).get("/api/v1/activities/").json()["results"]]
    assert "Workshop on mutual aid" in titles
    assert ("Secret draft meeting" in titles) == (who in ("member", "facilitator", "coordinator"))


def test_api_gives_attendance_as_totals_only(client, db):
    make_activity(attendance_total=30, attendance_women=18)
    row = client.get("/api/v1/activities/").json()["results"][0]
    assert row["attendance"]["total"] == 30 and row["attendance"]["by_gender"]["women"] == 18
    assert "registrations" not in row and "online_url" not in row


def test_api_filters_like_the_list(client, db):
    make_activity(title="A residency", kind="residency")
    make_activity(title="A tutoring", kind="tutoring")
    titles = [row["title"] for row in client.get("/api/v1/activities/?kind=residency").json()["results"]]
    assert titles == ["A residency"]


def test_api_refuses_a_bad_filter_at_its_field(client, db):
    response = client.get("/api/v1/activities/?start=nope")
    assert response.status_code == 400 and "start" in response.json()


@pytest.mark.parametrize("rows", [1, 50])
def test_api_list_runs_the_same_queries_for_1_or_50(client, lab, django_assert_num_queries, rows):
    for _ in range(rows):
        make_activity(lab=lab, programme=make_programme())
    with django_assert_num_queries(1):  # the page, assembled by PostgreSQL
        client.get("/api/v1/activities/")


def test_programme_api_sets_planned_against_reached(client, db):
    programme = make_programme(planned_activities=4, planned_participants=120)
    make_activity(programme=programme, attendance_total=25, closed_at=timezone.now())
    make_activity(programme=programme, attendance_total=7)  # no closing report: not counted as reached
    make_activity(programme=programme, state="draft", attendance_total=100, closed_at=timezone.now())
    row = client.get(f"/api/v1/programmes/{programme.slug}/").json()
    assert row["planned_activities"] == 4 and row["reached_activities"] == 2 and row["reached_participants"] == 25


def test_signed_in_person_registers_through_the_api(contributor, upcoming):
    response = client_for(contributor).post(f"/api/v1/activities/{upcoming.pk}/registration/", {}, "application/json")
    assert response.status_code == 201 and response.json()["status"] == "confirmed"
    assert Registration.objects.get().user == contributor


def test_registering_twice_through_the_api_is_a_field_error(contributor, upcoming):
    client = client_for(contributor)
    client.post(f"/api/v1/activities/{upcoming.pk}/registration/", {}, "application/json")
    response = client.post(f"/api/v1/activities/{upcoming.pk}/registration/", {}, "application/json")
    assert response.status_code == 400
    assert response.json() == {"email": ["This e-mail address is already registered for this activity."]}


def test_registration_closed_through_the_api_is_a_400(contributor, lab):
    activity = make_activity(lab=lab, starts_at=soon(), time_zone="UTC")
    response = client_for(contributor).post(f"/api/v1/activities/{activity.pk}/registration/", {}, "application/json")
    assert response.status_code == 400 and "closed" in str(response.json())


def test_visitor_cannot_register_through_the_api(client, upcoming):
    assert client.post(f"/api/v1/activities/{upcoming.pk}/registration/", {}, "application/json").status_code == 403


def test_cancel_through_the_api_and_read_own_registration(contributor, upcoming):
    client = client_for(contributor)
    client.post(f"/api/v1/activities/{upcoming.pk}/registration/", {}, "application/json")
    assert client.get(f"/api/v1/activities/{upcoming.pk}/registration/").json()["status"] == "confirmed"
    assert client.delete(f"/api/v1/activities/{upcoming.pk}/registration/").status_code == 204
    assert client.get(f"/api/v1/activities/{upcoming.pk}/registration/").status_code == 404


def test_registrations_endpoint_shows_only_the_callers_own(contributor, member, upcoming):
    upcoming.registrations.create(user=member, name="Mara", email=member.email, status="confirmed")
    upcoming.registrations.create(user=contributor, name="Carla", email=contributor.email, status="confirmed")
    names = [row["name"] for row in client_for(contributor).get("/api/v1/registrations/").json()["results"]]
    assert names == ["Carla"]


@pytest.mark.parametrize("who", ROLES)
def test_nobody_reads_another_persons_registrations(request, upcoming, contributor, who):
    upcoming.registrations.create(user=contributor, name="Carla", email=contributor.email, status="confirmed")
    response = client_for(user_for(request, who)).get("/api/v1/registrations/")
    assert response.status_code == (403 if who == "visitor" else 200)
    assert "Carla" not in response.text


@pytest.mark.parametrize("rows", [1, 50])
def test_registrations_api_runs_the_same_queries_for_1_or_50(contributor, lab, django_assert_num_queries, rows):
    for _ in range(rows):
        make_activity(lab=lab).registrations.create(user=contributor, name="C", email=contributor.email,
                                                    status="confirmed")  # fmt: skip
    client = client_for(contributor)
    client.get("/api/v1/registrations/")
    with django_assert_num_queries(4):
        client.get("/api/v1/registrations/")


def test_an_activity_of_no_lab_programme_place_or_time_zone_is_read_as_the_schema_says(db, client):
    activity = make_activity(title="An activity of no Lab")
    response = client.get(f"/api/v1/activities/{activity.pk}/")
    row = response.json()
    assert (row["lab"], row["programme"], row["location"], row["time_zone"]) == (None, None, None, "")
    assert_conforms(response, "/api/v1/activities/{id}/")  # the schema said strings, an object and a time zone
    assert_conforms(client.get("/api/v1/activities/"), "/api/v1/activities/")


def test_a_partner_reads_one_activity_as_csv_as_the_schema_says(db, client):
    activity = make_activity()
    response = client.get(f"/api/v1/activities/{activity.pk}/", {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "text/csv" in schema["paths"]["/api/v1/activities/{id}/"]["get"]["responses"]["200"]["content"]


def test_a_programme_of_no_lab_or_network_is_read_as_the_schema_says(db, client):
    programme = make_programme()
    response = client.get(f"/api/v1/programmes/{programme.slug}/")
    assert (response.json()["lab"], response.json()["network"]) == (None, None)
    assert_conforms(response, "/api/v1/programmes/{slug}/")  # the schema said slugs
