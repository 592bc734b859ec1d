import datetime

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.urls import reverse

from labs.moderation import ModerationState
from practices.models import Practice
from tests.conftest import client_for
from tests.factories import make_practice, make_space

S = ModerationState
API = "/api/v1/practices/"


def new_practice(lab=None, **overrides) -> dict:
    data = {
        "title": "Mensa di quartiere",
        "summary": "Pranzi a prezzo sospeso",
        "original_language": "it",
        "themes": ["food", "solidarity"],
        "primary_theme": "food",
        "sdgs": [2, 11],
        "dimensions": ["social"],
        "country": "IT",
        "city": "Palermo",
        "location": {"type": "Point", "coordinates": [13.36, 38.12]},
    }
    if lab is not None:
        data["lab"] = lab.slug
    return data | overrides


def slugs(response) -> set[str]:
    assert response.status_code == 200, response.content
    body = response.json()
    return {row["slug"] for row in body["results"]} if "results" in body else {f["id"] for f in body["features"]}


@pytest.fixture
def practices(lab, other_lab):
    return {
        "published": make_practice(title="Published", lab=lab),
        "draft_a": make_practice(title="Draft A", lab=lab, state=S.DRAFT),
        "draft_b": make_practice(title="Draft B", lab=other_lab, state=S.DRAFT),
    }


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (None, {"published"}),
        ("contributor", {"published"}),
        ("outsider", {"published", "draft_b"}),
        ("member", {"published", "draft_a"}),
        ("facilitator", {"published", "draft_a"}),
        ("coordinator", {"published", "draft_a", "draft_b"}),
    ],
)
def test_the_list_shows_each_role_what_it_may_see(request, practices, who, expected):
    user = request.getfixturevalue(who) if who else None
    assert slugs(client_for(user).get(API)) == {practices[key].slug for key in expected}


def test_a_visitor_gets_404_for_a_draft_like_for_a_missing_practice(client, practices):
    assert client.get(f"{API}{practices['draft_a'].slug}/").status_code == 404
    assert client.get(f"{API}nothing-here/").status_code == 404


def test_private_contacts_are_never_in_the_api(client, lab, coordinator):
    practice = make_practice(lab=lab, contact_email="ana@solidali.example")
    for c in (client, client_for(coordinator)):
        assert "ana@solidali.example" not in c.get(f"{API}{practice.slug}/").content.decode()


def test_the_list_is_also_geojson(client, practices):
    response = client.get(API + "?format=geojson")
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["features"][0]["geometry"]["type"] == "Point"


def test_the_box_filter_keeps_a_point_just_inside_and_drops_one_just_outside(client, db):
    make_practice(title="Inside", location=Point(4.9999, 45.5, srid=4326))
    make_practice(title="Outside", location=Point(5.0001, 45.5, srid=4326))
    response = client.get(API + "?bbox=4,45,5,46")
    assert {row["title"] for row in response.json()["results"]} == {"Inside"}


def test_the_api_takes_the_same_filters_as_the_map(client, db):
    make_practice(title="Food", themes=["food"], dimensions=["economic"])
    make_practice(title="Energy", themes=["energy"])
    assert [r["title"] for r in client.get(API + "?theme=food&dimension=economic").json()["results"]] == ["Food"]


def test_an_unknown_filter_value_is_a_400_with_the_field(client, db):
    response = client.get(API + "?sdg=18")
    assert response.status_code == 400
    assert "sdg" in response.json()


@pytest.mark.parametrize("rows", [1, 50])
def test_the_list_runs_the_same_queries_for_1_or_50_practices(client, db, django_assert_num_queries, rows):
    for _ in range(rows):
        make_practice(themes=["food"])
    with django_assert_num_queries(1):  # the page, assembled by PostgreSQL (no count: cursor pages)
        client.get(API)
    with django_assert_num_queries(1):
        client.get(API, {"format": "geojson"})


