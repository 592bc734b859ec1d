import pytest
from django.contrib.gis.geos import Point

from labs.moderation import ModerationState
from practices.models import PracticeTranslation
from tests.conftest import client_for
from tests.factories import make_practice, make_space

HIDDEN_STATES = [ModerationState.DRAFT, ModerationState.SUBMITTED, ModerationState.REJECTED, ModerationState.ARCHIVED]


def test_visitor_reads_a_published_practice(client, lab):
    practice = make_practice(title="Orto condiviso di Ballarò", lab=lab, themes=["food"])
    response = client.get(practice.get_absolute_url())
    assert response.status_code == 200
    assert "Orto condiviso di Ballarò" in response.text
    assert "Food" in response.text


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_visitor_never_sees_a_practice_that_is_not_published(client, lab, state):
    practice = make_practice(lab=lab, state=state)
    assert client.get(practice.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("contributor", 404),
        ("outsider", 404),
        ("member", 200),
        ("facilitator", 200),
        ("coordinator", 200),
    ],
)
def test_only_the_labs_people_and_coordinators_see_its_drafts(request, lab, who, status):
    practice = make_practice(lab=lab, state=ModerationState.DRAFT)
    user = request.getfixturevalue(who)
    assert client_for(user).get(practice.get_absolute_url()).status_code == status


def test_contributor_sees_the_practice_they_suggested(contributor):
    practice = make_practice(lab=None, state=ModerationState.SUBMITTED, created_by=contributor)
    response = client_for(contributor).get(practice.get_absolute_url())
    assert response.status_code == 200
    assert "Not public" in response.text


def test_private_contacts_never_appear_on_the_page(client, lab, coordinator):
    practice = make_practice(lab=lab, contact_email="ana@solidali.example", contact_phone="+39 091 555 0101")
    for c in (client, client_for(coordinator)):
        text = c.get(practice.get_absolute_url()).text
        assert "ana@solidali.example" not in text
        assert "555 0101" not in text


def test_practice_in_italian_is_shown_in_italian_to_an_english_reader_with_a_note(client, lab):
    practice = make_practice(title="Spesa sospesa", original_language="it", lab=lab)
    text = client.get(practice.get_absolute_url()).text
    assert "Spesa sospesa" in text
    assert "Shown in its original language, Italian: no translation yet." in text
    assert 'lang="it"' in text


def test_a_translation_is_shown_in_the_readers_language(client, lab):
    practice = make_practice(title="Spesa sospesa", original_language="it", lab=lab)
    PracticeTranslation.objects.create(practice=practice, language="en", title="Suspended groceries")
    text = client.get(practice.get_absolute_url()).text
    assert "Suspended groceries" in text
    assert "Spesa sospesa" not in text


def test_markdown_description_is_rendered_and_script_is_removed(client, lab):
    practice = make_practice(
        lab=lab, description="**Weekly** market\n\n<script>alert(1)</script>\n\n[site](javascript:alert(2))"
    )
    text = client.get(practice.get_absolute_url()).text
    assert "<strong>Weekly</strong>" in text
    assert "alert(1)" not in text
    assert "javascript:" not in text


def test_published_practice_has_json_ld_and_open_graph(client, lab):
    practice = make_practice(title="Casa </script> comune", lab=lab, themes=["housing"])
    text = client.get(practice.get_absolute_url()).text
    assert '<script type="application/ld+json">' in text
    assert '"@type": "Project"' in text
    assert "Casa \\u003C/script\\u003E comune" in text
    assert '<meta property="og:title" content="Casa &lt;/script&gt; comune">' in text


def test_draft_practice_has_no_json_ld(lab, member):
    practice = make_practice(lab=lab, state=ModerationState.DRAFT)
    assert "application/ld+json" not in client_for(member).get(practice.get_absolute_url()).text


