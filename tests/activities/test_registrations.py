"""Registering, the waiting list, moving up, cancelling, the e-mails, and who sees the registrants."""

import pytest
from django.core import mail
from django.test import Client

from activities import services
from activities.models import Registration
from tests.activities.conftest import ROLES, soon, user_for
from tests.conftest import client_for
from tests.factories import make_activity


def register(client, activity, name="Ana Pop", email="ana@example.org"):
    return client.post(f"/en/activities/{activity.slug}/register/", {"name": name, "email": email})


def test_visitor_registers_with_name_and_email_and_is_told_by_email(client, upcoming, committed):
    response = committed(register, client, upcoming)
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert registration.status == "confirmed" and registration.user is None
    assert mail.outbox[0].to == ["ana@example.org"]
    assert "You have a place" in mail.outbox[0].body
    assert "/activities/registrations/cancel/" in mail.outbox[0].body


def test_signed_in_person_registers_with_their_account(contributor, upcoming):
    response = register(client_for(contributor), upcoming, email="other@example.org")
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert registration.user == contributor and registration.email == contributor.email


def test_registering_twice_is_refused_without_a_second_row(client, upcoming):
    register(client, upcoming)
    response = register(client, upcoming, email="ANA@example.org")
    assert response.status_code == 400
    assert "This e-mail address is already registered for this activity." in response.text
    assert Registration.objects.count() == 1


def test_when_full_the_next_person_goes_on_the_waiting_list_and_is_told(client, upcoming, committed):
    committed(register, client, upcoming, email="a@example.org")
    committed(register, client, upcoming, email="b@example.org")
    committed(register, client, upcoming, email="c@example.org")
    assert Registration.objects.get(email="c@example.org").status == "waiting"
    assert "you are on the waiting list" in client.get(upcoming.get_absolute_url()).text
    assert "waiting list" in mail.outbox[-1].body


def test_a_cancelled_place_goes_to_the_first_waiting_who_is_told(client, upcoming, committed):
    for email in ("a@example.org", "b@example.org", "c@example.org", "d@example.org"):
        committed(register, client, upcoming, email=email)
    mail.outbox.clear()
    committed(services.cancel, Registration.objects.get(email="a@example.org"))
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses == {"a@example.org": "cancelled", "b@example.org": "confirmed", "c@example.org": "confirmed",
                        "d@example.org": "waiting"}  # fmt: skip
    assert {message.to[0] for message in mail.outbox} == {"a@example.org", "c@example.org"}
    assert "moved up" in next(m for m in mail.outbox if m.to == ["c@example.org"]).body


def test_anonymous_registrant_cancels_through_the_signed_link(client, upcoming, committed):
    committed(register, client, upcoming)
    link = next(line for line in mail.outbox[0].body.splitlines() if "/registrations/cancel/" in line)
    path = link.removeprefix("http://testserver")
    assert client.get(path).status_code == 200
    client.post(path)
    assert Registration.objects.get().status == "cancelled"


def test_an_altered_cancel_link_is_404(client, upcoming):
    register(client, upcoming)
    assert client.get("/en/activities/registrations/cancel/1:forged/").status_code == 404


def test_signed_in_person_cancels_from_the_activity_page(contributor, upcoming):
    client = client_for(contributor)
    register(client, upcoming)
    client.post(f"/en/activities/{upcoming.slug}/cancel/")
    assert Registration.objects.get().status == "cancelled"


def test_after_cancelling_one_may_register_again(contributor, upcoming):
    client = client_for(contributor)
    register(client, upcoming)
    client.post(f"/en/activities/{upcoming.slug}/cancel/")
    assert register(client, upcoming).status_code == 302
    assert Registration.objects.active().count() == 1


def test_emails_are_in_the_language_of_the_registration(client, upcoming, committed):
    committed(client.post, f"/it/activities/{upcoming.slug}/register/", {"name": "Ana", "email": "ana@example.org"})
    assert Registration.objects.get().language == "it"
    assert "/it/activities/" in mail.outbox[0].body


@pytest.mark.parametrize("when", ["past", "closed", "draft"])
def test_no_registration_for_past_closed_or_unpublished_activities(client, lab, when):
    activity = make_activity(
        lab=lab, registration_open=when != "closed", starts_at=soon(-1 if when == "past" else 5), time_zone="UTC",
        state="draft" if when == "draft" else "published",
    )  # fmt: skip
    assert register(client, activity).status_code == 404
    assert Registration.objects.count() == 0


@pytest.mark.parametrize("who", ROLES)
def test_only_the_lab_facilitators_and_coordinators_see_who_registered(request, upcoming, who):
    upcoming.registrations.create(name="Ana Pop", email="ana@example.org", status="confirmed")
    client = client_for(user_for(request, who))
    page = client.get(f"/en/activities/{upcoming.slug}/registrations/")
    download = client.get(f"/en/activities/{upcoming.slug}/registrations.csv")
    allowed = who in ("facilitator", "coordinator")
    assert page.status_code == (200 if allowed else 302 if who == "visitor" else 404)
    assert download.status_code == page.status_code
    assert ("Ana Pop" in page.text) == allowed


def test_registrants_csv_keeps_formulas_as_text(facilitator, upcoming):
    upcoming.registrations.create(name="=HYPERLINK(1)", email="x@example.org", status="confirmed")
    text = client_for(facilitator).get(f"/en/activities/{upcoming.slug}/registrations.csv").content.decode()
    assert "'=HYPERLINK(1)" in text


def test_public_page_never_names_who_registered(client, upcoming):
    upcoming.registrations.create(name="Ana Pop", email="ana@example.org", status="confirmed")
    assert "Ana Pop" not in client.get(upcoming.get_absolute_url()).text


def test_more_places_move_the_waiting_list_up_before_any_newcomer(client, facilitator, upcoming, committed):
    for email in ("a@example.org", "b@example.org", "c@example.org"):
        committed(register, client, upcoming, email=email)
    form = client_for(facilitator).get(f"/en/activities/{upcoming.slug}/edit/").context["form"]
    data = {
        name: value for name, value in form.initial.items() if value not in (None, "") and not isinstance(value, list)
    }
    data |= {"capacity": 5, "lab": upcoming.lab_id, "start_date": form.initial["start_date"].isoformat(),
             "start_time": "10:00", "time_zone": upcoming.time_zone, "version": upcoming.version}  # fmt: skip
    data.pop("location", None)
    response = committed(client_for(facilitator).post, f"/en/activities/{upcoming.slug}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert Registration.objects.get(email="c@example.org").status == "confirmed"


def test_a_newcomer_waits_behind_the_waiting_list(client, upcoming, committed):
    for email in ("a@example.org", "b@example.org", "c@example.org"):
        committed(register, client, upcoming, email=email)
    type(upcoming).objects.filter(pk=upcoming.pk).update(capacity=5)  # places added outside the form's write path
    committed(register, client, upcoming, email="d@example.org")
    assert Registration.objects.get(email="d@example.org").status == "waiting"


def test_a_visitor_sees_their_registration_after_registering(client, upcoming):
    register(client, upcoming)
    page = client.get(upcoming.get_absolute_url()).text
    assert "You are registered." in page
    assert "To cancel, use the link in the e-mail we sent you." in page
    assert "Ana Pop" not in Client().get(upcoming.get_absolute_url()).text
