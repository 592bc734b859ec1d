"""Akvo RSR's review flow through the pages: a member drafts, a facilitator submits, a coordinator approves (then the
value counts) or returns it with a note (then it is the Lab's again, and its author is told by e-mail); each step only
for those it belongs to, the others finding nothing (404)."""

import pytest
from django.core import mail
from django.urls import reverse

from indicators.models import Measurement, Rollup
from indicators.values import yearly
from tests.conftest import client_for
from tests.factories import make_framework, make_indicator, make_measurement


@pytest.fixture
def indicator(db):
    return make_indicator(make_framework(), code="PEOPLE", name="People trained")


def submit(user, m):
    return client_for(user).post(reverse("indicators:measurement_submit", args=[m.pk]))


def review(user, m, follow=False, **data):
    return client_for(user).post(reverse("indicators:measurement_review", args=[m.pk]), data, follow=follow)


def test_a_value_goes_from_draft_to_approved_and_then_counts(
    indicator, lab, member, facilitator, coordinator, django_capture_on_commit_callbacks
):
    created = client_for(member).post(
        f"{reverse('indicators:measurement_create')}?indicator={indicator.pk}",
        {"lab": lab.pk, "period": "2024", "value": "30"},
    )
    m = Measurement.objects.get()
    assert created.status_code == 302 and m.state == "draft"
    assert yearly([indicator])[indicator.pk] == {}
    assert submit(facilitator, m).status_code == 302
    m.refresh_from_db()
    assert m.state == "submitted"
    with django_capture_on_commit_callbacks(execute=True):
        assert review(coordinator, m, approve="1").status_code == 302
    m.refresh_from_db()
    assert m.state == "approved" and m.state_changed_by == coordinator
    assert Rollup.objects.get(indicator=indicator, lab=lab).total == 30
    assert yearly([indicator])[indicator.pk] == {("lab", lab.pk): {2024: 30.0}}
    assert [message.to for message in mail.outbox] == [[member.email]]
    assert "Approved" in mail.outbox[0].subject
    assert client_for(None).get(m.get_absolute_url()).status_code == 200


def test_a_returned_value_goes_back_to_the_lab_with_the_note_and_its_author_is_told(
    indicator, lab, member, facilitator, coordinator, django_capture_on_commit_callbacks
):
    m = make_measurement(indicator, lab=lab, by=member, state="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        review(coordinator, m, note="Count the volunteers apart.")
    m.refresh_from_db()
    assert (m.state, m.review_note) == ("returned", "Count the volunteers apart.")
    assert "Count the volunteers apart." in mail.outbox[0].body
    page = client_for(member).get(m.get_absolute_url())
    assert "Count the volunteers apart." in page.content.decode()
    # the member corrects it, the facilitator submits it again
    edit = reverse("indicators:measurement_edit", args=[m.pk])
    assert client_for(member).post(edit, {"lab": lab.pk, "period": "2024", "value": "7"}).status_code == 302
    submit(facilitator, m)
    m.refresh_from_db()
    assert (m.state, m.value) == ("submitted", 7)


def test_a_value_is_returned_only_with_a_note(indicator, lab, coordinator):
    m = make_measurement(indicator, lab=lab, state="submitted")
    response = review(coordinator, m, note="  ", follow=True)
    m.refresh_from_db()
    assert m.state == "submitted"
    assert "Say what needs to change." in response.content.decode()


def test_a_member_cannot_submit_and_a_facilitator_cannot_approve(indicator, lab, member, facilitator):
    m = make_measurement(indicator, lab=lab)
    assert submit(member, m).status_code == 404
    submit(facilitator, m)
    assert review(facilitator, m, approve="1").status_code == 404
    assert review(member, m, approve="1").status_code == 404
    m.refresh_from_db()
    assert m.state == "submitted"


def test_a_member_of_another_lab_can_neither_see_nor_edit_nor_submit_a_value(indicator, lab, outsider):
    m = make_measurement(indicator, lab=lab)
    client = client_for(outsider)
    for name in ("measurement", "measurement_edit", "measurement_history"):
        assert client.get(reverse(f"indicators:{name}", args=[m.pk])).status_code == 404
    assert submit(outsider, m).status_code == 404
    m.refresh_from_db()
    assert m.state == "draft"


def test_a_visitor_sees_an_approved_value_but_not_its_history_nor_its_review(indicator, lab):
    m = make_measurement(indicator, lab=lab, state="approved")
    page = client_for(None).get(m.get_absolute_url())
    assert page.status_code == 200 and b'name="approve"' not in page.content
    assert client_for(None).get(reverse("indicators:measurement_history", args=[m.pk])).status_code == 404
    assert review(None, m, approve="1").status_code == 302  # to the login page
    assert client_for(None).get(reverse("indicators:measurement", args=[m.pk + 1000])).status_code == 404


def test_a_move_the_flow_refuses_is_said_as_a_message(indicator, lab, coordinator):
    m = make_measurement(indicator, lab=lab)  # a draft: a coordinator cannot approve it before it is submitted
    page = review(coordinator, m, approve="1", follow=True)
    assert "cannot move to" in page.content.decode()
    m.refresh_from_db()
    assert m.state == "draft"


def test_the_queue_shows_each_person_what_waits_for_them(indicator, lab, other_lab, facilitator, coordinator):
    draft = make_measurement(indicator, lab=lab)
    submitted = make_measurement(indicator, lab=lab, period="2023", state="submitted")
    elsewhere = make_measurement(indicator, lab=other_lab, period="2023")
    url = reverse("indicators:measurements") + "?queue=1"
    assert list(client_for(facilitator).get(url).context["page"].object_list) == [draft]
    assert list(client_for(coordinator).get(url).context["page"].object_list) == [submitted]
    assert elsewhere.pk


def test_the_history_says_who_changed_what(indicator, lab, member, facilitator):
    client = client_for(member)
    client.post(
        f"{reverse('indicators:measurement_create')}?indicator={indicator.pk}",
        {"lab": lab.pk, "period": "2024", "value": "3"},
    )
    m = Measurement.objects.get()
    client.post(reverse("indicators:measurement_edit", args=[m.pk]), {"lab": lab.pk, "period": "2024", "value": "4"})
    submit(facilitator, m)
    page = client_for(member).get(reverse("indicators:measurement_history", args=[m.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Mara Member" in text and "Fabio Facilitator" in text
    assert "value" in text and "Submitted for approval" in text
