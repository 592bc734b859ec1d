"""The public Lab pages: the list and one Lab's page, what each role sees there, and their query counts."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import client_for
from tests.factories import make_activity, make_lab, make_member, make_practice

HOUR = datetime.timedelta(hours=1)


def test_visitor_sees_every_lab_in_the_list(client, lab, other_lab):
    response = client.get("/en/labs/")
    assert response.status_code == 200
    assert "Lab Alba Iulia" in response.text
    assert "Lab Gijón" in response.text


def test_the_lab_list_counts_published_practices_activities_and_members(client, lab, member):
    make_practice(lab=lab)
    make_practice(lab=lab, state="draft")
    make_activity(lab=lab)
    response = client.get("/en/labs/")
    assert "1 practice" in response.text and "1 activity" in response.text and "1 member" in response.text


def test_an_activity_shared_by_two_labs_counts_in_each(client, lab, other_lab):
    activity = make_activity(lab=lab)
    activity.other_labs.add(other_lab)
    text = client.get("/en/labs/").text
    assert text.count("1 activity") == 2


def test_visitor_sees_lab_page_with_its_published_activities_only(client, lab):
    make_activity(lab=lab, title="Co-design of the courtyard")
    make_activity(lab=lab, title="A secret draft", state="draft")
    response = client.get(lab.get_absolute_url())
    assert response.status_code == 200
    assert "Co-design of the courtyard" in response.text
    assert "A secret draft" not in response.text


def test_lab_page_splits_upcoming_and_past_activities(client, lab):
    now = timezone.now()
    make_activity(lab=lab, title="Next residency", starts_at=now + 24 * HOUR, time_zone="Europe/Rome")
    make_activity(lab=lab, title="Last meeting", starts_at=now - 24 * HOUR, time_zone="Europe/Rome")
    text = client.get(lab.get_absolute_url()).text
    upcoming, past = text.split('id="past-title"')
    assert "Next residency" in upcoming and "Last meeting" not in upcoming
    assert "Last meeting" in past


def test_lab_page_shows_activities_of_other_labs_it_takes_part_in(client, lab, other_lab):
    activity = make_activity(lab=other_lab, title="City-to-city exchange")
    activity.other_labs.add(lab)
    assert "City-to-city exchange" in client.get(lab.get_absolute_url()).text


def test_people_reached_sums_the_published_closed_activities(client, lab):
    closed = {"closed_at": timezone.now(), "starts_at": timezone.now() - HOUR, "time_zone": "Europe/Rome"}
    make_activity(lab=lab, attendance_total=30, **closed)
    make_activity(lab=lab, attendance_total=12, **closed)
    make_activity(lab=lab, attendance_total=500, state="draft", **closed)
    make_activity(lab=lab, attendance_total=7)  # not closed yet
    text = client.get(lab.get_absolute_url()).text
    assert "<dt>People reached</dt><dd>42</dd>" in text


def test_lab_page_lists_its_published_practices_and_links_the_main_map(client, lab):
    make_practice(lab=lab, title="Orto di Ballarò")
    make_practice(lab=lab, title="Unfinished draft", state="draft")
    text = client.get(lab.get_absolute_url()).text
    assert "Orto di Ballarò" in text and "Unfinished draft" not in text
    assert f'href="/en/map/?lab={lab.slug}"' in text
    assert 'id="lab-practices"' in text


def test_unknown_lab_answers_404(client, db):
    assert client.get("/en/labs/nowhere/").status_code == 404


@pytest.mark.parametrize(
    ("who", "sees_names"),
    [
        ("visitor", False),
        ("contributor", False),
        ("outsider", False),
        ("member", True),
        ("facilitator", True),
        ("coordinator", True),
    ],
)
def test_only_the_labs_people_and_coordinators_see_member_names(request, lab, member, who, sees_names):
    user = None if who == "visitor" else request.getfixturevalue(who)
    response = client_for(user).get(lab.get_absolute_url())
    assert response.status_code == 200
    assert ("Mara Member" in response.text) is sees_names
    count = lab.memberships.count()
    assert f"This Lab has {count} member{'s' if count > 1 else ''}." in response.text


@pytest.mark.parametrize(
    ("who", "sees_link"),
    [("visitor", False), ("outsider", False), ("member", True), ("facilitator", True), ("coordinator", True)],
)
def test_the_workspace_is_linked_from_the_lab_page_for_its_members_only(request, lab, who, sees_link):
    user = None if who == "visitor" else request.getfixturevalue(who)
    text = client_for(user).get(lab.get_absolute_url()).text
    assert (f"/en/labs/{lab.slug}/workspace/" in text) is sees_link


def test_member_emails_are_never_shown_on_the_lab_page(lab, member, coordinator):
    response = client_for(coordinator).get(lab.get_absolute_url())
    assert member.email not in response.text


def test_lab_with_a_cyrillic_name_gets_an_ascii_slug_that_works(client, db):
    lab = make_lab(name="София", city="София", country="BG")
    assert lab.slug == "sofiya"
    response = client.get("/en/labs/sofiya/")
    assert response.status_code == 200
    assert "София" in response.text


def test_two_labs_with_the_same_name_get_distinct_slugs(db):
    assert make_lab(name="Malmö").slug == "malmo"
    assert make_lab(name="Malmö").slug == "malmo-2"


@pytest.mark.parametrize("rows", [1, 50])
def test_lab_list_runs_the_same_queries_for_1_or_50_labs(client, db, django_assert_num_queries, rows):
    for _ in range(rows):
        lab = make_lab()
        make_member(lab)
        make_activity(lab=lab)
        make_practice(lab=lab)
        make_activity(lab=make_lab()).other_labs.add(lab)
    client.get("/en/labs/")  # warm the session and content-type caches
    # The Labs with their member counts, then their practices, their own activities and the ones they share.
    with django_assert_num_queries(4):
        response = client.get("/en/labs/")
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 50])
def test_lab_page_runs_the_same_queries_for_1_or_50_rows(db, django_assert_num_queries, rows, coordinator):
    lab = make_lab()
    past = timezone.now() - HOUR
    for _ in range(rows):
        make_member(lab)
        make_activity(lab=lab, starts_at=past, time_zone="Europe/Rome", closed_at=past, attendance_total=3)
        make_practice(lab=lab)
    client = client_for(coordinator)
    client.get(lab.get_absolute_url())
    with django_assert_num_queries(18):  # 18th: the organisations and relationships it mapped (networks_lab_tags)
        client.get(lab.get_absolute_url())


def test_anonymous_user_has_no_editable_labs(lab):
    from labs.models import Lab

    assert not Lab.objects.editable_by(AnonymousUser()).exists()


def test_lab_page_in_italian_shows_the_italian_description(client, db):
    lab = make_lab(description="A Lab by the sea.", descriptions={"it": "Un Lab sul mare."})
    page = client.get(f"/it/labs/{lab.slug}/").content.decode()
    assert '<div class="prose" lang="it"><p>Un Lab sul mare.</p></div>' in page
    assert "A Lab by the sea." not in page


def test_lab_page_without_a_translation_shows_the_english_description_marked_english(client, db):
    lab = make_lab(description="A Lab by the sea.", descriptions={"it": "Un Lab sul mare."})
    page = client.get(f"/de/labs/{lab.slug}/").content.decode()
    assert '<div class="prose" lang="en"><p>A Lab by the sea.</p></div>' in page


def test_an_activity_is_described_in_the_readers_language(client, lab):
    make_activity(
        lab=lab, title="Co-design", description="We drew the courtyard.", descriptions={"fr": "On a dessiné."}
    )
    page = client.get(f"/fr/labs/{lab.slug}/").content.decode()
    assert '<p lang="fr">On a dessiné.</p>' in page


def test_translations_in_a_language_the_site_does_not_speak_are_refused(db):
    lab = make_lab(descriptions={"xx": "?"})
    with pytest.raises(ValidationError, match="Unknown language codes: xx"):
        lab.full_clean()


def test_a_lab_that_ends_before_it_starts_is_refused_at_the_end_date(db):
    from labs.models import Lab

    lab = Lab(name="Lab Zagreb", country="HR", city="Zagreb", start_date=datetime.date(2024, 5, 1),
              end_date=datetime.date(2024, 1, 1))  # fmt: skip
    with pytest.raises(ValidationError) as error:
        lab.full_clean()
    assert "end_date" in error.value.message_dict


@pytest.mark.parametrize("name", ["Mine", "Invitations", "Compare"])
def test_a_lab_named_like_a_page_of_the_labs_gets_another_slug(client, name, db):
    lab = make_lab(name=name)
    assert lab.slug == f"{name.lower()}-lab"
    assert client.get(lab.get_absolute_url()).status_code == 200


def test_people_reached_is_unknown_until_an_activity_is_reported(client, lab):
    make_activity(lab=lab)
    assert "<dt>People reached</dt><dd>not reported yet</dd>" in client.get(lab.get_absolute_url()).text