def test_a_member_adds_a_draft_to_their_lab(lab, member):
    response = client_for(member).post(API, new_practice(lab), content_type="application/json")
    assert response.status_code == 201, response.content
    practice = Practice.objects.get(slug=response.json()["slug"])
    assert (practice.state, practice.lab, practice.created_by) == (S.DRAFT, lab, member)
    assert sorted(practice.themes.values_list("slug", flat=True)) == ["food", "solidarity"]


def test_a_member_cannot_add_to_another_lab(member, other_lab):
    response = client_for(member).post(API, new_practice(other_lab), content_type="application/json")
    assert response.status_code == 400
    assert "lab" in response.json()
    assert not Practice.objects.exists()


def test_a_visitor_cannot_add_anything(client, db):
    assert client.post(API, new_practice(), content_type="application/json").status_code == 403


def test_a_contributors_suggestion_through_the_api_reaches_the_coordinators_queue(contributor, coordinator):
    response = client_for(contributor).post(API, new_practice(), content_type="application/json")
    assert response.status_code == 201
    practice = Practice.objects.get()
    assert (practice.state, practice.lab) == (S.SUBMITTED, None)
    queue = client_for(coordinator).get(reverse("practices:moderation"))
    assert practice.title in queue.text


def test_a_members_practice_without_a_lab_goes_to_the_lab_whose_territory_holds_it(member, lab, facilitator):
    lab.territory = MultiPolygon(Polygon.from_bbox((13.0, 37.9, 13.6, 38.3)), srid=4326)
    lab.save()
    response = client_for(member).post(API, new_practice(), content_type="application/json")
    assert response.status_code == 201
    practice = Practice.objects.get()
    assert (practice.state, practice.lab) == (S.SUBMITTED, lab)
    assert practice.title in client_for(facilitator).get(reverse("practices:moderation")).text


def test_the_main_theme_given_through_the_api_is_among_the_themes(member, lab):
    body = new_practice(lab=lab, primary_theme="food", themes=["energy"])
    response = client_for(member).post(API, body, content_type="application/json")
    assert response.status_code == 201
    assert sorted(Practice.objects.get().themes.values_list("slug", flat=True)) == ["energy", "food"]
    assert response.json()["title"] in client_for(member).get(API, {"theme": "food"}).text


def test_changing_the_main_theme_alone_adds_it_to_the_themes(member, lab):
    practice = make_practice(lab=lab, themes=["energy"], state="draft")
    url = f"{API}{practice.slug}/"
    response = client_for(member).patch(url, {"primary_theme": "care"}, content_type="application/json")
    assert response.status_code == 200
    assert sorted(practice.themes.values_list("slug", flat=True)) == ["care", "energy"]


def test_an_end_date_before_the_stored_start_date_is_a_field_error(member, lab):
    practice = make_practice(lab=lab, start_date=datetime.date(2024, 5, 1), state="draft")
    url = f"{API}{practice.slug}/"
    response = client_for(member).patch(url, {"end_date": "2024-01-01"}, content_type="application/json")
    assert response.status_code == 400
    assert "end_date" in response.json()


