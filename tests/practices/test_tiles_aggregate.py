"""The map's precomputed cells (practices_mapcell) and the tile cache in front of the filters, seen from the outside."""

import json
import random

import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from labs.moderation import ModerationState
from practices import map_views
from practices.map_views import public_practices, public_spaces
from practices.models import Practice, Space, Theme
from practices.tiles import AGGREGATE_MAX_ZOOM, render_aggregate_tile, render_live_tile
from tests.factories import make_practice, make_space

# Tiles over western Europe at every aggregated zoom level, and the whole world.
TILES = [(0, 0, 0), (1, 1, 0), (2, 2, 1), (3, 4, 2), (4, 8, 5), (5, 16, 11), (6, 33, 22), (7, 66, 45), (8, 133, 90)]


def markers(body: str) -> list[tuple]:
    found = json.loads(body)["features"]
    return sorted(
        (tuple(f["geometry"]["coordinates"]), *sorted((k, str(v)) for k, v in f["properties"].items())) for f in found
    )


def assert_same_tiles():
    for z, x, y in TILES:
        for language in ("en", "it"):
            live = render_live_tile("practices", public_practices(), z, x, y, language)
            assert markers(render_aggregate_tile("practices", z, x, y, language)) == markers(live), (z, x, y)
        live = render_live_tile("spaces", public_spaces(), z, x, y, "en")
        assert markers(render_aggregate_tile("spaces", z, x, y, "en")) == markers(live), (z, x, y)


def somewhere(rng: random.Random) -> Point:
    # Around Lyon, so that many rows share cells at every zoom level, and a few on exact cell edges.
    if rng.random() < 0.1:
        return Point(rng.choice([0.0, 2.8125, 5.625]), rng.choice([45.0, 46.0]), srid=4326)
    return Point(4.84 + rng.uniform(-3, 3), 45.76 + rng.uniform(-2, 2), srid=4326)


def test_the_precomputed_cells_give_the_same_tiles_as_the_live_query_through_drafts_moves_and_deletes(db):
    rng = random.Random(11)
    themes = list(Theme.objects.all())
    states = [ModerationState.PUBLISHED] * 3 + [ModerationState.DRAFT, ModerationState.ARCHIVED]
    practices = [
        make_practice(location=somewhere(rng), state=rng.choice(states), primary_theme=rng.choice(themes + [None]))
        for _ in range(60)
    ]
    spaces = [make_space(location=somewhere(rng), state=rng.choice(states)) for _ in range(20)]
    assert_same_tiles()
    for _ in range(40):
        row = rng.choice(practices + spaces)
        change = rng.choice(["move", "state", "theme", "title"])
        if change == "move":
            row.location = somewhere(rng)
        elif change == "state":
            row.state = rng.choice(states)
        elif change == "theme" and isinstance(row, Practice):
            row.primary_theme = rng.choice(themes + [None])
        else:
            setattr(row, "title" if isinstance(row, Practice) else "name", f"Renamed {rng.random()}")
        row.save()
    assert_same_tiles()
    Practice.objects.filter(pk__in=[p.pk for p in practices[:15]]).delete()
    Space.objects.filter(pk__in=[s.pk for s in spaces[:5]]).delete()
    Practice.objects.filter(pk__in=[p.pk for p in practices[15:30]]).update(state=ModerationState.DRAFT)
    assert_same_tiles()


@pytest.mark.parametrize("state", [ModerationState.DRAFT, ModerationState.ARCHIVED, ModerationState.SUBMITTED])
def test_a_visitor_never_sees_a_practice_that_is_not_published_on_a_low_zoom_tile(client, db, state):
    practice = make_practice(title="Secret garden", location=Point(4.84, 45.76, srid=4326), state=state)
    for z, x, y in TILES:
        assert json.loads(client.get(f"/tiles/practices/{z}/{x}/{y}.geojson").content)["features"] == []
    practice.state = ModerationState.PUBLISHED
    practice.save()
    shown = json.loads(client.get("/tiles/practices/4/8/5.geojson").content)["features"]
    assert [f["properties"]["title"] for f in shown] == ["Secret garden"]
    practice.state = state
    practice.save()
    assert json.loads(client.get("/tiles/practices/4/8/5.geojson").content)["features"] == []


def test_a_lone_practice_on_a_low_zoom_tile_carries_its_current_title(client, db):
    practice = make_practice(title="Old name", location=Point(4.84, 45.76, srid=4326))
    Practice.objects.filter(pk=practice.pk).update(title="New name")  # no save(): nothing bumps the map's version
    assert "New name" in render_aggregate_tile("practices", 4, 8, 5, "en")


def test_the_cells_stop_at_the_zoom_level_the_tiles_read_them_to(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT practices_mapcell_max_zoom()")
        assert cursor.fetchone()[0] == AGGREGATE_MAX_ZOOM


def test_an_unfiltered_low_zoom_tile_reads_the_cells_not_the_practices(client, db, django_assert_num_queries):
    for _ in range(5):
        make_practice(location=Point(4.84, 45.76, srid=4326))
    with django_assert_num_queries(2) as queries:  # the map's version and the tile
        client.get("/tiles/practices/4/8/5.geojson")
    assert "practices_mapcell" in queries.captured_queries[-1]["sql"]


def test_a_cached_tile_is_served_without_building_the_filters(client, db, monkeypatch, django_assert_num_queries):
    make_practice(location=Point(4.84, 45.76, srid=4326), themes=["food"])
    first = client.get("/tiles/practices/8/131/90.geojson?theme=food&lang=en")
    assert first.status_code == 200

    def refuse(*args, **kwargs):
        raise AssertionError("the filters were built for a cached tile")

    monkeypatch.setattr(map_views.PracticeFilter, "__init__", refuse)
    with django_assert_num_queries(1):  # the map's version
        again = client.get("/tiles/practices/8/131/90.geojson?lang=en&v=3&theme=food&theme=&utm_source=x")
    assert again.content == first.content


def test_a_bad_filter_answers_400_every_time_and_is_never_cached(client, db):
    for _ in range(2):
        response = client.get("/tiles/practices/4/8/5.geojson?theme=no-such-theme")
        assert response.status_code == 400
        assert "theme" in response.json()["errors"]


def test_a_filtered_tile_shows_only_what_the_filter_keeps(client, db):
    make_practice(title="Food", location=Point(4.84, 45.76, srid=4326), themes=["food"])
    make_practice(title="Draft food", location=Point(4.85, 45.76, srid=4326), themes=["food"], state="draft")
    make_practice(title="Other", location=Point(4.86, 45.77, srid=4326))
    shown = json.loads(client.get("/tiles/practices/4/8/5.geojson?theme=food").content)["features"]
    assert [(f["properties"]["count"], f["properties"]["title"]) for f in shown] == [(1, "Food")]
