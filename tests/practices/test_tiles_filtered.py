"""The map's precomputed cells for one theme, Lab, country, status, scale, resilience dimension or target group
(practices_mapcellby), seen from the outside: the same tiles as the live filtered query through every kind of change,
and never a draft."""

import json
import random

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.http import QueryDict

from labs.moderation import ModerationState
from practices.filters import PracticeFilter, SpaceFilter
from practices.map_views import public_practices, public_spaces
from practices.models import Practice, Space, Theme
from practices.tiles import FILTERED_AGGREGATE_MAX_ZOOM, filtered_dimension, render_aggregate_tile, render_live_tile
from practices.vocabularies import PracticeStatus, ResilienceDimension, Scale, TargetGroup
from tests.factories import make_lab, make_practice, make_space

# Tiles over western Europe at every zoom level the filtered cells hold.
TILES = [(0, 0, 0), (1, 1, 0), (2, 2, 1), (3, 4, 2), (4, 8, 5), (5, 16, 11), (6, 33, 22)]


def markers(body: str) -> list[tuple]:
    found = json.loads(body)["features"]
    return sorted(
        (tuple(f["geometry"]["coordinates"]), *sorted((k, str(v)) for k, v in f["properties"].items())) for f in found
    )


def live(layer: str, query: str, z: int, x: int, y: int, language: str) -> str:
    filterset_class = PracticeFilter if layer == "practices" else SpaceFilter
    queryset = public_practices() if layer == "practices" else public_spaces()
    tile_filter = filterset_class(QueryDict(query), queryset=queryset)
    assert tile_filter.is_valid(), tile_filter.errors
    return render_live_tile(layer, tile_filter.qs, z, x, y, language)


def assert_same_tiles(labs):
    queries = {
        "practices": [f"theme={t.slug}" for t in Theme.objects.all()]
        + [f"lab={lab.slug}" for lab in labs]
        + ["country=FR", "country=IT", "country=CH"]
        + [f"status={value}" for value in PracticeStatus.values]
        + [f"scale={value}" for value in Scale.values]
        + [f"dimension={value}" for value in ResilienceDimension.values]
        + [f"target_group={value}" for value in TargetGroup.values],
        "spaces": [f"lab={lab.slug}" for lab in labs] + ["country=FR", "country=IT"],
    }
    for layer, layer_queries in queries.items():
        for query in layer_queries:
            for z, x, y in TILES:
                dimension = filtered_dimension(layer, z, query)
                assert dimension is not None, query
                for language in ("en", "it") if layer == "practices" else ("en",):
                    from_cells = render_aggregate_tile(layer, z, x, y, language, dimension)
                    assert markers(from_cells) == markers(live(layer, query, z, x, y, language)), (query, z, x, y)


def somewhere(rng: random.Random) -> Point:
    # Around Lyon, so that many rows share cells at every zoom level, and a few on exact cell edges.
    if rng.random() < 0.1:
        return Point(rng.choice([0.0, 2.8125, 5.625]), rng.choice([45.0, 46.0]), srid=4326)
    return Point(4.84 + rng.uniform(-3, 3), 45.76 + rng.uniform(-2, 2), srid=4326)


def some_values(rng: random.Random, values: list[str]) -> list[str]:
    # Now and then one value twice: the live filter (an overlap) counts such a practice once, and so must the cells.
    chosen = rng.sample(values, rng.randint(0, 3))
    return chosen + chosen[:1] if rng.random() < 0.2 else chosen


def practice_fields(rng: random.Random) -> dict:
    """A random status, scale (or none), resilience dimensions and target groups."""
    return {
        "status": rng.choice(PracticeStatus.values),
        "scale": rng.choice(Scale.values + [""]),
        "dimensions": some_values(rng, ResilienceDimension.values),
        "target_groups": some_values(rng, TargetGroup.values),
    }