def test_related_practices_share_a_theme_and_come_nearest_first(client, lab):
    here = make_practice(themes=["food"], location=Point(13.36, 38.11, srid=4326))
    make_practice(title="Far food", themes=["food"], location=Point(9.19, 45.46, srid=4326))
    make_practice(title="Near food", themes=["food"], location=Point(13.40, 38.12, srid=4326))
    make_practice(title="Near energy", themes=["energy"], location=Point(13.37, 38.11, srid=4326))
    make_practice(title="Draft food", themes=["food"], state=ModerationState.DRAFT, lab=lab)
    text = client.get(here.get_absolute_url()).text
    assert text.index("Near food") < text.index("Far food")
    assert "Near energy" not in text
    assert "Draft food" not in text


def test_space_page_lists_its_published_practices_only(client, lab):
    space = make_space(name="Centro sociale Zen", lab=lab)
    make_practice(title="Doposcuola", lab=lab).spaces.add(space)
    make_practice(title="Bozza", lab=lab, state=ModerationState.DRAFT).spaces.add(space)
    text = client.get(space.get_absolute_url()).text
    assert "Doposcuola" in text
    assert "Bozza" not in text


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_visitor_never_sees_a_space_that_is_not_published(client, lab, state):
    assert client.get(make_space(lab=lab, state=state).get_absolute_url()).status_code == 404


def test_the_17_sustainable_development_goals_are_loaded(db):
    from practices.models import SDG

    assert SDG.objects.count() == 17
    assert str(SDG.objects.get(number=11)) == "11. Sustainable cities and communities"


def test_the_sitemap_lists_published_practices_only(client, lab):
    published = make_practice(title="Visible", lab=lab)
    draft = make_practice(title="Hidden", lab=lab, state=ModerationState.DRAFT)
    text = client.get("/sitemap-practices.xml").content.decode()
    assert f"/en/practices/{published.slug}/" in text
    assert f"/it/practices/{published.slug}/" in text
    assert draft.slug not in text
    assert "sitemap-practices.xml" in client.get("/sitemap.xml").content.decode()


def test_a_published_practice_has_a_share_link_and_an_embed_snippet(client, lab):
    practice = make_practice(title="Casa comune", lab=lab)
    text = client.get(practice.get_absolute_url()).content.decode()
    assert f"/en/embed/practices/{practice.slug}/" in text
    embed = client.get(f"/en/embed/practices/{practice.slug}/")
    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed
    assert "Casa comune" in embed.content.decode()
    assert client.get(practice.get_absolute_url())["X-Frame-Options"] == "DENY"


def test_a_draft_cannot_be_embedded_even_by_its_lab(lab, member):
    practice = make_practice(lab=lab, state=ModerationState.DRAFT)
    assert client_for(member).get(f"/en/embed/practices/{practice.slug}/").status_code == 404


@pytest.mark.parametrize("rows", [1, 20])
def test_the_practice_page_runs_the_same_queries_with_1_or_20_themes_and_related(
    client, db, rows, django_assert_num_queries
):
    from practices.models import Theme

    slugs = list(Theme.objects.values_list("slug", flat=True))
    practice = make_practice(themes=slugs)
    for _ in range(rows):
        make_practice(themes=slugs[:1])
    client.get(practice.get_absolute_url())
    with django_assert_num_queries(9):
        client.get(practice.get_absolute_url())


def test_the_search_page_finds_published_practices_and_spaces_but_never_drafts(client, lab):
    make_practice(title="Banca del tempo", lab=lab)
    make_practice(title="Banca segreta", lab=lab, state=ModerationState.DRAFT)
    make_space(name="Banca vecchia", lab=lab)
    text = client.get("/en/search/?q=banca").content.decode()
    assert "Banca del tempo" in text
    assert "Banca vecchia" in text
    assert "Banca segreta" not in text


