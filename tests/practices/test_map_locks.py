"""The map's shared rows, seen from the outside: every writer takes the map version's lock before any cell's (two
writers can never deadlock on the cells), a cell that drifted from the tables never shows what is not published, a
tie in a cell's main theme goes to a theme, and the tile cache's keys do not sort by version."""

import json
import math
import threading
import time

import pytest
from django.contrib.gis.geos import Point
from django.db import connection, connections, transaction

from practices.mapcache import bump_map_version
from practices.models import Practice, PracticeTranslation, Space, Theme
from practices.tiles import tile_key
from tests.factories import make_practice, make_space


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def tile(client, layer: str, lon: float, lat: float, z: int, query: str = "") -> list[dict]:
    x, y = tile_of(lon, lat, z)
    response = client.get(f"/tiles/{layer}/{z}/{x}/{y}.geojson{query}")
    assert response.status_code == 200, response.content
    return json.loads(response.content)["features"]


# --- Lock order ------------------------------------------------------------------------------------------------------


@pytest.fixture
def vocabularies(transactional_db):
    """These tests commit (a second connection must see the rows): put the themes and SDGs back first."""
    import importlib

    from django.apps import apps

    importlib.import_module("practices.migrations.0002_themes_and_sdgs").load(apps, None)


def write_while_the_version_is_held(write) -> tuple[bool, list[str]]:
    """Holds the map version's row lock in this thread's transaction while `write` runs in a thread of its own (its
    own connection). Returns whether the writer came to wait for the version, and the map tables whose rows it had
    locked by then (found by trying to lock every cell row without waiting)."""
    started = threading.Event()
    pid = []
    errors = []

    def writer():
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid.append(cursor.fetchone()[0])
            started.set()
            with transaction.atomic():
                write()
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            started.set()
            connections["default"].close()

    with transaction.atomic():
        bump_map_version()
        thread = threading.Thread(target=writer)
        thread.start()
        started.wait(10)
        waited = False
        locked = []
        deadline = time.monotonic() + 10
        with connection.cursor() as cursor:
            while time.monotonic() < deadline and thread.is_alive():
                cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", pid)
                row = cursor.fetchone()
                if row and row[0] == "Lock":
                    waited = True
                    break
                time.sleep(0.02)
            if waited:
                for table in ("practices_mapcell", "practices_mapcellby"):
                    try:
                        with transaction.atomic():
                            cursor.execute(f"SELECT 1 FROM {table} FOR UPDATE NOWAIT")  # noqa: S608 - constant
                    except Exception:  # noqa: BLE001 - LockNotAvailable: the writer holds a cell of this table
                        locked.append(table)
    thread.join(20)
    assert not errors, errors
    return waited, locked


@pytest.mark.parametrize(
    "change",
    [
        "a moderator publishing a practice",
        "an editor moving a practice",
        "an update of many practices at once",
        "a theme given to a practice",
        "a translation of a practice's title",
        "a new space",
    ],
)
def test_every_map_writer_waits_for_the_map_version_before_locking_any_cell(vocabularies, change):
    food, care = Theme.objects.get(slug="food"), Theme.objects.get(slug="care")
    draft = make_practice(state="draft", primary_theme=food, themes=["food"], location=Point(4.84, 45.76, srid=4326))
    other = make_practice(primary_theme=care, themes=["care"], location=Point(2.35, 48.85, srid=4326))

    def write():
        if change == "a moderator publishing a practice":
            practice = Practice.objects.get(pk=draft.pk)
            practice.state = "published"
            practice.save()
        elif change == "an editor moving a practice":
            practice = Practice.objects.get(pk=other.pk)
            practice.location = Point(2.4, 48.9, srid=4326)
            practice.save()
        elif change == "an update of many practices at once":
            Practice.objects.filter(pk__in=[draft.pk, other.pk]).update(state="published")
        elif change == "a theme given to a practice":
            Practice.objects.get(pk=other.pk).themes.add(food)
        elif change == "a translation of a practice's title":
            PracticeTranslation.objects.create(practice_id=other.pk, language="it", title="Pratica")
        else:
            make_space(location=Point(2.35, 48.85, srid=4326))

    waited, locked = write_while_the_version_is_held(write)
    assert waited, "the writer never waited for the map version"
    assert locked == [], f"the writer locked cells of {locked} before the map version"
    assert Practice.objects.filter(state="published").exists()


