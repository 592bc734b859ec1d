import pytest

from labs.moderation import ModerationError, ModerationState
from practices.models import Practice, Theme
from tests.conftest import client_for
from tests.factories import make_practice

S = ModerationState


def test_a_submitted_practice_is_published_by_its_labs_facilitator(lab, member, facilitator):
    practice = make_practice(lab=lab, state=S.DRAFT, created_by=member)
    practice.submit(by=member)
    assert practice.can_moderate(facilitator)
    practice.publish(by=facilitator)
    practice.refresh_from_db()
    assert practice.state == S.PUBLISHED
    assert practice.state_changed_by == facilitator


def test_members_and_outsiders_cannot_moderate(lab, member, outsider, contributor):
    practice = make_practice(lab=lab, state=S.SUBMITTED)
    assert not practice.can_moderate(member)
    assert not practice.can_moderate(outsider)
    assert not practice.can_moderate(contributor)


def test_coordinators_moderate_practices_without_a_lab(coordinator, facilitator):
    practice = make_practice(lab=None, state=S.SUBMITTED)
    assert practice.can_moderate(coordinator)
    assert not practice.can_moderate(facilitator)


def test_rejecting_needs_a_reason(lab, facilitator):
    practice = make_practice(lab=lab, state=S.SUBMITTED)
    with pytest.raises(ModerationError):
        practice.reject(by=facilitator, reason="  ")
    practice.reject(by=facilitator, reason="Duplicate of the Ballarò garden")
    assert practice.state == S.REJECTED


def test_requesting_changes_sends_the_practice_back_to_draft_with_the_reason(lab, facilitator):
    practice = make_practice(lab=lab, state=S.SUBMITTED)
    practice.request_changes(by=facilitator, reason="Add the opening hours")
    practice.refresh_from_db()
    assert (practice.state, practice.state_reason) == (S.DRAFT, "Add the opening hours")


def test_a_draft_cannot_be_published_without_being_submitted(lab, facilitator):
    practice = make_practice(lab=lab, state=S.DRAFT)
    with pytest.raises(ModerationError, match="cannot become Published"):
        practice.publish(by=facilitator)


def test_archiving_keeps_the_practice_and_hides_it(lab, facilitator, client):
    practice = make_practice(lab=lab)
    practice.archive(by=facilitator, reason="The group has dissolved")
    assert Practice.objects.filter(pk=practice.pk).exists()
    assert client.get(practice.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("who", "editable"),
    [("contributor", False), ("outsider", False), ("member", True), ("facilitator", True), ("coordinator", True)],
)
def test_who_may_edit_a_labs_practice(request, lab, who, editable):
    practice = make_practice(lab=lab, state=S.DRAFT)
    user = request.getfixturevalue(who)
    assert Practice.objects.editable_by(user).filter(pk=practice.pk).exists() is editable


def test_a_contributor_edits_their_suggestion_only_while_it_is_a_draft(contributor):
    practice = make_practice(lab=None, state=S.DRAFT, created_by=contributor)
    assert Practice.objects.editable_by(contributor).filter(pk=practice.pk).exists()
    practice.submit(by=contributor)
    assert not Practice.objects.editable_by(contributor).filter(pk=practice.pk).exists()


def test_every_change_is_kept_in_the_history_with_its_author(lab, member):
    practice = make_practice(lab=lab, title="Mensa popolare")
    practice._history_user = member
    practice.title = "Mensa popolare di quartiere"
    practice.save()
    latest, first = practice.history.all()[:2]
    assert latest.history_user == member
    assert [change.field for change in latest.diff_against(first).changes] == ["title"]
    assert first.title == "Mensa popolare"


def _theme(slug: str) -> int:
    return Theme.objects.get(slug=slug).pk


def _edit(client, practice, **changes):
    data = {
        "title": practice.title, "summary": practice.summary, "original_language": practice.original_language,
        "status": practice.status, "country": str(practice.country), "city": practice.city,
        "latitude": practice.location.y, "longitude": practice.location.x, "location": "",
        "lab": practice.lab_id or "", "primary_theme": "", "themes": [], "sdgs": [],
    }  # fmt: skip
    return client.post(f"/en/practices/{practice.slug}/edit/", data | changes)


def test_saving_a_draft_with_themes_and_sdgs_once_writes_one_history_row(lab, member):
    response = client_for(member).post("/en/practices/new/", {
        "title": "Emporio solidale", "original_language": "it", "status": "active", "country": "IT",
        "latitude": "38.1157", "longitude": "13.3615", "lab": lab.pk, "primary_theme": _theme("food"),
        "themes": [_theme("care"), _theme("energy")], "sdgs": ["1", "2"],
    })  # fmt: skip
    assert response.status_code == 302
    practice = Practice.objects.get()
    assert practice.history.count() == 1
    record = practice.history.get()
    assert sorted(row.theme.slug for row in record.themes.all()) == ["care", "energy", "food"]


def test_restoring_a_version_brings_back_its_themes_and_sdgs(lab, facilitator):
    client = client_for(facilitator)
    practice = make_practice(lab=lab, themes=["food", "care"], created_by=facilitator)
    practice.sdgs.set([2, 11])
    first = practice.history.latest("history_date")
    assert _edit(client, practice, themes=[_theme("energy")], sdgs=["7"]).status_code == 302
    assert sorted(practice.themes.values_list("slug", flat=True)) == ["energy"]
    response = client.post(f"/en/practices/{practice.slug}/history/{first.history_id}/restore/")
    assert response.status_code == 302
    assert sorted(practice.themes.values_list("slug", flat=True)) == ["care", "food"]
    assert sorted(practice.sdgs.values_list("number", flat=True)) == [2, 11]


