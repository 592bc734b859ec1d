"""What a partner site reads from the activities API: cursor pages, GeoJSON, CSV, translations, order, sync, tokens."""

import csv
import io

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from tests.activities.conftest import ROLES, soon, user_for
from tests.conftest import client_for
from tests.factories import make_activity, make_programme
from tests.partners.conftest import make_token, token_client

API = "/api/v1/activities/"


def walk(client, params: dict, between=None) -> list[dict]:
    rows, url, first = [], API, True
    while url:
        body = client.get(url, params if first else None).json()
        rows += body.get("results", body.get("features"))
        url, first = body["next"], False
        if between is not None and url:
            between()
    return rows


def test_the_fast_list_says_what_the_serializer_says(client, lab, other_lab):
    activity = make_activity(
        lab=lab, programme=make_programme(), location=Point(23.57, 46.07, srid=4326), country="RO", city="Alba Iulia",
        attendance_total=12, attendance_women=7, closed_at=timezone.now(), starts_at=soon(), time_zone="UTC",
        description="A walk", descriptions={"it": "Una passeggiata"},
    )  # fmt: skip
    activity.other_labs.add(other_lab)
    fast = client.get(API).json()["results"][0]
    detail = client.get(f"{API}{activity.pk}/").json()
    table = next(csv.DictReader(io.StringIO(client.get(API, {"format": "csv"}).content.decode())))
    assert fast == detail
    assert fast["other_labs"] == [other_lab.slug] and fast["lab"] == lab.slug
    assert fast["location"] == {"type": "Point", "coordinates": [23.57, 46.07]}
    assert fast["attendance"]["total"] == 12 and fast["attendance"]["by_gender"]["women"] == 7
    assert table["slug"] == fast["slug"] and table["attendance.by_gender.women"] == "7"
    assert table["other_labs"] == other_lab.slug and table["description"] == "A walk"


def test_a_partner_reads_activities_as_geojson_with_the_licence(client, lab):
    make_activity(lab=lab, location=Point(23.57, 46.07, srid=4326), title="Mapped")
    make_activity(lab=lab, title="Online only")
    body = client.get(API, {"format": "geojson"}).json()
    assert body["type"] == "FeatureCollection" and body["licence"] and body["attribution"]
    features = {feature["properties"]["title"]: feature for feature in body["features"]}
    assert features["Mapped"]["geometry"]["coordinates"] == [23.57, 46.07]
    assert features["Online only"]["geometry"] is None
    assert features["Mapped"]["id"] == client.get(API).json()["results"][0]["slug"]


@pytest.mark.parametrize("language, text", [("it", "Una passeggiata"), ("fr", "A walk"), ("en", "A walk")])
def test_a_reader_gets_the_description_in_their_language_or_english(client, db, language, text):
    make_activity(description="A walk", descriptions={"it": "Una passeggiata"})
    row = client.get(API, {"lang": language}).json()["results"][0]
    assert row["description"] == text and row["description_language"] == ("it" if text != "A walk" else "en")
    assert client.get(API, HTTP_ACCEPT_LANGUAGE=language).json()["results"][0]["description"] == text


def test_a_description_without_english_comes_in_another_language(client, db):
    make_activity(description="", descriptions={"ro": "O plimbare", "it": "Una passeggiata"})
    row = client.get(API, {"lang": "fr"}).json()["results"][0]
    assert (row["description"], row["description_language"]) == ("Una passeggiata", "it")


def test_an_unknown_language_is_a_400_naming_lang(client, db):
    response = client.get(API, {"lang": "xx"})
    assert response.status_code == 400 and "lang" in response.json()


def test_a_partner_orders_activities_newest_first(client, db):
    first, second = make_activity(), make_activity()
    ids = [row["id"] for row in client.get(API, {"ordering": "-id"}).json()["results"]]
    assert ids == [second.pk, first.pk]


BAD = [
    {"ordering": "title; drop"}, {"page_size": "5000"}, {"page_size": "x"}, {"modified_since": "yesterday"},
    {"kind": "picnic"}, {"start": "2024-13-40"},
]  # fmt: skip