def test_a_practice_one_may_see_but_not_edit_answers_404_to_an_edit_like_a_missing_one(outsider, lab):
    practice = make_practice(lab=lab)  # published: the outsider sees it
    url = f"{API}{practice.slug}/"
    assert client_for(outsider).get(url).status_code == 200
    patch = client_for(outsider).patch(url, {"title": "Mine now"}, content_type="application/json")
    missing = client_for(outsider).patch(f"{API}no-such-practice/", {"title": "x"}, content_type="application/json")
    assert patch.status_code == missing.status_code == 404


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "Point", "coordinates": [13.3, 38.1, 5]},
        {"type": "Point", "coordinates": [1e308, 38.1]},
        {"type": "LineString", "coordinates": [[13.3, 38.1], [13.4, 38.2]]},
    ],
)
def test_an_odd_location_is_a_field_error_not_a_server_error(member, lab, geometry):
    body = new_practice(lab=lab, location=geometry)
    response = client_for(member).post(API, body, content_type="application/json")
    assert response.status_code == 400
    assert "location" in response.json()
    assert not Practice.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("themes", ["food", "unicorns"]),
        ("sdgs", [18]),
        ("location", {"type": "Point", "coordinates": [200, 38]}),
        ("location", {"type": "Point", "coordinates": "north"}),
        ("title", "<script>alert(1)</script>"),
        ("description", "[click](javascript:alert(1))"),
        ("end_date", "1999-01-01"),
        ("country", "Atlantis"),
    ],
)
def test_bad_input_is_a_400_at_the_field_and_nothing_is_saved(lab, member, field, value):
    data = new_practice(lab, **{field: value}, start_date="2020-01-01")
    response = client_for(member).post(API, data, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Practice.objects.exists()


def test_field_errors_come_in_the_readers_language(lab, member):
    response = client_for(member).post(
        API, new_practice(lab, title="<b>x</b>"), content_type="application/json", HTTP_ACCEPT_LANGUAGE="it"
    )
    assert "Scrivi testo semplice" in response.json()["title"][0]


def test_a_member_edits_a_practice_of_their_lab(lab, member):
    practice = make_practice(lab=lab, state=S.DRAFT)
    response = client_for(member).patch(f"{API}{practice.slug}/", {"city": "Monreale"}, content_type="application/json")
    assert response.status_code == 200
    practice.refresh_from_db()
    assert practice.city == "Monreale"


def test_an_outsider_cannot_edit_a_published_practice_of_another_lab(lab, outsider):
    practice = make_practice(lab=lab)
    response = client_for(outsider).patch(f"{API}{practice.slug}/", {"city": "X"}, content_type="application/json")
    assert response.status_code == 404
    practice.refresh_from_db()
    assert practice.city == "Palermo"


def test_an_outsider_cannot_even_see_a_draft_of_another_lab_to_edit_it(lab, outsider):
    practice = make_practice(lab=lab, state=S.DRAFT)
    response = client_for(outsider).patch(f"{API}{practice.slug}/", {"city": "X"}, content_type="application/json")
    assert response.status_code == 404


def test_the_state_cannot_be_set_through_the_api(lab, member):
    practice = make_practice(lab=lab, state=S.DRAFT)
    client_for(member).patch(f"{API}{practice.slug}/", {"state": "published"}, content_type="application/json")
    practice.refresh_from_db()
    assert practice.state == S.DRAFT


def test_nothing_can_be_deleted_through_the_api(lab, coordinator):
    practice = make_practice(lab=lab)
    assert client_for(coordinator).delete(f"{API}{practice.slug}/").status_code == 405


def test_a_self_intersecting_area_is_refused(lab, member):
    bowtie = {"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]]}
    data = {
        "name": "Orto",
        "kind": "community_garden",
        "country": "IT",
        "lab": lab.slug,
        "location": {"type": "Point", "coordinates": [0.5, 0.5]},
        "area": bowtie,
    }
    response = client_for(member).post("/api/v1/spaces/", data, content_type="application/json")
    assert response.status_code == 400
    assert "area" in response.json()


def test_spaces_list_hides_drafts_from_visitors(client, lab):
    make_space(name="Open", lab=lab)
    make_space(name="Hidden", lab=lab, state=S.DRAFT)
    assert [r["name"] for r in client.get("/api/v1/spaces/").json()["results"]] == ["Open"]


def test_the_openapi_schema_and_docs_are_served_without_a_cdn(client, db):
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/").content.decode()
    assert "/static/vendor/redoc/" in docs
    assert "cdn" not in docs.lower()


def test_a_member_cannot_take_a_practice_out_of_their_lab_through_the_api(member, lab):
    practice = make_practice(lab=lab, state="draft")
    url = f"{API}{practice.slug}/"
    response = client_for(member).patch(url, {"lab": None}, content_type="application/json")
    assert response.status_code == 400
    assert "lab" in response.json()
    practice.refresh_from_db()
    assert practice.lab == lab
