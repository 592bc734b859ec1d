"""Map tiles: the published practices or spaces of one web-map tile, clustered on a grid by PostGIS.

One SQL statement filters (through the same access path and filters as every page), groups the points into an
5 x 5 grid of the tile and writes the GeoJSON itself, so the answer size is bounded by the grid, not by the data,
and no row is turned into a Python object. Answers are cached per tile, filters and language until any practice
or space changes (see bump_map_version).
"""

import hashlib
import math
from urllib.parse import urlencode

from django.contrib.gis.geos import Polygon
from django.core.cache import cache
from django.db import connection

from practices.mapcache import map_version

GRID = 5  # cells per tile side: about 50 px cells on 256 px tiles, so cluster markers do not overlap
MAX_ZOOM = 20


def tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """(west, south, east, north) in degrees of the slippy-map tile z/x/y."""
    n = 2**z

    def lat(row: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))

    return (x / n * 360 - 180, lat(y + 1), (x + 1) / n * 360 - 180, lat(y))


def valid_tile(z: int, x: int, y: int) -> bool:
    return 0 <= z <= MAX_ZOOM and 0 <= x < 2**z and 0 <= y < 2**z


# f: the rows of the tile, as the access path and filters give them (Django writes that SQL).
# c: one row per grid cell and theme, hashed, never sorted; the cell's main theme is the one with most rows.
PRACTICES_SQL = """
WITH f AS ({rows}),
c AS (
  SELECT floor((ST_X(location) - %(west)s) / %(cell_x)s)::int AS cx,
         floor((ST_Y(location) - %(south)s) / %(cell_y)s)::int AS cy,
         primary_theme_id, count(*) AS n, sum(ST_X(location)) AS sx, sum(ST_Y(location)) AS sy,
         min(slug) AS slug, min(id) AS id
    FROM f GROUP BY 1, 2, 3
),
g AS (
  SELECT DISTINCT ON (cx, cy) cx, cy, primary_theme_id,
         sum(n) OVER w AS n, sum(sx) OVER w / sum(n) OVER w AS x, sum(sy) OVER w / sum(n) OVER w AS y, slug, id
    FROM c WINDOW w AS (PARTITION BY cx, cy)
   ORDER BY cx, cy, c.n DESC, primary_theme_id
)
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
  'type', 'Feature',
  'geometry', json_build_object('type', 'Point',
                                'coordinates', json_build_array(round(x::numeric, 6), round(y::numeric, 6))),
  'properties', json_build_object(
    'count', n, 'theme', t.slug, 'colour', t.colour,
    'slug', CASE WHEN n = 1 THEN g.slug END,
    'title', CASE WHEN n = 1 THEN coalesce(
      (SELECT tr.title FROM practices_practicetranslation tr
        WHERE tr.practice_id = g.id AND tr.language = %(language)s),
      (SELECT p.title FROM practices_practice p WHERE p.id = g.id)) END)
)), '[]'::json))::text
FROM g LEFT JOIN practices_theme t ON t.id = g.primary_theme_id
"""

SPACES_SQL = """
WITH f AS ({rows}),
g AS (
  SELECT count(*) AS n, avg(ST_X(location)) AS x, avg(ST_Y(location)) AS y, min(slug) AS slug, min(name) AS title
    FROM f
   GROUP BY floor((ST_X(location) - %(west)s) / %(cell_x)s)::int, floor((ST_Y(location) - %(south)s) / %(cell_y)s)::int
)
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
  'type', 'Feature',
  'geometry', json_build_object('type', 'Point',
                                'coordinates', json_build_array(round(x::numeric, 6), round(y::numeric, 6))),
  'properties', json_build_object('count', n, 'slug', CASE WHEN n = 1 THEN slug END,
                                  'title', CASE WHEN n = 1 THEN title END)
)), '[]'::json))::text FROM g
"""

_COLUMNS = {"practices": ("id", "location", "slug", "primary_theme_id"), "spaces": ("id", "location", "slug", "name")}


def render_tile(layer: str, queryset, z: int, x: int, y: int, language: str) -> str:
    """The GeoJSON of one tile of `queryset` (already filtered and limited to what visitors may see)."""
    west, south, east, north = tile_bounds(z, x, y)
    box = Polygon.from_bbox((west, south, east, north))
    box.srid = 4326
    rows = queryset.filter(location__bboverlaps=box).order_by().values(*_COLUMNS[layer])
    rows_sql, rows_params = rows.query.sql_with_params()
    # The rows' own placeholders are positional: turn them into named ones beside ours.
    named = {f"r{i}": value for i, value in enumerate(rows_params)}
    rows_sql = rows_sql.replace("%%", "%%%%") % tuple(f"%({key})s" for key in named)
    params = {
        **named,
        "west": west,
        "south": south,
        "cell_x": (east - west) / GRID,
        "cell_y": (north - south) / GRID,
        "language": language,
    }
    sql = (PRACTICES_SQL if layer == "practices" else SPACES_SQL).replace("{rows}", rows_sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def cached_tile(layer: str, queryset, z: int, x: int, y: int, language: str, filters: dict) -> str:
    query = urlencode(sorted((k, v) for k, values in filters.items() for v in values))
    digest = hashlib.sha256(f"{layer}/{z}/{x}/{y}/{language}?{query}".encode()).hexdigest()[:32]
    key = f"tile:{map_version()}:{digest}"
    tile = cache.get(key)
    if tile is None:
        tile = render_tile(layer, queryset, z, x, y, language)
        cache.set(key, tile, timeout=3600)
    return tile