def test_the_cells_of_one_value_of_a_filter_give_the_same_tiles_as_the_live_filter_through_every_change(db):
    rng = random.Random(11)
    themes = list(Theme.objects.all())
    slugs = [t.slug for t in themes]
    labs = [make_lab(), make_lab()]
    states = [ModerationState.PUBLISHED] * 3 + [ModerationState.DRAFT, ModerationState.ARCHIVED]
    practices = [
        make_practice(
            location=somewhere(rng),
            state=rng.choice(states),
            primary_theme=rng.choice(themes + [None]),
            themes=rng.sample(slugs, rng.randint(0, 3)),
            lab=rng.choice(labs + [None]),
            country=rng.choice(["FR", "IT", "CH"]),
            **practice_fields(rng),
        )
        for _ in range(60)
    ]
    spaces = [
        make_space(
            location=somewhere(rng),
            state=rng.choice(states),
            lab=rng.choice(labs + [None]),
            country=rng.choice(["FR", "IT"]),
        )
        for _ in range(20)
    ]
    assert_same_tiles(labs)
    for _ in range(60):
        row = rng.choice(practices + spaces)
        change = rng.choice(
            ["move", "state", "theme", "themes", "lab", "country", "title", "status", "scale", "dimensions", "groups"]
        )
        if change == "themes" and isinstance(row, Practice):
            if rng.random() < 0.5:
                row.themes.add(rng.choice(themes))
            else:
                row.themes.remove(*rng.sample(themes, 2))
            continue
        if change == "move":
            row.location = somewhere(rng)
        elif change == "state":
            row.state = rng.choice(states)
        elif change == "theme" and isinstance(row, Practice):
            row.primary_theme = rng.choice(themes + [None])
        elif change == "lab":
            row.lab = rng.choice(labs + [None])
        elif change == "country":
            row.country = rng.choice(["FR", "IT", "CH"])
        elif change in ("status", "scale", "dimensions", "groups") and isinstance(row, Practice):
            field = {"groups": "target_groups"}.get(change, change)
            setattr(row, field, practice_fields(rng)[field])
        else:
            setattr(row, "title" if isinstance(row, Practice) else "name", f"Renamed {rng.random()}")
        row.save()
    assert_same_tiles(labs)
    practices[0].themes.set(themes[:4])
    practices[1].themes.clear()
    Practice.objects.filter(pk__in=[p.pk for p in practices[2:15]]).delete()
    Space.objects.filter(pk__in=[s.pk for s in spaces[:5]]).delete()
    Practice.objects.filter(pk__in=[p.pk for p in practices[15:30]]).update(state=ModerationState.DRAFT)
    Practice.objects.filter(lab=labs[1]).update(lab=labs[0])
    Practice.objects.filter(status=PracticeStatus.ACTIVE).update(status=PracticeStatus.ENDED, scale="")
    Practice.objects.filter(pk__in=[p.pk for p in practices[30:45]]).update(
        dimensions=["social", "cultural"], target_groups=[]
    )
    assert_same_tiles(labs)


def test_a_rebuild_gives_the_cells_the_triggers_kept(db):
    rng = random.Random(5)
    slugs = list(Theme.objects.values_list("slug", flat=True))
    lab = make_lab()
    for _ in range(30):
        make_practice(
            location=somewhere(rng), themes=rng.sample(slugs, 2), lab=lab, country="FR", **practice_fields(rng)
        )
    for practice in Practice.objects.all()[:10]:
        practice.location = somewhere(rng)
        practice.status = PracticeStatus.PAUSED
        practice.dimensions = ["economic"]
        practice.save()
    query = "SELECT * FROM practices_mapcellby ORDER BY layer, dim, key, z, cx, cy, theme"
    with connection.cursor() as cursor:
        cursor.execute(query)
        kept = cursor.fetchall()
        assert {row[1] for row in kept} == {"t", "l", "c", "s", "k", "d", "g"}
        cursor.execute("SELECT practices_mapcellby_rebuild()")
        cursor.execute(query)
        assert cursor.fetchall() == kept


