"""Map tiles: the published practices or spaces of one web-map tile, clustered on a grid, as GeoJSON written by SQL.

Each tile is cut into 5 x 5 cells of the web map's square grid (conect_map_cell_x/_y, migration 0015). A cell's
marker stands for its rows: their count, the mean of their coordinates and the most common main theme; a cell of
one row carries that practice's title (in the reader's language) and slug, read live from the practice.

Two ways to the same cells:
- unfiltered tiles up to AGGREGATE_MAX_ZOOM read practices_mapcell, the cells precomputed per zoom level and kept
  current by triggers in the change's own transaction (a draft never counts): a z4 tile reads a few hundred rows
  whatever the number of practices;
- tiles filtered on one value of one filter that picks values, not text or an area (one theme, Lab, country,
  status, scale, resilience dimension or target group) up to FILTERED_AGGREGATE_MAX_ZOOM read practices_mapcellby,
  the same cells counted apart for each value (migrations 0018 and 0020);
- other filtered tiles, and every tile above those levels, group the rows of the access path and filters live
  (Django writes that SQL); the index on the location bounds them to the tile.
Both end in the same SQL, so they give the same tile for the same data (tests/practices/test_tiles_aggregate.py).

Answers are cached in the default cache (shared by every process) under a key made from the raw query string, before
any filter is built: see tile_key, and bump_map_version for what hides them.
"""

import hashlib
import math
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode

import django_filters
from django.conf import settings
from django.contrib.gis.geos import Polygon

from conect.dbrouter import read_connection
from labs.models import Lab
from practices.filters import PracticeFilter, SpaceFilter
from practices.models import Theme

GRID = 5  # cells per tile side: about 50 px cells on 256 px tiles, so cluster markers do not overlap
MAX_ZOOM = 20
AGGREGATE_MAX_ZOOM = 8  # the last zoom level in practices_mapcell (migration 0015: practices_mapcell_max_zoom())
# The last zoom level in practices_mapcellby (migration 0018: practices_mapcellby_max_zoom()): above it, a tile holds
# few enough rows of one value of a filter for the live query (README "Map tiles").
FILTERED_AGGREGATE_MAX_ZOOM = 6


def _id_of_slug(model) -> Callable[[str], str | None]:
    def key(slug: str) -> str | None:
        found = model.objects.filter(slug=slug).values_list("pk", flat=True).first()
        return None if found is None else str(found)

    return key


def _choice_of(filterset: type[django_filters.FilterSet], name: str) -> Callable[[str], str | None]:
    """The value itself when the filter offers it (its own choices: the rule lives in practices/filters.py)."""
    values = {str(value) for value, _label in filterset.base_filters[name].extra["choices"]}
    return lambda value: value if value in values else None


# The filters served from practices_mapcellby, by layer: their dimension there (migrations 0018 and 0020) and the
# key of a value there, None for a value the filter refuses (the live query answers it, with its 400). What each
# filter selects (any of a practice's themes, dimensions or groups; the one status, scale, Lab or country) is what the
# migrations count: tests/practices/test_tiles_filtered_more.py checks the filters still mean that.
_DIMENSIONS = {
    "practices": {
        "theme": ("t", _id_of_slug(Theme)),
        "lab": ("l", _id_of_slug(Lab)),
        "country": ("c", _choice_of(PracticeFilter, "country")),
        "status": ("s", _choice_of(PracticeFilter, "status")),
        "scale": ("k", _choice_of(PracticeFilter, "scale")),
        "dimension": ("d", _choice_of(PracticeFilter, "dimension")),
        "target_group": ("g", _choice_of(PracticeFilter, "target_group")),
    },
    "spaces": {"lab": ("l", _id_of_slug(Lab)), "country": ("c", _choice_of(SpaceFilter, "country"))},
}
MAX_LATITUDE = 85.0511287798066  # the web map's edge: rows beyond it are on no tile
_LAYERS = {"practices": 0, "spaces": 1}


def tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """(west, south, east, north) in degrees of the slippy-map tile z/x/y."""
    n = 2**z

    def lat(row: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))

    return (x / n * 360 - 180, lat(y + 1), (x + 1) / n * 360 - 180, lat(y))


def valid_tile(z: int, x: int, y: int) -> bool:
    return 0 <= z <= MAX_ZOOM and 0 <= x < 2**z and 0 <= y < 2**z


