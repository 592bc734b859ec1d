"""The benchmarks' data generator at a tiny size: what it makes is what the site shows a visitor, and nothing more."""

import html
import math

import pytest
from django.contrib.auth.models import AnonymousUser

from bench import generate
from indicators.models import Measurement
from labs.models import Lab
from networks.models import Network, Organisation, Relationship
from practices.models import Practice, PracticeTranslation, Space
from practices.tiles import tile_bounds
from tests.factories import make_practice

SIZE = 300


@pytest.fixture
def dataset(db):
    return generate.ensure(SIZE, progress=False)


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def on_tile(client, practice: Practice, z: int = 14) -> tuple[int, int]:
    """(practices the tile counts, published practices inside its bounds)."""
    x, y = tile_of(practice.location.x, practice.location.y, z)
    response = client.get(f"/tiles/practices/{z}/{x}/{y}.geojson")
    assert response.status_code == 200
    counted = sum(feature["properties"]["count"] for feature in response.json()["features"])
    west, south, east, north = tile_bounds(z, x, y)
    inside = Practice.objects.visible_to(AnonymousUser()).filter(
        location__within=f"SRID=4326;POLYGON(({west} {south},{east} {south},{east} {north},{west} {north},"
        f"{west} {south}))"
    )
    return counted, inside.count()


def test_the_manifest_counts_what_a_visitor_can_see(dataset):
    visitor = AnonymousUser()
    assert dataset["practices"] == Practice.objects.visible_to(visitor).filter(source="bench").count() >= SIZE * 0.98
    assert dataset["spaces"] == Space.objects.visible_to(visitor).filter(slug__startswith="bench-space-").count()
    assert dataset["organisations"] == Organisation.objects.filter(slug__startswith="bench-org-").count() >= 2000
    assert dataset["measurements"] == Measurement.objects.filter(indicator__framework_id=dataset["framework"]).count()
    assert dataset["measurements"] == SIZE and dataset["activities"] == SIZE // 10
    assert set(dataset["labs"]) == set(Lab.objects.filter(slug__startswith="bench-lab-").values_list("slug", flat=True))
    network = Network.objects.get(slug=dataset["network"])
    assert network.memberships.count() == 2000
    assert Relationship.objects.filter(network=network).count() > 2000
    sample = dataset["sample_practices"]
    assert len(sample) == len(set(sample)) == min(500, dataset["practices"])
    assert Practice.objects.visible_to(visitor).filter(slug__in=sample).count() == len(sample)


def test_generated_practices_are_realistic_and_indexed_with_their_translations(dataset):
    practices = Practice.objects.filter(source="bench")
    assert practices.filter(search_vector__isnull=True).count() == 0
    assert set(practices.values_list("original_language", flat=True)) == {"en", "it", "ro", "fr", "de", "es"}
    assert practices.filter(lab__isnull=False).exists()
    assert not practices.filter(themes__isnull=True).exists()
    translated = PracticeTranslation.objects.filter(practice__source="bench").first()
    assert translated is not None
    word = max(translated.title.split(), key=len).strip(".,;:!?()\"'«»")
    assert Practice.objects.filter(pk=translated.practice_id).search(word).exists()


def test_a_visitor_finds_a_generated_practice_by_the_site_search_and_on_the_map(client, dataset):
    practice = Practice.objects.get(slug=dataset["sample_practices"][0])
    response = client.get("/en/search/", {"q": practice.title})
    assert response.status_code == 200
    assert f"/practices/{practice.slug}/" in response.text
    counted, inside = on_tile(client, practice)
    assert counted == inside >= 1


def test_a_visitor_never_sees_a_generated_draft_submission_or_rejection(client, dataset):
    hidden = list(Practice.objects.filter(source="bench").exclude(state="published"))
    assert {p.state for p in hidden} == {"draft", "submitted", "rejected"}
    for practice in hidden:
        assert client.get(f"/en/practices/{practice.slug}/").status_code == 404
        assert f"/practices/{practice.slug}/" not in client.get("/en/search/", {"q": practice.title}).text
        counted, inside = on_tile(client, practice)
        assert counted == inside
    assert not Space.objects.visible_to(AnonymousUser()).filter(slug__startswith="bench-space-", state="draft")
    assert Space.objects.filter(slug__startswith="bench-space-").exclude(state="published").exists()