@pytest.mark.parametrize("state", [ModerationState.DRAFT, ModerationState.ARCHIVED, ModerationState.SUBMITTED])
def test_a_visitor_never_sees_a_practice_that_is_not_published_on_a_filtered_low_zoom_tile(client, db, state):
    lab = make_lab()
    practice = make_practice(
        title="Secret garden",
        location=Point(4.84, 45.76, srid=4326),
        state=state,
        lab=lab,
        country="FR",
        themes=["food"],
        status="paused",
        scale="city",
        dimensions=["social"],
        target_groups=["youth", "women"],
    )
    filters = [
        "theme=food",
        f"lab={lab.slug}",
        "country=FR",
        "status=paused",
        "scale=city",
        "dimension=social",
        "target_group=women",
    ]
    for query in filters:
        for z, x, y in TILES:
            body = client.get(f"/tiles/practices/{z}/{x}/{y}.geojson?{query}").content
            assert json.loads(body)["features"] == [], (query, z)
    practice.state = ModerationState.PUBLISHED
    practice.save()
    for query in filters:
        shown = json.loads(client.get(f"/tiles/practices/4/8/5.geojson?{query}").content)["features"]
        assert [f["properties"]["title"] for f in shown] == ["Secret garden"]
    practice.themes.clear()
    assert json.loads(client.get("/tiles/practices/4/8/5.geojson?theme=food").content)["features"] == []


def test_a_tile_filtered_on_one_theme_at_a_low_zoom_reads_the_cells_not_the_practices(
    client, db, django_assert_num_queries
):
    for _ in range(5):
        make_practice(location=Point(4.84, 45.76, srid=4326), themes=["food"])
    with django_assert_num_queries(3) as queries:  # the map's version, the theme's id and the tile
        response = client.get("/tiles/practices/4/8/5.geojson?theme=food")
    assert json.loads(response.content)["features"][0]["properties"]["count"] == 5
    assert "practices_mapcellby" in queries.captured_queries[-1]["sql"]


def test_a_tile_filtered_on_one_target_group_at_a_low_zoom_reads_the_cells_not_the_practices(
    client, db, django_assert_num_queries
):
    for groups in (["youth"], ["youth", "women"], ["women"]):
        make_practice(location=Point(4.84, 45.76, srid=4326), target_groups=groups)
    with django_assert_num_queries(2) as queries:  # the map's version and the tile: a choice is checked in Python
        response = client.get("/tiles/practices/4/8/5.geojson?target_group=youth")
    assert json.loads(response.content)["features"][0]["properties"]["count"] == 2
    assert "practices_mapcellby" in queries.captured_queries[-1]["sql"]


@pytest.mark.parametrize(
    "query",
    [
        "theme=food&theme=care",
        "theme=food&country=FR",
        "theme=nowhere",
        "country=XX",
        "sdg=3",
        "q=garden",
        "status=active&status=paused",
        "status=active&scale=city",
        "dimension=social&dimension=economic",
        "target_group=youth&target_group=women",
        "status=gone",
        "scale=planet",
        "dimension=spiritual",
        "target_group=robots",
    ],
)
def test_other_filters_and_combinations_are_answered_live(client, db, query):
    assert filtered_dimension("practices", 4, query) is None


def test_above_the_last_filtered_level_a_theme_is_answered_live(db):
    assert filtered_dimension("practices", FILTERED_AGGREGATE_MAX_ZOOM, "theme=food") is not None
    assert filtered_dimension("practices", FILTERED_AGGREGATE_MAX_ZOOM + 1, "theme=food") is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT practices_mapcellby_max_zoom()")
        assert cursor.fetchone()[0] == FILTERED_AGGREGATE_MAX_ZOOM


@pytest.mark.parametrize(
    "query", ["theme=nowhere", "status=gone", "scale=planet", "dimension=spiritual", "target_group=robots"]
)
def test_a_filter_on_a_value_that_does_not_exist_still_answers_400(client, db, query):
    assert client.get(f"/tiles/practices/4/8/5.geojson?{query}").status_code == 400
