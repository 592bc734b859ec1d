"""The demo's practices: what the SUSY file says, mapped to our vocabularies, and every map filter finding some.

The whole file is imported once for this module (about a minute): the filters are only worth testing on it.
"""

import json
from pathlib import Path

import pytest
from django.db import transaction
from django.db.models import Q
from django.http import QueryDict

from conect.management.commands.load_demo import load_demo
from labs.models import Lab
from practices.demo import SUSY_SOURCE, susy_terms
from practices.filters import PracticeFilter
from practices.map_views import public_practices
from practices.models import Practice, Theme
from practices.vocabularies import (
    SUSY_CATEGORIES,
    SUSY_CATEGORY_ALIASES,
    SUSY_WORDS,
    PracticeStatus,
    ResilienceDimension,
    Scale,
    TargetGroup,
)

SUSY = Path(__file__).resolve().parents[2] / "practices" / "data" / "susy-ssedas.geojson"
# The categories that name no field of practice: organisations, partners, "other".
UNMAPPED_CATEGORIES = {"other", "ngo", "ssedas_partner", "networking_initiative", "other_infraressources"}


def _vocabulary_entries():
    for entry in [*SUSY_CATEGORIES.values(), *SUSY_WORDS.values()]:
        themes, dimensions, groups = entry.split(";")
        yield themes.split(), dimensions.split(), groups.split()


def test_the_susy_tables_name_only_themes_dimensions_and_target_groups_that_exist(db):
    themes = set(Theme.objects.values_list("slug", flat=True))
    for entry_themes, dimensions, groups in _vocabulary_entries():
        assert set(entry_themes) <= themes
        assert set(dimensions) <= set(ResilienceDimension.values)
        assert set(groups) <= set(TargetGroup.values)


def test_every_category_of_the_susy_file_is_mapped_or_known_to_name_no_field():
    found = set()
    for feature in json.loads(SUSY.read_text())["features"]:
        for token in feature["properties"].get("type_of_initiative", "").replace(",", ";").split(";"):
            category = token.strip().casefold()
            found.add(SUSY_CATEGORY_ALIASES.get(category, category))
    assert found - {""} - set(SUSY_CATEGORIES) == UNMAPPED_CATEGORIES


def test_a_food_cooperative_is_food_and_solidarity_economy():
    assert susy_terms({"type_of_initiative": "food_cooperative;farm_shop"}) == (["food", "economy"], [], [])


def test_tags_written_as_keys_and_values_give_target_groups():
    row = {"type_of_initiative": "socialinclusion_empowerment", "women": "refugee", "name": "Women for Refugee Women"}
    assert susy_terms(row) == (["solidarity"], ["social"], ["women", "migrants"])


def test_names_and_descriptions_are_not_read_as_words():
    assert susy_terms({"name": "Housing", "description": "energy", "addr:city": "Care"}) == ([], [], [])


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The whole demo with the SUSY file, once for the module, rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


def _found(**query: str) -> int:
    """How many public practices the map's filters find for one choice, as the map's URL would give it."""
    data = QueryDict(mutable=True)
    for name, value in query.items():
        data.setlist(name, [value])
    practice_filter = PracticeFilter(data, public_practices())
    assert practice_filter.is_valid(), practice_filter.errors
    return practice_filter.qs.count()


@pytest.mark.parametrize("slug", ["solidarity", "housing", "food", "care", "energy", "ecology", "education",
                                  "culture", "economy"])  # fmt: skip
def test_every_theme_finds_demo_practices(demo, db, slug):
    assert _found(theme=slug) > 0


@pytest.mark.parametrize("dimension", ResilienceDimension.values)
def test_every_resilience_dimension_finds_demo_practices(demo, db, dimension):
    assert _found(dimension=dimension) > 0


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("target_group", [g for g in TargetGroup.values if g != TargetGroup.EVERYONE]),
        ("status", [PracticeStatus.ACTIVE, PracticeStatus.ENDED]),
        ("scale", [Scale.NEIGHBOURHOOD, Scale.NATIONAL]),
        ("sdg", ["12"]),
        ("lab", ["palermo", "cluj-napoca", "lyon", "berlin", "sofiya"]),
    ],
)
def test_every_filter_choice_the_demo_uses_finds_practices(demo, db, name, values):
    for value in values:
        assert _found(**{name: value}) > 0, value


def test_the_choices_no_source_gives_find_nothing_rather_than_invented_practices(demo, db):
    assert _found(target_group=TargetGroup.EVERYONE) == 0
    assert _found(status=PracticeStatus.PAUSED) == 0
    assert _found(lab="barcelona") == 0  # the nearest SUSY initiative lies 198 km away


def test_practices_within_30_km_of_a_lab_belong_to_it_and_those_beyond_do_not(demo, db):
    berlin = Lab.objects.get(slug="berlin")
    nearby = Practice.objects.filter(source=SUSY_SOURCE, location__dwithin=(berlin.location, 0.7))
    inside = nearby.filter(location__within=berlin.territory)
    assert inside.count() > 20
    assert set(inside.values_list("lab__slug", flat=True)) == {"berlin"}
    assert set(nearby.exclude(location__within=berlin.territory).values_list("lab", flat=True)) == {None}


def test_no_imported_practice_with_a_text_in_some_language_shows_an_empty_one_in_english(demo, db):
    with_text = Practice.objects.filter(source=SUSY_SOURCE).filter(
        ~Q(description="") | Q(translations__description__gt="")
    )
    shown = [p.localised("en") for p in with_text.distinct().prefetch_related("translations")]
    assert shown and all(text.description for text in shown)


def test_the_imported_practices_keep_the_language_they_are_written_in(demo, db):
    languages = set(Practice.objects.filter(source=SUSY_SOURCE).values_list("original_language", flat=True))
    assert {"en", "de", "fr", "es", "pt", "it"} <= languages


def test_cooperativa_la_ginestra_shows_its_italian_text_on_the_english_page_marked_italian(demo, db, client):
    ginestra = Practice.objects.get(source=SUSY_SOURCE, title="Cooperativa La Ginestra")
    page = client.get(ginestra.get_absolute_url()).content.decode()
    assert '<div class="prose" lang="it"><p>Cooperativa della campagna toscana' in page
    assert "Shown in its original language, Italian: no translation yet." in page


def test_the_temporary_garden_that_ran_until_september_2017_has_ended(demo, db):
    garden = Practice.objects.get(source=SUSY_SOURCE, source_id="76100b453de20da6744eac8670082d04")
    assert (garden.status, str(garden.end_date)) == ("ended", "2017-09-30")
