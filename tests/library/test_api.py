"""What a partner site reads from the library's API: cursor pages, CSV, translations, order, sync, tokens."""

import csv
import io

import pytest
from django.utils import timezone

from tests.api.conformance import assert_conforms
from tests.conftest import client_for
from tests.library.helpers import make_resource
from tests.partners.conftest import make_token, token_client

API = "/api/v1/resources/"
ROLES = ["visitor", "outsider", "member", "facilitator", "coordinator"]


def user_for(request, who: str):
    return None if who == "visitor" else request.getfixturevalue(who)


def walk(client, params: dict, between=None) -> list[dict]:
    rows, url, first = [], API, True
    while url:
        body = client.get(url, params if first else None).json()
        rows += body["results"]
        url, first = body["next"], False
        if between is not None and url:
            between()
    return rows


def test_the_fast_list_says_what_the_serializer_says(client, lab):
    resource = make_resource(lab=lab, themes=["housing"], published_year=2020, authors="Ana, Ion")
    fast = client.get(API).json()["results"][0]
    detail = client.get(f"{API}{resource.slug}/").json()
    table = next(csv.DictReader(io.StringIO(client.get(API, {"format": "csv"}).content.decode())))
    assert fast == detail
    assert fast["lab"] == lab.slug and fast["themes"] == ["housing"] and fast["file_url"] is None
    assert fast["link"] == resource.url and fast["page"].endswith(resource.get_absolute_url())
    assert table["slug"] == resource.slug and table["themes"] == "housing" and table["authors"] == "Ana, Ion"


@pytest.mark.parametrize("language, text, served", [("ro", "Un ghid", "ro"), ("de", "A guide", "en")])
def test_a_reader_gets_the_description_in_their_language_or_english(client, db, language, text, served):
    make_resource(description="A guide", descriptions={"ro": "Un ghid"})
    row = client.get(API, {"lang": language}).json()["results"][0]
    assert (row["description"], row["description_language"]) == (text, served)
    table = client.get(API, {"lang": language, "format": "csv"}).content.decode()
    assert next(csv.DictReader(io.StringIO(table)))["description"] == text


@pytest.mark.parametrize("who", ROLES)
def test_a_draft_is_listed_and_opened_only_for_its_lab_people(request, lab, who):
    draft = make_resource(lab=lab, state="draft", title="Unfinished toolkit")
    make_resource(lab=lab, title="Published toolkit")
    client = client_for(user_for(request, who))
    titles = {row["title"] for row in client.get(API).json()["results"]}
    sees = who in ("member", "facilitator", "coordinator")
    assert titles == ({"Published toolkit", "Unfinished toolkit"} if sees else {"Published toolkit"})
    assert client.get(f"{API}{draft.slug}/").status_code == (200 if sees else 404)


def test_a_token_sees_its_owners_drafts_only_with_the_private_scope(member, lab):
    make_resource(lab=lab, state="draft", title="Draft")
    make_resource(lab=lab, title="Public")

    def titles(*scopes):
        _token, key = make_token(member, *scopes)
        return {row["title"] for row in token_client(key).get(API).json()["results"]}

    assert titles() == {"Public"}
    assert titles("private") == {"Public", "Draft"}


def test_nobody_writes_resources_through_the_api(member, lab):
    response = client_for(member).post(API, {"title": "New", "kind": "guide"}, "application/json")
    assert response.status_code == 405 and "detail" in response.json()


def test_a_partner_orders_resources_newest_first_and_filters_them_like_the_page(client, db):
    first, second = make_resource(kind="guide", published_year=2020), make_resource(kind="report")
    assert [row["slug"] for row in client.get(API, {"ordering": "-id"}).json()["results"]] == [second.slug, first.slug]
    assert [row["slug"] for row in client.get(API, {"year": 2020}).json()["results"]] == [first.slug]


BAD = [
    {"ordering": "download_count"}, {"page_size": "1001"}, {"page_size": "0"}, {"modified_since": "31/01/2025"},
    {"kind": "novel"}, {"year": "1800"}, {"theme": "no-such-theme"}, {"lang": "tlh"},
]  # fmt: skip


@pytest.mark.parametrize("params", BAD)
def test_bad_list_parameters_are_a_400_naming_the_parameter(client, db, params):
    response = client.get(API, params)
    assert response.status_code == 400 and set(params) <= set(response.json())


def test_csv_cells_never_run_as_formulas(client, db):
    make_resource(title="@SUM(1+1)", authors="-2+3")
    body = client.get(API, {"format": "csv"}).content.decode()
    assert "'@SUM(1+1)" in body and "'-2+3" in body


def test_a_partner_syncing_by_pages_sees_every_resource_once_even_when_added_between_pages(client, db):
    since = timezone.now()
    made = [make_resource().slug for _ in range(5)]
    params = {"modified_since": since.isoformat(), "page_size": 2}
    seen = [row["slug"] for row in walk(client, params, between=lambda: made.append(make_resource().slug))]
    assert sorted(seen) == sorted(made) and len(seen) == len(set(seen))


def test_an_archived_resource_comes_back_as_gone_and_a_draft_never(client, lab):
    shown = make_resource(lab=lab)
    since = timezone.now()
    make_resource(lab=lab, state="draft")
    shown.state = "archived"
    shown.save()
    rows = walk(client, {"modified_since": since.isoformat()})
    assert rows == [{"slug": shown.slug, "gone": True, "updated_at": rows[0]["updated_at"]}]


@pytest.mark.parametrize("rows", [1, 30])
def test_every_format_of_the_list_costs_the_same_queries_for_1_or_30(client, lab, django_assert_num_queries, rows):
    for _ in range(rows):
        make_resource(lab=lab, themes=["housing"])
    for params, queries in [({}, 1), ({"q": "resource"}, 1), ({"format": "csv"}, 2)]:
        with django_assert_num_queries(queries):
            assert client.get(API, params).status_code == 200


def test_a_resource_says_when_it_last_changed_and_answers_304(client, db):
    resource = make_resource()
    response = client.get(f"{API}{resource.slug}/")
    assert response["Last-Modified"]
    assert client.get(f"{API}{resource.slug}/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_a_resource_without_a_licence_is_read_as_the_schema_says(db, client):
    resource = make_resource()
    response = client.get(f"/api/v1/resources/{resource.slug}/")
    assert response.json()["licence"] == ""
    assert_conforms(response, "/api/v1/resources/{slug}/")  # the schema's licences did not include ""
    assert_conforms(client.get("/api/v1/resources/"), "/api/v1/resources/")


def test_a_resource_that_is_a_file_of_no_lab_is_read_with_an_empty_link_as_the_schema_says(db, client):
    resource = make_resource(content=("notes.txt", b"Notes", "text/plain"))
    response = client.get(f"/api/v1/resources/{resource.slug}/")
    assert (response.json()["link"], response.json()["lab"]) == ("", None)
    assert_conforms(response, "/api/v1/resources/{slug}/")  # the schema said a URI and a Lab's slug
