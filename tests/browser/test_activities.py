"""A Lab member logs an activity, a facilitator publishes it, the member closes it with its report once it happened,
and a visitor registers for an upcoming one; every page axe-clean."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import Activity
from labs.models import MembershipRole
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import make_activity, make_lab, make_member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def lab():
    lab = make_lab(name="CoNECT Lab Palermo", country="IT")
    make_member(lab, MembershipRole.MEMBER, email="mara@example.org", display_name="Mara")
    make_member(lab, MembershipRole.FACILITATOR, email="fabio@example.org", display_name="Fabio")
    return lab


def sign_out(page):
    page.locator(".user-menu summary").click()
    page.get_by_role("button", name="Sign out").click()


def test_a_member_logs_an_activity_a_facilitator_publishes_it_and_the_member_reports(page, lab):
    sign_in(page, "mara@example.org")
    page.goto("/en/activities/new/")
    assert axe_violations(page) == []
    page.get_by_label("Title").fill("Local Support Group on Ballarò")
    page.get_by_label("Kind").select_option(label="Local Support Group meeting")
    page.get_by_label("Start date").fill("2030-06-01")
    page.get_by_label("Start time").fill("17:00")
    page.get_by_label("End date").fill("2030-06-01")
    page.get_by_label("End time").fill("19:00")
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Rome")  # the Lab's country
    page.get_by_role("textbox", name="City", exact=False).first.fill("Palermo")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Local Support Group on Ballarò")
    expect(page.get_by_text("5 p.m.", exact=False)).to_be_visible()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Submitted: the Lab's facilitators will review it.")).to_be_visible()
    sign_out(page)

    sign_in(page, "fabio@example.org")
    page.goto(Activity.objects.get().get_absolute_url())
    assert axe_violations(page) == []
    page.get_by_label("Publish").check()
    page.get_by_role("button", name="Decide").click()
    expect(page.get_by_text("is now Published")).to_be_visible()
    sign_out(page)

    # It happened (moved into the past here): the member closes it with the attendance.
    activity = Activity.objects.get()
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=2), ends_at=timezone.now() - datetime.timedelta(days=2)
    )
    sign_in(page, "mara@example.org")
    page.goto(activity.get_absolute_url())
    page.get_by_role("link", name="Close with a report").click()
    assert axe_violations(page) == []
    page.get_by_label("People who took part").fill("24")
    page.locator("#id_attendance_women").fill("14")
    page.locator("#id_attendance_men").fill("10")
    page.get_by_label("65 and over").fill("5")
    page.get_by_label("Outcomes").fill("A first list of priorities for the Local Action Plan.")
    page.get_by_role("button", name="Save the report").click()
    expect(page.get_by_text("24 people took part.")).to_be_visible()
    assert axe_violations(page) == []


def test_a_visitor_finds_an_upcoming_activity_and_registers(page, lab):
    start = (timezone.now() + datetime.timedelta(days=7)).replace(hour=9, minute=0, second=0, microsecond=0)
    make_activity(title="Residency in Lecce", lab=lab, kind="residency", starts_at=start,
                  ends_at=start + datetime.timedelta(hours=6), time_zone="Europe/Rome", city="Lecce", country="IT",
                  registration_open=True, capacity=1)  # fmt: skip
    page.goto("/en/activities/?when=upcoming")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Month view").click()
    assert axe_violations(page) == []
    page.goto("/en/activities/")
    page.get_by_role("link", name="Residency in Lecce").click()
    expect(page.get_by_text("1 place left.")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Your name").fill("Ana Pop")
    page.get_by_label("Your e-mail address").fill("ana@example.org")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("You are registered. A confirmation", exact=False)).to_be_visible()
    expect(page.get_by_text("To cancel, use the link in the e-mail we sent you.")).to_be_visible()
    assert axe_violations(page) == []
    page.context.clear_cookies()  # another visitor
    page.reload()
    page.get_by_label("Your name").fill("Bo")
    page.get_by_label("Your e-mail address").fill("bo@example.org")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("The activity is full: you are on the waiting list", exact=False)).to_be_visible()