def normalised_filters(filterset_class, params) -> str:
    """The query string of the filters in `params` (a QueryDict), in one spelling: only the filter's own parameters,
    sorted, empty values dropped, the last value of a single-valued filter (the one its form reads). Built from the
    class's declared filters: no FilterSet is made."""
    pairs = []
    for name, declared in filterset_class.base_filters.items():
        values = [value for value in params.getlist(name) if value != ""]
        if not values:
            continue
        multiple = isinstance(declared, django_filters.MultipleChoiceFilter | django_filters.ModelMultipleChoiceFilter)
        pairs.extend((name, value) for value in (sorted(set(values)) if multiple else values[-1:]))
    return urlencode(pairs)


def tile_language(params) -> str:
    language = params.get("lang", "")
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def tile_key(version: int, layer: str, z: int, x: int, y: int, language: str, filters: str) -> str:
    if layer == "spaces":
        language = "-"  # no text of a space is translated
    # The version inside the digest, not as a prefix: the database cache culls the lowest keys first, and a prefix
    # would cull the current version's tiles before older ones ('tile:100:' < 'tile:99:'); hashed, culling is random.
    digest = hashlib.sha256(f"{version}/{layer}/{z}/{x}/{y}/{language}?{filters}".encode()).hexdigest()[:32]
    return f"tile:{digest}"


# c: one row per cell and main theme (cx, cy, theme, n, sx, sy, sid), from the live rows or practices_mapcell.
# g: one row per cell, with the theme that has most rows (on a tie a theme before none, then the smallest id) and the
# sums of the whole cell. A lone row's title and slug are read only from a published row: a cell that drifted from
# the table (its triggers off for a load, a replication restore) never shows what is no longer public.
PRACTICES_SQL = """
WITH c AS ({cells}),
g AS (
  SELECT DISTINCT ON (cx, cy) theme, sum(n) OVER w AS n, sum(sx) OVER w / sum(n) OVER w AS x,
         sum(sy) OVER w / sum(n) OVER w AS y, (sum(sid) OVER w)::bigint AS sid
    FROM c WINDOW w AS (PARTITION BY cx, cy)
   ORDER BY cx, cy, c.n DESC, nullif(theme, 0) NULLS LAST, theme
)
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
  'type', 'Feature',
  'geometry', json_build_object('type', 'Point', 'coordinates', json_build_array(round(x, 6), round(y, 6))),
  'properties', json_build_object(
    'count', n, 'theme', t.slug, 'colour', t.colour, 'slug', one.slug,
    'title', CASE WHEN n = 1 AND one.slug IS NOT NULL THEN coalesce(
      (SELECT tr.title FROM practices_practicetranslation tr
        WHERE tr.practice_id = g.sid AND tr.language = %(language)s), one.title) END)
)), '[]'::json))::text
FROM g LEFT JOIN practices_theme t ON t.id = g.theme
LEFT JOIN LATERAL (SELECT p.slug, p.title FROM practices_practice p
                    WHERE g.n = 1 AND p.id = g.sid AND p.state = 'published') one ON true
"""

SPACES_SQL = """
WITH c AS ({cells}),
g AS (SELECT sum(n) AS n, sum(sx) / sum(n) AS x, sum(sy) / sum(n) AS y, sum(sid)::bigint AS sid FROM c GROUP BY cx, cy)
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
  'type', 'Feature',
  'geometry', json_build_object('type', 'Point', 'coordinates', json_build_array(round(x, 6), round(y, 6))),
  'properties', json_build_object('count', n, 'slug', one.slug, 'title', one.name)
)), '[]'::json))::text
FROM g LEFT JOIN LATERAL (SELECT s.slug, s.name FROM practices_space s
                           WHERE g.n = 1 AND s.id = g.sid AND s.state = 'published') one ON true
"""

AGGREGATE_CELLS = """
SELECT cx, cy, theme, n, sx, sy, sid FROM practices_mapcell
 WHERE layer = %(layer)s AND z = %(z)s AND cx BETWEEN %(x0)s AND %(x1)s AND cy BETWEEN %(y0)s AND %(y1)s
"""

FILTERED_CELLS = """
SELECT cx, cy, theme, n, sx, sy, sid FROM practices_mapcellby
 WHERE layer = %(layer)s AND dim = %(dim)s AND key = %(key)s AND z = %(z)s
   AND cx BETWEEN %(x0)s AND %(x1)s AND cy BETWEEN %(y0)s AND %(y1)s
"""

