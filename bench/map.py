"""The map's endpoints at scale, each beside the raw PostGIS query for the same answer.

    .venv/bin/python -m bench generate -n 100000     (once)
    .venv/bin/python -m bench map [--samples 40]

- tile: /tiles/practices/z/x/y.geojson through the whole Django stack, cold (application cache empty) and warm,
  at zoom 4, 8 and 12, on tiles around the most populous European cities;
- tile SQL: the same tile's SQL alone; ST_AsMVT: a Mapbox vector tile of the same tile, the dedicated-tile-server
  reference;
- list: the API's GeoJSON page of 1,000 practices in a box (djangorestframework-gis), beside the same GeoJSON
  assembled by PostGIS (ST_AsGeoJSON + json_agg);
- results: the map's result list for the viewport.
"""

import argparse
import math
import statistics
import time

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection

from bench.generate import european_cities
from bench.pages import test_client, write_results
from practices.models import Practice
from practices.tiles import render_tile

ZOOMS = (4, 8, 12)


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def summary(name: str, samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    row = {"measure": name, "n": len(samples), "p50_ms": round(statistics.median(samples), 2), "p95_ms": round(p95, 2)}
    print(f"{name:<48} p50 {row['p50_ms']:>8.2f} ms   p95 {row['p95_ms']:>8.2f} ms   (n={row['n']})")
    return row


MVT_SQL = """
SELECT length(ST_AsMVT(q, 'practices', 4096, 'geom')) FROM (
  SELECT id, ST_AsMVTGeom(ST_Transform(location, 3857), ST_TileEnvelope(%s, %s, %s), 4096, 64, true) AS geom
    FROM practices_practice
   WHERE state = 'published' AND location && ST_Transform(ST_TileEnvelope(%s, %s, %s), 4326)
) q
"""

GEOJSON_SQL = """
SELECT json_build_object('type', 'FeatureCollection', 'features', json_agg(json_build_object(
  'type', 'Feature', 'id', slug, 'geometry', ST_AsGeoJSON(location, 6)::json,
  'properties', json_build_object('title', title, 'summary', summary, 'country', country, 'city', city))))::text
FROM (SELECT slug, location, title, summary, country, city FROM practices_practice
       WHERE state = 'published' AND location && ST_MakeEnvelope(%s, %s, %s, %s, 4326)
       ORDER BY title, id LIMIT 1000) p
"""


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench map")
    parser.add_argument("--samples", type=int, default=40)
    args = parser.parse_args(argv)
    published = Practice.objects.published().count()
    print(f"{published} published practices")
    client = test_client()
    cities = sorted(european_cities(), key=lambda c: -c["population"])[: args.samples]
    queryset = Practice.objects.visible_to(AnonymousUser())
    results = []
    for z in ZOOMS:
        tiles = sorted({tile_of(c["longitude"], c["latitude"], z) for c in cities})
        cold, warm, raw, mvt = [], [], [], []
        for x, y in tiles:
            url = f"/tiles/practices/{z}/{x}/{y}.geojson"
            cache.clear()
            cold.append(timed(lambda url=url: client.get(url)))
            warm.append(timed(lambda url=url: client.get(url)))
            raw.append(timed(lambda x=x, y=y, z=z: render_tile("practices", queryset, z, x, y, "en")))
            with connection.cursor() as cursor:
                mvt.append(timed(lambda x=x, y=y, z=z: cursor.execute(MVT_SQL, [z, x, y, z, x, y])))
        results += [
            summary(f"tile z{z}, cold (Django + PostGIS)", cold),
            summary(f"tile z{z}, warm (cached)", warm),
            summary(f"tile z{z}, its SQL alone", raw),
            summary(f"tile z{z}, ST_AsMVT vector tile (reference)", mvt),
        ]
    api, sql, listing = [], [], []
    for city in cities[:20]:
        box = (city["longitude"] - 1.5, city["latitude"] - 1, city["longitude"] + 1.5, city["latitude"] + 1)
        bbox = ",".join(f"{v:.4f}" for v in box)
        api.append(timed(lambda bbox=bbox: client.get(f"/api/v1/practices/?format=geojson&page_size=1000&bbox={bbox}")))
        with connection.cursor() as cursor:
            sql.append(timed(lambda box=box: cursor.execute(GEOJSON_SQL, box)))
        listing.append(timed(lambda bbox=bbox: client.get(f"/en/map/results/?bbox={bbox}")))
    results += [
        summary("API GeoJSON page of 1,000 (djangorestframework-gis)", api),
        summary("same 1,000 as GeoJSON by PostGIS (json_agg)", sql),
        summary("map result list for a viewport", listing),
    ]
    write_results("map", {"published": published, "rows": results})