def test_a_lab_page_lists_the_generated_practices_of_its_city(client, dataset):
    lab = Practice.objects.filter(source="bench", state="published", lab__isnull=False).first().lab
    titles = Practice.objects.visible_to(AnonymousUser()).filter(lab=lab).values_list("title", flat=True)
    assert titles
    assert not Practice.objects.filter(lab=lab).exclude(city=lab.city).exists()  # a Lab's practices are in its city
    page = client.get(f"/en/labs/{lab.slug}/").text
    assert any(html.escape(title) in page for title in titles)


def test_generating_again_adds_nothing_a_larger_size_adds_the_difference_and_clear_removes_only_its_rows(dataset):
    mine = make_practice(title="A practice somebody wrote")
    assert generate.ensure(SIZE, progress=False) | {"seconds": 0} == dataset | {"seconds": 0}
    larger = generate.ensure(SIZE + 100, progress=False)
    assert (
        larger["practices"] == Practice.objects.filter(source="bench", state="published").count() > dataset["practices"]
    )
    assert larger["measurements"] == SIZE + 100
    generate.clear()
    assert not Practice.objects.filter(source="bench").exists()
    assert not Space.objects.filter(slug__startswith="bench-space-").exists()
    assert not Organisation.objects.filter(slug__startswith="bench-org-").exists()
    assert not Lab.objects.filter(slug__startswith="bench-lab-").exists()
    assert not Network.objects.filter(slug=generate.NETWORK).exists()
    assert Practice.objects.filter(pk=mine.pk).exists()
    assert generate.manifest()["practices"] == 0


def snapshot() -> dict:
    """Every generated row, without the load's own timestamps, ids counted from each table's first generated id, Labs
    by their slugs."""
    from django.db import connection

    tables = {
        "practices_practice": "source = 'bench'",
        "practices_space": "slug LIKE 'bench-space-%%'",
        "networks_organisation": "slug LIKE 'bench-org-%%'",
        "activities_activity": "slug LIKE 'bench-act-%%'",
        "library_resource": "slug LIKE 'bench-res-%%'",
    }
    found = {}
    with connection.cursor() as cursor:
        for table, where in tables.items():
            cursor.execute(f"SELECT min(id) FROM {table} WHERE {where}")
            first = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT (to_jsonb(t) - 'created_at' - 'updated_at' - 'state_changed_at' - 'id'"
                f" || jsonb_build_object('lab_id', (SELECT slug FROM labs_lab WHERE id = t.lab_id)))::text, t.id - %s"
                f" FROM {table} t WHERE {where} ORDER BY t.id",
                [first],
            )
            found[table] = cursor.fetchall()
        cursor.execute(
            "SELECT p.slug, x.theme_id FROM practices_practice_themes x"
            " JOIN practices_practice p ON p.id = x.practice_id WHERE p.source = 'bench' ORDER BY 1, 2"
        )
        found["themes"] = cursor.fetchall()
        cursor.execute(
            "SELECT p.slug, t.language, t.title, t.summary, t.description FROM practices_practicetranslation t"
            " JOIN practices_practice p ON p.id = t.practice_id WHERE p.source = 'bench' ORDER BY 1, 2"
        )
        found["translations"] = cursor.fetchall()
        cursor.execute("SELECT layer, z, cx, cy, theme, n, sx, sy FROM practices_mapcell ORDER BY 1, 2, 3, 4, 5")
        found["map cells"] = cursor.fetchall()
    return found


@pytest.fixture
def vocabularies(transactional_db):
    """This test commits (the parallel load needs connections of its own): put the themes and SDGs back first."""
    import importlib

    from django.apps import apps

    importlib.import_module("practices.migrations.0002_themes_and_sdgs").load(apps, None)


def test_two_connections_load_the_same_rows_as_one_and_the_map_counts_them_all(client, vocabularies, monkeypatch):
    from django.db import connection

    monkeypatch.setattr(generate, "CHUNK", 40)  # several chunks per table, so the two connections share them
    generate.ensure(150, progress=False, workers=1)
    serial = snapshot()
    generate.clear()
    generate.ensure(150, progress=False, workers=2)
    parallel = snapshot()
    assert len(parallel["practices_practice"]) == generate.rows_for(150)
    for table, rows in serial.items():
        assert parallel[table] == rows, table
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE '%%mapcell%%' AND tgenabled <> 'O'")
        assert cursor.fetchall() == []  # the map's triggers are on again
        cursor.execute("SELECT practices_mapcell_rebuild()")
    assert snapshot()["map cells"] == parallel["map cells"]
    for practice in Practice.objects.filter(source="bench").order_by("id")[::17]:
        for z in (3, 6, 14):  # the precomputed cells and the live query
            counted, inside = on_tile(client, practice, z)
            assert counted == inside
    generate.clear()
