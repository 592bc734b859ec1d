import json
import math

import pytest
from django.contrib.gis.geos import Point

from labs.moderation import ModerationState
from practices.models import PracticeTranslation
from practices.tiles import tile_bounds
from tests.conftest import client_for
from tests.factories import make_practice, make_space


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


LYON_TILE = "/tiles/practices/8/{}/{}.geojson".format(*tile_of(4.84, 45.76, 8))


def features(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return json.loads(response.content)["features"]


def lyon(**kwargs):
    kwargs.setdefault("location", Point(4.84, 45.76, srid=4326))
    kwargs.setdefault("city", "Lyon")
    kwargs.setdefault("country", "FR")
    return make_practice(**kwargs)


def test_tile_bounds_follow_the_web_map_grid():
    west, south, east, north = tile_bounds(1, 1, 0)
    assert (west, east) == (0, 180)
    assert round(north, 4) == 85.0511 and south == 0


def test_a_published_practice_is_on_its_tile_with_its_theme_colour(client, db):
    lyon(title="Jardin des Pentes", themes=["food"], primary_theme_id=None)
    practice = lyon(title="AMAP de la Croix-Rousse")
    from practices.models import Theme

    practice.primary_theme = Theme.objects.get(slug="food")
    practice.save()
    found = features(client.get(LYON_TILE))
    assert sum(f["properties"]["count"] for f in found) == 2


def test_a_single_practice_carries_its_title_in_the_readers_language(client, db):
    practice = lyon(title="Cantine solidaire", original_language="fr")
    PracticeTranslation.objects.create(practice=practice, language="it", title="Mensa solidale")
    [feature] = features(client.get(LYON_TILE + "?lang=it"))
    assert feature["properties"] == {
        "count": 1,
        "theme": None,
        "colour": None,
        "slug": practice.slug,
        "title": "Mensa solidale",
    }


@pytest.mark.parametrize("state", ["draft", "submitted", "rejected", "archived"])
def test_a_tile_never_shows_what_is_not_published_even_to_its_lab(lab, member, state):
    lyon(lab=lab, state=state)
    assert features(client_for(member).get(LYON_TILE)) == []


def test_many_practices_in_one_place_come_as_one_cluster_with_their_count(client, db):
    for _ in range(30):
        lyon()
    [cluster] = features(client.get("/tiles/practices/4/8/5.geojson"))
    assert cluster["properties"]["count"] == 30
    assert cluster["properties"]["slug"] is None


def test_a_tile_answers_in_bounded_size_whatever_the_number_of_practices(client, db):
    for i in range(60):
        lyon(location=Point(1 + i * 1.4, 1 + (i % 7) * 9, srid=4326))
    found = features(client.get("/tiles/practices/2/2/1.geojson"))
    assert len(found) <= 25
    assert sum(f["properties"]["count"] for f in found) == 60


def test_tiles_follow_the_filters(client, db):
    lyon(themes=["food"])
    lyon(themes=["energy"])
    found = features(client.get(LYON_TILE + "?theme=energy"))
    assert sum(f["properties"]["count"] for f in found) == 1


def test_a_new_published_practice_appears_on_a_cached_tile(client, db):
    assert features(client.get(LYON_TILE)) == []
    lyon()
    assert len(features(client.get(LYON_TILE))) == 1


@pytest.mark.parametrize(
    "path", ["/tiles/practices/3/8/0.geojson", "/tiles/parcels/3/1/1.geojson", "/tiles/practices/25/0/0.geojson"]
)
def test_tiles_outside_the_grid_or_unknown_layers_answer_404(client, db, path):
    assert client.get(path).status_code == 404


def test_an_unknown_filter_value_answers_400_with_the_field(client, db):
    response = client.get(LYON_TILE + "?theme=unicorns")
    assert response.status_code == 400
    assert "theme" in response.json()["errors"]


def test_spaces_have_their_own_layer(client, db):
    make_space(name="Maison des solidarités", location=Point(4.84, 45.76, srid=4326))
    make_space(name="Hidden", location=Point(4.84, 45.76, srid=4326), state="draft")
    [feature] = features(client.get(LYON_TILE.replace("practices", "spaces")))
    assert feature["properties"]["title"] == "Maison des solidarités"


@pytest.mark.parametrize("rows", [1, 50])
def test_a_tile_runs_the_same_queries_for_1_or_50_practices(client, db, django_assert_num_queries, rows):
    for _ in range(rows):
        lyon(themes=["food"])
    with django_assert_num_queries(3):  # the themes of the filter, the map version, and the tile itself
        client.get(LYON_TILE + "?theme=food")


def test_map_page_lists_published_practices_as_the_alternative_to_markers(client, lab):
    lyon(title="Jardin des Pentes")
    lyon(title="Brouillon", lab=lab, state=ModerationState.DRAFT)
    text = client.get("/en/map/").text
    assert 'href="#results"' in text
    assert "Jardin des Pentes" in text
    assert "Brouillon" not in text
    assert "1 practice" in text


def test_map_results_follow_the_box_and_filters(client, db):
    lyon(title="Jardin des Pentes", themes=["food"])
    make_practice(title="Orto di Ballarò", themes=["food"])
    text = client.get("/en/map/results/?bbox=4,45,6,46&theme=food").text
    assert "Jardin des Pentes" in text
    assert "Orto di Ballarò" not in text


def test_a_bad_box_is_a_translated_field_error_not_a_crash(client, db):
    response = client.get("/fr/map/?bbox=200,0,10,10")
    assert response.status_code == 200
    assert "0 pratique" in response.text
    assert "La zone doit se trouver entre -180..180 et -90..90" in response.text


@pytest.mark.parametrize("rows", [1, 50])
def test_map_results_run_the_same_queries_for_1_or_50_practices(client, db, django_assert_num_queries, rows):
    for _ in range(rows):
        lyon(themes=["food"])
    client.get("/en/map/results/")
    with django_assert_num_queries(6):
        client.get("/en/map/results/?theme=food")


def test_search_finds_italian_words_in_an_italian_description(client, db):
    make_practice(
        title="Spesa sospesa", original_language="it", description="Distribuiamo pacchi alimentari alle famiglie"
    )
    make_practice(title="Repair café", original_language="en", description="We repair bicycles")
    text = client.get("/en/map/results/?q=alimentare").text
    assert "Spesa sospesa" in text
    assert "Repair café" not in text


def test_search_finds_a_translation_in_its_own_language(client, db):
    practice = make_practice(title="Spesa sospesa", original_language="it")
    PracticeTranslation.objects.create(
        practice=practice, language="en", title="Suspended groceries", description="Neighbours paying for groceries"
    )
    assert "Suspended groceries" in client.get("/en/map/results/?q=neighbour").text


def test_search_forgives_a_typo_in_a_title(client, db):
    make_practice(title="Cooperativa di comunità Melpignano")
    assert "Melpignano" in client.get("/en/map/results/?q=Melpignamo").text


def map_config(response) -> dict:
    return response.context["map_config"]


def test_the_map_page_says_which_layers_have_something_to_draw(client, db):
    lyon()
    assert map_config(client.get("/en/map/"))["layers"] == {"practices": True, "spaces": False}
    make_space(state="draft")
    assert map_config(client.get("/en/map/"))["layers"] == {"practices": True, "spaces": False}
    make_space()
    assert map_config(client.get("/en/map/"))["layers"] == {"practices": True, "spaces": True}


def test_the_map_page_gives_the_map_version_its_tiles_are_cached_for(client, db):
    before = map_config(client.get("/en/map/"))["version"]
    lyon()
    assert map_config(client.get("/en/map/"))["version"] != before


def test_no_spaces_checkbox_when_no_space_is_published(client, db):
    assert b'id="show-spaces"' not in client.get("/en/map/").content
    make_space()
    assert b'id="show-spaces"' in client.get("/en/map/").content