def test_a_save_and_a_theme_change_in_two_transactions_both_commit(vocabularies):
    """The review's scenario: one transaction writes a theme-1 practice then a theme-2 one while another writes a
    theme-2 practice: with the version taken first they wait in turn, and neither fails with a deadlock."""
    food, care = Theme.objects.get(slug="food"), Theme.objects.get(slug="care")
    errors = []
    step = threading.Barrier(2, timeout=10)

    def importer():
        try:
            with transaction.atomic():
                make_practice(primary_theme=food, themes=["food"], location=Point(4.8, 45.7, srid=4326))
                step.wait()
                time.sleep(0.3)  # the moderator comes to wait meanwhile
                make_practice(primary_theme=care, themes=["care"], location=Point(2.3, 48.8, srid=4326))
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections["default"].close()

    def moderator():
        try:
            step.wait()
            with transaction.atomic():
                make_practice(primary_theme=care, themes=["care"], location=Point(2.35, 48.85, srid=4326))
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=importer), threading.Thread(target=moderator)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert Practice.objects.filter(state="published").count() == 3


# --- Drift ------------------------------------------------------------------------------------------------------------


def drifted(change) -> None:
    """Applies `change`, then puts the map's cells back as they were before it: what a load with the triggers off or
    a replication restore leaves behind."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE cells_before AS SELECT * FROM practices_mapcell")
        cursor.execute("CREATE TEMP TABLE cellsby_before AS SELECT * FROM practices_mapcellby")
        change()
        cursor.execute("DELETE FROM practices_mapcell; INSERT INTO practices_mapcell SELECT * FROM cells_before")
        cursor.execute("DELETE FROM practices_mapcellby; INSERT INTO practices_mapcellby SELECT * FROM cellsby_before")
    bump_map_version()


@pytest.mark.parametrize("state", ["archived", "draft", "submitted"])
def test_a_visitor_never_sees_the_title_of_a_lone_practice_that_is_no_longer_published_when_a_cell_drifted(
    client, db, state
):
    where = (-8.61, 41.15)  # Porto: alone on its tile
    practice = make_practice(
        title="Secret garden", slug="secret-garden", themes=["food"], location=Point(*where, srid=4326)
    )
    PracticeTranslation.objects.create(practice=practice, language="it", title="Orto segreto")
    assert tile(client, "practices", *where, 4)[0]["properties"]["slug"] == "secret-garden"

    drifted(lambda: Practice.objects.filter(pk=practice.pk).update(state=state))

    for z in (0, 4, 8):
        for query in ("", "?theme=food", "?country=IT", "?lang=it"):
            found = tile(client, "practices", *where, z, query)
            if z <= 6:  # from the drifted cells (the live tiles above them count nothing)
                assert found[0]["properties"]["count"] == 1, "the test drifts the cells as meant"
            text = json.dumps(found)
            assert "secret" not in text.lower() and "segreto" not in text.lower(), (z, query, text)


def test_a_visitor_never_sees_the_name_of_a_lone_space_that_is_no_longer_published_when_a_cell_drifted(client, db):
    where = (-8.61, 41.15)
    space = make_space(name="Hidden cellar", slug="hidden-cellar", location=Point(*where, srid=4326))
    assert tile(client, "spaces", *where, 4)[0]["properties"]["slug"] == "hidden-cellar"

    drifted(lambda: Space.objects.filter(pk=space.pk).update(state="archived"))

    for z in (0, 4, 8):
        for query in ("", "?country=IT"):
            text = json.dumps(tile(client, "spaces", *where, z, query))
            assert "hidden" not in text.lower(), (z, query, text)


# --- Main theme on a tie, cache keys ----------------------------------------------------------------------------------


def test_a_cell_where_a_theme_ties_with_practices_of_no_theme_takes_the_themes_colour(client, db):
    food = Theme.objects.get(slug="food")
    make_practice(primary_theme=food, location=Point(-8.61, 41.15, srid=4326))
    make_practice(primary_theme=None, location=Point(-8.611, 41.151, srid=4326))
    for z in (2, 4, 10):  # from the cells and from the live query
        (marker,) = tile(client, "practices", -8.61, 41.15, z)
        assert marker["properties"]["count"] == 2
        assert marker["properties"]["theme"] == "food", z


def test_the_tile_cache_keys_do_not_sort_by_the_maps_version():
    """The database cache culls the lowest keys first: a key that began with its version would cull the current
    version's tiles ('tile:100:...') before older ones ('tile:99:...')."""
    keys = {version: tile_key(version, "practices", 4, 8, 5, "en", "") for version in (9, 10, 99, 100, 101)}
    assert len(set(keys.values())) == len(keys)
    for version, key in keys.items():
        assert f":{version}:" not in key
    assert sorted(keys.values()) != [keys[v] for v in sorted(keys)]
