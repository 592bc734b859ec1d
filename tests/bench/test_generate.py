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
