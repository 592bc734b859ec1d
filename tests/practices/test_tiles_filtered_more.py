"""Migration 0020 both ways: back, the cells of status, scale, dimension and target group are gone and the old
triggers write none; forward again, they are counted as a rebuild would count them, and kept by the new triggers."""

import importlib
import inspect
import random

from django.db import connection

from labs.moderation import ModerationState
from practices.filters import PracticeFilter, SpaceFilter
from practices.models import Practice
from practices.tiles import _DIMENSIONS
from practices.vocabularies import PracticeStatus
from tests.factories import make_practice
from tests.practices.test_tiles_filtered import practice_fields, somewhere

MIGRATION = importlib.import_module("practices.migrations.0020_map_cells_by_status_scale_dimension_group")
NEW_DIMS = {"s", "k", "d", "g"}


def cells() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM practices_mapcellby ORDER BY layer, dim, key, z, cx, cy, theme")
        return cursor.fetchall()


def rebuilt() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT practices_mapcellby_rebuild()")
    return cells()


def test_migration_0020_back_drops_the_new_cells_and_forward_counts_them_as_a_rebuild_does(db):
    rng = random.Random(3)
    states = [ModerationState.PUBLISHED] * 3 + [ModerationState.DRAFT]
    for _ in range(40):
        make_practice(location=somewhere(rng), state=rng.choice(states), country="FR", **practice_fields(rng))
    kept = cells()
    assert {row[1] for row in kept} >= NEW_DIMS

    with connection.cursor() as cursor:
        cursor.execute(MIGRATION.backward())
    assert cells() == [row for row in kept if row[1] not in NEW_DIMS]
    Practice.objects.update(status=PracticeStatus.PAUSED, scale="city", dimensions=["social"])
    assert not {row[1] for row in cells()} & NEW_DIMS  # the old triggers
    assert rebuilt() == cells()  # the old rebuild

    with connection.cursor() as cursor:
        cursor.execute(MIGRATION.forward())
    counted = cells()
    assert {row[1:3] for row in counted if row[1] in "skd"} == {("s", "paused"), ("k", "city"), ("d", "social")}
    assert rebuilt() == counted

    Practice.objects.filter(pk__in=Practice.objects.order_by("pk")[:20]).update(status=PracticeStatus.ENDED)
    changed = cells()
    assert ("s", "ended") in {row[1:3] for row in changed}  # the new triggers
    assert rebuilt() == changed


# What the cells count for each filter (migrations 0018 and 0020): (filter class, field, how it selects).
CELL_MEANINGS = {
    ("practices", "theme"): ("ModelMultipleChoiceFilter", "themes__slug", "filter_exists"),
    ("practices", "lab"): ("ModelChoiceFilter", "lab", None),
    ("practices", "country"): ("MultipleChoiceFilter", "country", None),
    ("practices", "status"): ("MultipleChoiceFilter", "status", None),
    ("practices", "scale"): ("MultipleChoiceFilter", "scale", None),
    ("practices", "dimension"): ("MultipleChoiceFilter", "dimensions", "filter_array"),
    ("practices", "target_group"): ("MultipleChoiceFilter", "target_groups", "filter_array"),
    ("spaces", "lab"): ("ModelChoiceFilter", "lab", None),
    ("spaces", "country"): ("MultipleChoiceFilter", "country", None),
}


def test_each_filter_the_cells_answer_still_selects_what_the_cells_count():
    """A filter changed in practices/filters.py (another field, a lookup, "all of" instead of "any of", a choice of
    "none") would make its precomputed tiles answer another question than its list: this fails first."""
    for layer, names in _DIMENSIONS.items():
        filterset = PracticeFilter if layer == "practices" else SpaceFilter
        for name in names:
            found = filterset.base_filters[name]
            kind, field, method = CELL_MEANINGS[(layer, name)]
            assert type(found).__name__ == kind, (layer, name)
            assert (found.field_name, found.lookup_expr, found.method) == (field, "exact", method), (layer, name)
            assert not found.extra.get("conjoined") and found.extra.get("null_label") is None, (layer, name)
    assert set(CELL_MEANINGS) == {(layer, name) for layer, names in _DIMENSIONS.items() for name in names}
    assert "__overlap" in inspect.getsource(PracticeFilter.filter_array)  # any of the chosen, as the cells count
