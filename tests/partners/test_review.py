"""Moderated.save_new/save_edit(review=True), what every write by a token goes through: into the moderation queue,
never published, whatever its author may do."""

import pytest

from labs.moderation import ModerationState
from practices.models import Practice
from tests.factories import make_practice

S = ModerationState


@pytest.mark.parametrize("who", ["member", "facilitator", "coordinator"])
def test_a_new_practice_under_review_is_submitted_to_its_lab_whoever_adds_it(request, lab, who):
    practice = Practice(title="Orto", summary="Orto", original_language="it", country="IT", city="Palermo", lab=lab)
    practice.save_new(by=request.getfixturevalue(who), review=True)
    practice.refresh_from_db()
    assert (practice.state, practice.lab, practice.is_suggestion) == (S.SUBMITTED, lab, False)


def test_a_new_practice_without_review_stays_a_draft_of_its_lab(member, lab):
    practice = Practice(title="Orto", summary="Orto", original_language="it", country="IT", city="Palermo", lab=lab)
    practice.save_new(by=member)
    assert practice.state == S.DRAFT


@pytest.mark.parametrize("state", [S.DRAFT, S.PUBLISHED])
def test_an_edit_under_review_by_a_facilitator_goes_to_the_queue(facilitator, lab, state):
    practice = make_practice(lab=lab, state=state)
    practice.summary = "Changed"
    assert practice.save_edit(by=facilitator, review=True) is True
    practice.refresh_from_db()
    assert practice.state == S.SUBMITTED


def test_an_edit_without_review_by_a_facilitator_stays_published(facilitator, lab):
    practice = make_practice(lab=lab)
    practice.summary = "Changed"
    assert practice.save_edit(by=facilitator) is False
    practice.refresh_from_db()
    assert practice.state == S.PUBLISHED