# The rows' cells, computed by the same functions as the triggers'; the box (a hair wider) is for the index only,
# the cell range decides, so a row on a tile's edge is on one tile. The range is applied after the grouping (OFFSET 0
# keeps it there): inside, the planner cannot estimate it and sorts where it should hash.
LIVE_CELLS = """
SELECT * FROM (
  SELECT cx, cy, theme, count(*) AS n, sum(lon::numeric) AS sx, sum(lat::numeric) AS sy, sum(id) AS sid
    FROM (SELECT id, {theme} AS theme, ST_X(location) AS lon, ST_Y(location) AS lat,
                 conect_map_cell_x(ST_X(location), %(cells)s) AS cx,
                 conect_map_cell_y(ST_Y(location), %(cells)s) AS cy
            FROM ({rows}) f WHERE ST_Y(location) BETWEEN -{max_lat} AND {max_lat}) r
   GROUP BY cx, cy, theme OFFSET 0
) c WHERE cx BETWEEN %(x0)s AND %(x1)s AND cy BETWEEN %(y0)s AND %(y1)s
"""

_COLUMNS = {"practices": ("id", "location", "primary_theme_id"), "spaces": ("id", "location")}
_THEME = {"practices": "coalesce(primary_theme_id, 0)", "spaces": "0"}


def _params(layer: str, z: int, x: int, y: int, language: str) -> dict:
    return {
        "layer": _LAYERS[layer],
        "z": z,
        "cells": GRID << z,
        "x0": GRID * x,
        "x1": GRID * x + GRID - 1,
        "y0": GRID * y,
        "y1": GRID * y + GRID - 1,
        "language": language,
    }


def _run(layer: str, cells: str, params: dict) -> str:
    sql = (PRACTICES_SQL if layer == "practices" else SPACES_SQL).replace("{cells}", cells)
    with read_connection().cursor() as cursor:  # the replica for a visitor, as the queryset's rows would be
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def render_aggregate_tile(
    layer: str, z: int, x: int, y: int, language: str, dimension: tuple[str, str] | None = None
) -> str:
    """The tile of every published row of `layer`, from the precomputed cells (z <= AGGREGATE_MAX_ZOOM); with a
    `dimension` (from filtered_dimension), of those of one value of one filter (_DIMENSIONS,
    z <= FILTERED_AGGREGATE_MAX_ZOOM)."""
    if dimension is None:
        return _run(layer, AGGREGATE_CELLS, _params(layer, z, x, y, language))
    dim, key = dimension
    return _run(layer, FILTERED_CELLS, {**_params(layer, z, x, y, language), "dim": dim, "key": key})


def render_live_tile(layer: str, queryset, z: int, x: int, y: int, language: str) -> str:
    """The tile of `queryset` (already filtered and limited to what visitors may see), grouped now."""
    west, south, east, north = tile_bounds(z, x, y)
    hair = 1e-9
    box = Polygon.from_bbox((west - hair, south - hair, east + hair, north + hair))
    box.srid = 4326
    rows = queryset.filter(location__bboverlaps=box).order_by().values(*_COLUMNS[layer])
    rows_sql, rows_params = rows.query.sql_with_params()
    # The rows' own placeholders are positional: turn them into named ones beside ours.
    named = {f"r{i}": value for i, value in enumerate(rows_params)}
    rows_sql = rows_sql.replace("%%", "%%%%") % tuple(f"%({key})s" for key in named)
    cells = (
        LIVE_CELLS.replace("{theme}", _THEME[layer])
        .replace("{max_lat}", repr(MAX_LATITUDE))
        .replace("{rows}", rows_sql)
    )
    return _run(layer, cells, {**named, **_params(layer, z, x, y, language)})


def uses_aggregate(z: int, filters: str) -> bool:
    return not filters and z <= AGGREGATE_MAX_ZOOM


def filtered_dimension(layer: str, z: int, filters: str) -> tuple[str, str] | None:
    """The cells of practices_mapcellby that answer a tile with these (normalised) filters, as (dim, key): when the
    filters are one value of one filter the cells count (_DIMENSIONS), at a zoom level they hold, and the filter
    takes that value; else None (the live query answers, and says what is wrong with a filter)."""
    pairs = parse_qsl(filters)
    if z > FILTERED_AGGREGATE_MAX_ZOOM or len(pairs) != 1:
        return None
    name, value = pairs[0]
    if name not in _DIMENSIONS[layer]:
        return None
    dim, key_of = _DIMENSIONS[layer][name]
    key = key_of(value)
    return None if key is None else (dim, key)


render_tile = render_live_tile  # the name bench/map.py times as "the SQL alone"