@pytest.mark.parametrize("params", BAD)
def test_bad_list_parameters_are_a_400_naming_the_parameter(client, db, params):
    response = client.get(API, params)
    assert response.status_code == 400 and set(params) <= set(response.json())


def test_an_activity_address_that_is_not_a_number_is_missing(client, db):
    assert client.get(f"{API}not-a-number/").status_code == 404
    assert client.get(f"{API}99999999999999999999/").status_code == 404


def test_csv_cells_never_run_as_formulas(client, db):
    make_activity(title='=HYPERLINK("http://evil.example")')
    assert "'=HYPERLINK" in client.get(API, {"format": "csv"}).content.decode()


def test_a_partner_syncing_by_pages_sees_every_activity_once_even_when_added_between_pages(client, db):
    since = timezone.now()
    made = [make_activity().pk for _ in range(5)]
    rows = walk(
        client, {"modified_since": since.isoformat(), "page_size": 2}, between=lambda: made.append(make_activity().pk)
    )
    seen = [row["id"] for row in rows]
    assert sorted(seen) == sorted(made) and len(seen) == len(set(seen))


def test_an_archived_activity_comes_back_as_gone_and_a_draft_never(client, lab):
    shown = make_activity(lab=lab)
    since = timezone.now()
    make_activity(lab=lab, state="draft", title="Secret")
    shown.state = "archived"
    shown.save()
    rows = walk(client, {"modified_since": since.isoformat()})
    assert rows == [{"id": shown.pk, "gone": True, "updated_at": rows[0]["updated_at"]}]


@pytest.mark.parametrize("rows", [1, 30])
def test_every_format_of_the_list_costs_the_same_queries_for_1_or_30(client, lab, django_assert_num_queries, rows):
    for _ in range(rows):
        make_activity(lab=lab, programme=make_programme())
    for params, queries in [({}, 1), ({"format": "geojson"}, 1), ({"format": "csv"}, 3)]:
        with django_assert_num_queries(queries):
            assert client.get(API, params).status_code == 200


def test_a_list_page_says_when_it_last_changed_and_answers_304(client, db):
    make_activity()
    response = client.get(API)
    assert response.status_code == 200 and response["Last-Modified"]
    again = client.get(API, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"], HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


@pytest.mark.parametrize("who", ROLES)
def test_a_draft_opens_only_for_its_lab_people(request, draft, who):
    status = client_for(user_for(request, who)).get(f"{API}{draft.pk}/").status_code
    assert status == (200 if who in ("member", "facilitator", "coordinator") else 404)


def test_a_token_sees_its_owners_drafts_only_with_the_private_scope(member, draft, upcoming):
    def titles(*scopes):
        _token, key = make_token(member, *scopes)
        return {row["title"] for row in token_client(key).get(API).json()["results"]}

    assert titles() == {upcoming.title}
    assert titles("private") == {upcoming.title, draft.title}


def test_a_token_cannot_register_its_owner_without_the_submit_scope(member, upcoming):
    _token, key = make_token(member, "private")
    assert token_client(key).post(f"{API}{upcoming.pk}/registration/", {}, "application/json").status_code == 403
    assert not upcoming.registrations.exists()


def test_programmes_order_and_filter_and_refuse_a_bad_order(client, lab):
    make_programme(title="Beta", lab=lab)
    make_programme(title="Alpha")
    assert [row["title"] for row in client.get("/api/v1/programmes/", {"ordering": "-title"}).json()["results"]] == [
        "Beta", "Alpha"
    ]  # fmt: skip
    assert [row["title"] for row in client.get("/api/v1/programmes/", {"lab": lab.slug}).json()["results"]] == ["Beta"]
    assert "ordering" in client.get("/api/v1/programmes/", {"ordering": "secret"}).json()


@pytest.mark.parametrize("rows", [1, 30])
def test_programmes_cost_the_same_queries_for_1_or_30(client, db, django_assert_num_queries, rows):
    for _ in range(rows):
        make_activity(programme=make_programme())
    with django_assert_num_queries(2):
        client.get("/api/v1/programmes/")


def test_a_bad_filter_asked_as_csv_still_answers_json_naming_it(client, db):
    response = client.get(API, {"format": "csv", "kind": "picnic"})
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert "kind" in response.json()
