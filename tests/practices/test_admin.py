"""The admin takes the site's paths: the rows the person may edit, moderation for states, restore for versions."""

from django.contrib.auth.models import Permission

from labs.models import MembershipRole
from labs.moderation import ModerationState
from practices.models import Practice
from tests.conftest import client_for
from tests.factories import make_member, make_practice

S = ModerationState


def test_staff_who_are_members_of_one_lab_see_only_its_practices_in_the_admin(lab, other_lab):
    staff = make_member(lab, MembershipRole.FACILITATOR, is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_practice", "change_practice"]))
    ours, theirs = make_practice(lab=lab, title="Ours"), make_practice(lab=other_lab, title="Theirs")
    client = client_for(staff)
    page = client.get("/en/admin/practices/practice/")
    assert "Ours" in page.text and "Theirs" not in page.text
    assert client.get(f"/en/admin/practices/practice/{theirs.pk}/change/").status_code == 302  # "not found"
    assert client.get(f"/en/admin/practices/practice/{ours.pk}/change/").status_code == 200


def test_the_admin_shows_the_state_but_never_lets_it_be_typed(admin_user, lab):
    practice = make_practice(lab=lab, state=S.DRAFT)
    client = client_for(admin_user)
    page = client.get(f"/en/admin/practices/practice/{practice.pk}/change/")
    assert 'name="state"' not in page.text
    form = _change_form(practice) | {"state": S.PUBLISHED}
    assert client.post(f"/en/admin/practices/practice/{practice.pk}/change/", form).status_code == 302
    practice.refresh_from_db()
    assert practice.state == S.DRAFT


def test_reverting_a_version_in_the_admin_is_refused(admin_user, lab):
    practice = make_practice(lab=lab, state=S.DRAFT)
    old = practice.history.get()
    practice.submit(by=admin_user)
    practice.publish(by=admin_user)
    url = f"/en/admin/practices/practice/{practice.pk}/history/{old.history_id}/"
    assert client_for(admin_user).post(url, _change_form(practice)).status_code == 404
    practice.refresh_from_db()
    assert practice.state == S.PUBLISHED


def test_an_admin_edit_writes_one_history_row_with_the_main_theme_among_the_themes(admin_user, lab):
    from practices.models import Theme

    practice = make_practice(lab=lab, state=S.DRAFT)
    before = practice.history.count()
    food, care = Theme.objects.get(slug="food"), Theme.objects.get(slug="care")
    form = _change_form(practice) | {"title": "Nuovo titolo", "primary_theme": food.pk, "themes": [care.pk]}
    response = client_for(admin_user).post(f"/en/admin/practices/practice/{practice.pk}/change/", form)
    assert response.status_code == 302, response.content[:2000]
    practice.refresh_from_db()
    assert practice.title == "Nuovo titolo"
    assert sorted(practice.themes.values_list("slug", flat=True)) == ["care", "food"]
    assert practice.history.count() == before + 1


def _change_form(practice: Practice) -> dict:
    return {
        "title": practice.title, "summary": practice.summary, "description": "", "original_language": "it",
        "lab": practice.lab_id, "country": "IT", "city": practice.city, "status": "active",
        "location": practice.location.geojson, "dimensions": "", "target_groups": "", "resources": "",
        "translations-TOTAL_FORMS": "0", "translations-INITIAL_FORMS": "0",
        "organisation_links-TOTAL_FORMS": "0", "organisation_links-INITIAL_FORMS": "0",
    }  # fmt: skip


def test_staff_cannot_read_the_admin_history_of_another_labs_draft(lab, other_lab):
    staff = make_member(lab, MembershipRole.FACILITATOR, is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_practice", "change_practice"]))
    theirs = make_practice(lab=other_lab, state=S.DRAFT, contact_email="private@example.org")
    record = theirs.history.get()
    client = client_for(staff)
    assert client.get(f"/en/admin/practices/practice/{theirs.pk}/history/").status_code == 404
    assert client.get(f"/en/admin/practices/practice/{theirs.pk}/history/{record.history_id}/").status_code == 404


def test_staff_cannot_move_a_practice_into_a_lab_they_do_not_belong_to(lab, other_lab):
    staff = make_member(lab, MembershipRole.FACILITATOR, is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_practice", "change_practice"]))
    ours = make_practice(lab=lab, state=S.DRAFT)
    form = _change_form(ours) | {"lab": other_lab.pk}
    response = client_for(staff).post(f"/en/admin/practices/practice/{ours.pk}/change/", form)
    assert response.status_code == 200  # the form again, with the error at the Lab
    ours.refresh_from_db()
    assert ours.lab == lab


def test_staff_who_are_members_cannot_take_a_practice_out_of_their_lab_in_the_admin(lab):
    staff = make_member(lab, MembershipRole.FACILITATOR, is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_practice", "change_practice"]))
    ours = make_practice(lab=lab, state=S.DRAFT)
    response = client_for(staff).post(
        f"/en/admin/practices/practice/{ours.pk}/change/", _change_form(ours) | {"lab": ""}
    )
    assert response.status_code == 200
    assert "It can move only to a Lab you belong to." in response.text
    ours.refresh_from_db()
    assert ours.lab == lab