def test_a_facilitator_archives_a_practice_and_it_leaves_the_public_site(client, lab, facilitator):
    practice = make_practice(lab=lab)
    client_for(facilitator).post(f"/en/practices/{practice.slug}/archive/", {"reason": "Closed in 2025"})
    practice.refresh_from_db()
    assert (practice.state, practice.state_reason) == (ModerationState.ARCHIVED, "Closed in 2025")
    assert client.get(practice.get_absolute_url()).status_code == 404


def test_a_member_cannot_archive(lab, member):
    practice = make_practice(lab=lab)
    assert client_for(member).post(f"/en/practices/{practice.slug}/archive/").status_code == 404


@pytest.mark.parametrize("rows", [1, 30])
def test_the_moderation_queue_runs_the_same_queries_for_1_or_30_items(
    lab, facilitator, rows, django_assert_num_queries
):
    for _ in range(rows):
        make_practice(lab=lab, state=ModerationState.SUBMITTED)
    client = client_for(facilitator)
    client.get("/en/moderation/")
    with django_assert_num_queries(6):
        client.get("/en/moderation/")


def test_search_results_page_on_with_the_words_kept(client, db):
    for n in range(25):
        make_practice(title=f"Banca del tempo {n}")
    text = client.get("/en/search/?q=banca").content.decode()
    assert "q=banca&amp;page=2" in text
    assert "Banca del tempo" in client.get("/en/search/?q=banca&page=2").content.decode()


@pytest.mark.parametrize("rows", [2, 20])
def test_the_history_page_runs_the_same_queries_for_2_or_20_versions(lab, facilitator, rows, django_assert_num_queries):
    practice = make_practice(lab=lab, themes=["food"])
    for n in range(rows - 1):
        practice.title = f"Version {n}"
        practice.save()
    client = client_for(facilitator)
    client.get(f"/en/practices/{practice.slug}/history/")
    with django_assert_num_queries(7):
        client.get(f"/en/practices/{practice.slug}/history/")


def test_odd_input_never_shows_a_server_error(client, lab, member):
    practice = make_practice(lab=lab)
    # A NUL character is refused before any view (conect.middleware.refuse_nul).
    assert client.get("/en/search/?q=ab%00c").status_code == 400
    assert client.get("/en/map/results/?q=ab%00c").status_code == 400
    c = client_for(member)
    assert c.post(f"/en/practices/{practice.slug}/images/", {"remove": "abc"}).status_code == 404
    polygon = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
    response = c.post("/api/v1/practices/", {"title": "X", "country": "IT", "lab": lab.slug, "location": polygon},
                      content_type="application/json")  # fmt: skip
    assert response.status_code == 400 and "location" in response.json()


def test_a_former_member_no_longer_sees_the_drafts_they_wrote_in_the_lab(lab, member):
    from labs.models import Membership

    draft = make_practice(lab=lab, state=ModerationState.DRAFT, created_by=member)
    client = client_for(member)
    assert client.get(draft.get_absolute_url()).status_code == 200
    Membership.objects.filter(lab=lab, user=member).delete()
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(f"/en/practices/{draft.slug}/edit/").status_code == 404


def test_a_contributor_keeps_sight_of_their_suggestion_routed_to_a_lab(lab, contributor):
    from django.contrib.gis.geos import MultiPolygon, Polygon

    lab.territory = MultiPolygon(Polygon.from_bbox((13.0, 37.9, 13.6, 38.3)), srid=4326)
    lab.save()
    client = client_for(contributor)
    data = {"title": "Orto di via Roma", "original_language": "it", "status": "active", "country": "IT",
            "latitude": "38.1", "longitude": "13.3", "location": ""}  # fmt: skip
    assert client.post("/en/practices/suggest/", data).status_code == 302
    from practices.models import Practice

    suggestion = Practice.objects.get()
    assert (suggestion.lab, suggestion.is_suggestion) == (lab, True)
    assert client.get(suggestion.get_absolute_url()).status_code == 200
