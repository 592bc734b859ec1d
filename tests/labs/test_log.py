"""The activity log: every write of a Lab-owned item through the write path leaves one line, and who sees it."""

import pytest

from labs.models import LogAction, LogEntry
from tests.conftest import client_for
from tests.factories import make_practice, make_user


def test_a_practice_added_by_a_member_is_logged_once(lab, member):
    from practices.models import Practice

    practice = Practice(title="Orto", summary="s", country="IT", city="Palermo", lab=lab)
    practice.save_new(by=member)
    entry = LogEntry.objects.get(lab=lab)
    assert (entry.action, entry.actor, entry.subject) == (LogAction.CREATED, member, "Orto")
    assert entry.url == practice.get_absolute_url()


def test_a_practice_edit_through_the_form_is_logged(lab, facilitator):
    practice = make_practice(lab=lab, title="Orto", state="draft")
    response = client_for(facilitator).post(
        f"/en/practices/{practice.slug}/edit/",
        {"title": "Orto condiviso", "summary": "s", "original_language": "it", "lab": lab.pk, "country": "IT",
         "city": "Palermo", "status": "active", "latitude": "38.11", "longitude": "13.36", "location": "",
         "primary_theme": "", "version": practice.version},
    )  # fmt: skip
    assert response.status_code == 302, response.content
    entry = LogEntry.objects.get(lab=lab)
    assert (entry.action, entry.actor, entry.subject) == (LogAction.EDITED, facilitator, "Orto condiviso")


@pytest.mark.parametrize(
    ("steps", "action"),
    [
        (["submit"], LogAction.SUBMITTED),
        (["submit", "publish"], LogAction.PUBLISHED),
        (["submit", "reject"], LogAction.REJECTED),
        (["submit", "request_changes"], LogAction.CHANGES_REQUESTED),
        (["archive"], LogAction.ARCHIVED),
    ],
)
def test_each_moderation_step_is_logged_with_its_action(lab, facilitator, steps, action):
    practice = make_practice(lab=lab, state="draft")
    for step in steps:
        kwargs = {"reason": "Why"} if step in ("reject", "request_changes") else {}
        getattr(practice, step)(by=facilitator, **kwargs)
    assert LogEntry.objects.filter(lab=lab).first().action == action
    assert LogEntry.objects.filter(lab=lab).count() == len(steps)


def test_a_restore_is_logged_as_a_restore_not_an_edit(lab, facilitator):
    practice = make_practice(lab=lab, title="First", state="draft")
    practice.title = "Second"
    practice.save_edit(by=facilitator)
    record = practice.history.order_by("history_date").first()
    practice.restore(record, by=facilitator)
    assert list(LogEntry.objects.filter(lab=lab).values_list("action", flat=True)) == [
        LogAction.RESTORED,
        LogAction.EDITED,
    ]


def test_a_suggestion_outside_every_lab_writes_no_log(db):
    from practices.models import Practice

    Practice(title="Somewhere", summary="s", country="IT", city="X").save_new(by=make_user())
    assert not LogEntry.objects.exists()


def test_an_edit_writes_one_insert_into_the_log(lab, facilitator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    practice = make_practice(lab=lab, state="draft")
    practice.title = "Changed"
    with CaptureQueriesContext(connection) as queries:
        practice.save_edit(by=facilitator)
    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "labs_logentry"')]
    assert len(inserts) == 1


@pytest.mark.parametrize(("who", "status"), [("visitor", 302), ("contributor", 404), ("outsider", 404),
                                             ("member", 200), ("facilitator", 200), ("coordinator", 200)])  # fmt: skip
def test_the_log_is_shown_in_the_workspace_to_the_labs_people_only(request, lab, facilitator, who, status):
    make_practice(lab=lab, state="draft", title="Orto").submit(by=facilitator)
    user = None if who == "visitor" else request.getfixturevalue(who)
    response = client_for(user).get(f"/en/labs/{lab.slug}/workspace/")
    assert response.status_code == status
    if status == 200:
        assert "submitted for review" in response.text and "Orto" in response.text


def test_the_log_is_paginated(lab, facilitator):
    for n in range(30):
        LogEntry.objects.record(lab=lab, actor=facilitator, action=LogAction.EDITED, subject=f"Item {n:02}")
    first = client_for(facilitator).get(f"/en/labs/{lab.slug}/workspace/").text
    second = client_for(facilitator).get(f"/en/labs/{lab.slug}/workspace/?page=2").text
    assert "Item 29" in first and "Item 00" not in first
    assert "Item 00" in second
