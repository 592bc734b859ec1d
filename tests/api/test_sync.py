"""A partner keeps a copy of the practices up to date with modified_since and cursor pages."""

import pytest
from django.utils import timezone

from tests.conftest import client_for
from tests.factories import make_practice, make_space

API = "/api/v1/practices/"


def walk(client, url: str, params: dict, between=None) -> list[dict]:
    rows, first = [], True
    while url:
        body = client.get(url, params if first else None).json()
        rows += body.get("results", body.get("features"))
        url, first = body["next"], False
        if between is not None and url:
            between()
    return rows


def test_a_partner_syncing_by_pages_sees_every_row_once_even_when_rows_are_added_between_pages(client, db):
    since = timezone.now()
    made = [make_practice().slug for _ in range(5)]

    def add():
        made.append(make_practice().slug)

    rows = walk(client, API, {"modified_since": since.isoformat(), "page_size": 2}, between=add)
    seen = [row["slug"] for row in rows]
    assert sorted(seen) == sorted(made)  # none skipped, none repeated
    assert len(seen) == len(set(seen))


def test_a_sync_brings_only_what_changed_since(client, db):
    old = make_practice()
    since = timezone.now()
    new = make_practice()
    slugs = {row["slug"] for row in walk(client, API, {"modified_since": since.isoformat()})}
    assert new.slug in slugs and old.slug not in slugs


def test_an_archived_practice_comes_back_as_gone(client, db):
    practice = make_practice()
    since = timezone.now()
    practice.state = "archived"
    practice.save()
    rows = walk(client, API, {"modified_since": since.isoformat()})
    assert rows == [{"slug": practice.slug, "gone": True, "updated_at": rows[0]["updated_at"]}]
    features = walk(client, API, {"modified_since": since.isoformat(), "format": "geojson"})
    assert features[0]["id"] == practice.slug and features[0]["geometry"] is None
    assert features[0]["properties"]["gone"] is True


def test_a_sync_never_reveals_a_draft_that_was_never_published(client, lab):
    since = timezone.now()
    draft = make_practice(state="draft", lab=lab, title="Secret plan")
    archived_draft = make_practice(state="draft", lab=lab)
    archived_draft.state = "archived"
    archived_draft.save()
    for form in ("json", "geojson", "api"):
        body = client.get(API, {"modified_since": since.isoformat(), "format": form}).content.decode()
        assert draft.slug not in body and archived_draft.slug not in body


def test_a_member_syncs_their_labs_drafts_and_sees_no_tombstone_for_them(lab, member):
    since = timezone.now()
    draft = make_practice(state="draft", lab=lab)
    rows = walk(client_for(member), API, {"modified_since": since.isoformat()})
    assert [(row["slug"], "gone" in row) for row in rows] == [(draft.slug, False)]


def test_spaces_sync_with_tombstones_too(client, db):
    space = make_space()
    since = timezone.now()
    space.state = "archived"
    space.save()
    rows = walk(client, "/api/v1/spaces/", {"modified_since": since.isoformat()})
    assert [(row["slug"], row["gone"]) for row in rows] == [(space.slug, True)]


@pytest.mark.parametrize("value", ["yesterday", "2025-13-01", "2025-01-01T25:00"])
def test_a_bad_modified_since_is_a_400_naming_it(client, db, value):
    response = client.get(API, {"modified_since": value})
    assert response.status_code == 400 and "modified_since" in response.json()


def test_a_date_alone_is_its_midnight(client, db):
    make_practice()
    assert client.get(API, {"modified_since": "2000-01-01"}).json()["results"]


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+23:59", "1900-01-01T00:00:00-23:59"])
def test_a_far_offset_is_read_in_utc_or_refused_never_a_server_error(client, db, value):
    make_practice()
    for endpoint in (API, "/api/v1/relationships/", "/api/v1/organisations/"):
        assert client.get(endpoint, {"modified_since": value}).status_code in (200, 400)