def test_restoring_never_brings_back_an_old_state(lab, facilitator):
    practice = make_practice(lab=lab, state=S.DRAFT)
    old = practice.history.latest("history_date")
    practice.submit(by=facilitator)
    practice.publish(by=facilitator)
    client_for(facilitator).post(f"/en/practices/{practice.slug}/history/{old.history_id}/restore/")
    practice.refresh_from_db()
    assert practice.state == S.PUBLISHED


def test_the_history_names_changed_fields_in_the_readers_language(lab, facilitator):
    practice = make_practice(lab=lab, state=S.DRAFT)
    practice.submit(by=facilitator)
    response = client_for(facilitator).get(f"/it/practices/{practice.slug}/history/")
    assert "Stato: Inviata per revisione" in response.text
    assert "state_changed_at" not in response.text
    assert "state, " not in response.text


def test_rejecting_without_a_reason_keeps_the_chosen_decision_and_asks_for_the_reason(lab, facilitator):
    practice = make_practice(lab=lab, state=S.SUBMITTED)
    prefix = f"practices-{practice.pk}"
    response = client_for(facilitator).post(
        f"/en/practices/{practice.slug}/moderate/", {f"{prefix}-action": "reject", f"{prefix}-reason": ""}
    )
    assert response.status_code == 400
    assert "Say why: the author reads the reason." in response.text
    assert f'value="reject" id="id_{prefix}-action_2" required checked' in response.text
    practice.refresh_from_db()
    assert practice.state == S.SUBMITTED


def test_a_coordinator_has_a_moderation_queue_even_before_any_lab_exists(coordinator, contributor):
    practice = make_practice(state=S.SUBMITTED, created_by=contributor, lab=None)
    response = client_for(coordinator).get("/en/moderation/")
    assert response.status_code == 200
    assert practice.title in response.text


@pytest.mark.parametrize("who", ["member", "contributor"])
def test_members_and_contributors_are_not_offered_the_moderation_queue_or_imports(request, lab, who):
    page = client_for(request.getfixturevalue(who)).get("/en/")
    assert "/en/moderation/" not in page.text
    assert "/en/practices/import/" not in page.text


def test_facilitators_are_offered_the_moderation_queue_and_imports(facilitator):
    page = client_for(facilitator).get("/en/")
    assert "/en/moderation/" in page.text
    assert "/en/practices/import/" in page.text


def test_a_members_edit_of_a_published_practice_goes_to_review(client, lab, member):
    practice = make_practice(lab=lab, title="Orto")
    data = {"title": "Vandal", "country": "IT", "status": "active", "original_language": "en", "lab": lab.pk,
            "latitude": "38.1", "longitude": "13.3", "location": ""}  # fmt: skip
    client_for(member).post(f"/en/practices/{practice.slug}/edit/", data)
    practice.refresh_from_db()
    assert practice.state == S.SUBMITTED
    assert client.get(practice.get_absolute_url()).status_code == 404


def test_a_members_api_edit_of_a_published_practice_goes_to_review(lab, member):
    practice = make_practice(lab=lab)
    client_for(member).patch(f"/api/v1/practices/{practice.slug}/", {"city": "X"}, content_type="application/json")
    practice.refresh_from_db()
    assert practice.state == S.SUBMITTED


def test_a_facilitators_edit_stays_public(lab, facilitator):
    practice = make_practice(lab=lab)
    client_for(facilitator).patch(f"/api/v1/practices/{practice.slug}/", {"city": "X"}, content_type="application/json")
    practice.refresh_from_db()
    assert practice.state == S.PUBLISHED


def test_a_contributor_edits_their_suggestion_after_changes_are_asked(contributor):
    practice = make_practice(lab=None, state=S.DRAFT, created_by=contributor, title="Orto")
    data = {"title": "Orto comune", "country": "IT", "status": "active", "original_language": "it",
            "latitude": "38.1", "longitude": "13.3", "location": ""}  # fmt: skip
    response = client_for(contributor).post(f"/en/practices/{practice.slug}/edit/", data)
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.title == "Orto comune"


def test_restoring_an_old_version_keeps_the_current_address(lab, facilitator):
    practice = make_practice(lab=lab, title="Orto")
    practice._history_user = facilitator
    practice.title = "Orto 2"
    practice.save()
    first = practice.history.order_by("history_date").first()
    response = client_for(facilitator).post(f"/en/practices/{practice.slug}/history/{first.history_id}/restore/")
    assert response.status_code == 302
    practice.refresh_from_db()
    assert (practice.title, practice.lab) == ("Orto", lab)


def test_a_decision_on_a_version_the_author_has_changed_since_is_not_taken(lab, facilitator, member):
    practice = make_practice(lab=lab, state=S.SUBMITTED, created_by=member)
    read = practice.version
    practice.summary = "Changed after the moderator opened the queue"
    practice.save_edit(by=member)
    prefix = f"practices-{practice.pk}"
    response = client_for(facilitator).post(
        f"/en/practices/{practice.slug}/moderate/",
        {f"{prefix}-action": "publish", f"{prefix}-reason": "", f"{prefix}-version": read},
        follow=True,
    )
    assert "changed since you read it" in response.text
    practice.refresh_from_db()
    assert practice.state == S.SUBMITTED
