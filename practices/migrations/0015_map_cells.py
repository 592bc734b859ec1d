"""The map's precomputed clusters: for each zoom level up to MAX_ZOOM, the published practices (and spaces) counted
per grid cell of the web map (5 x 5 cells per tile) and main theme, with the sums of their coordinates and ids.

Kept current in the change's own transaction by statement-level triggers with transition tables, so one COPY of a
million rows costs one grouped upsert, an edit that moves nothing costs nothing, and a draft, an unpublished or a
deleted row never counts. The numbers are exact (numeric sums of the coordinates, integer sums of the ids), so the
cells give the same tile as the live query over the same rows in any order of changes; where a cell holds one row,
the sum of its ids is that row's id, and its title and slug are read live from the practice itself.
"""

from django.db import migrations

MAX_ZOOM = 8  # practices.tiles.AGGREGATE_MAX_ZOOM: above it the live query is as fast (README "Map tiles")

# A point's column or row of cells on a grid of `cells` x `cells` over the web map (EPSG:3857's square world):
# the one definition both the live tiles and the cells use, so they cannot disagree at a cell's edge.
# Not STRICT, so that the planner inlines them (a STRICT SQL function around least/greatest is called row by row).
FUNCTIONS = """
CREATE FUNCTION conect_map_cell_x(lon double precision, cells integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT least(greatest(floor((lon + 180) / 360 * cells)::integer, 0), cells - 1)
$$;
CREATE FUNCTION conect_map_cell_y(lat double precision, cells integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT least(greatest(floor((1 - asinh(tan(radians(lat))) / pi()) / 2 * cells)::integer, 0), cells - 1)
$$;
CREATE FUNCTION practices_mapcell_max_zoom() RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT %(max_zoom)s
$$;
"""

TABLE = """
CREATE TABLE practices_mapcell (
  layer smallint NOT NULL,          -- 0: practices, 1: spaces
  z smallint NOT NULL,
  cx integer NOT NULL,
  cy integer NOT NULL,
  theme integer NOT NULL,           -- the main theme's id, 0 for none (and for spaces)
  n integer NOT NULL,
  sx numeric NOT NULL,              -- sums of longitudes and latitudes
  sy numeric NOT NULL,
  sid bigint NOT NULL,              -- sum of ids: the id itself where n = 1
  PRIMARY KEY (layer, z, cx, cy, theme)
);
CREATE INDEX practices_mapcell_empty ON practices_mapcell (layer) WHERE n = 0;
"""

# The rows of one change, as (id, lon, lat, theme, sign), grouped into the cells of every zoom level and added.
# TG_ARGV: the layer's number and the SQL of its theme column.
TRIGGER = r"""
CREATE FUNCTION practices_mapcell_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  changed text;
  cols text := format('id, location, state, %s AS theme', TG_ARGV[1]);
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM practices_mapcell WHERE layer = TG_ARGV[0]::smallint;
    RETURN NULL;
  END IF;
  changed := CASE TG_OP
    WHEN 'INSERT' THEN format('SELECT %s, 1 AS sign FROM new_rows', cols)
    WHEN 'DELETE' THEN format('SELECT %s, -1 AS sign FROM old_rows', cols)
    ELSE format('SELECT %s, 1 AS sign FROM new_rows UNION ALL SELECT %s, -1 FROM old_rows', cols, cols)
  END;
  EXECUTE format($q$
    WITH d AS (
      SELECT id, ST_X(location) AS lon, ST_Y(location) AS lat, theme, sign FROM (%s) r
       WHERE state = 'published' AND location IS NOT NULL
         AND ST_Y(location) BETWEEN -85.0511287798066 AND 85.0511287798066
    ),
    c AS (
      SELECT z, conect_map_cell_x(lon, 5 << z) AS cx, conect_map_cell_y(lat, 5 << z) AS cy, theme,
             sum(sign)::integer AS n, sum(sign * lon::numeric) AS sx, sum(sign * lat::numeric) AS sy,
             sum(sign * id)::bigint AS sid
        FROM d CROSS JOIN generate_series(0, practices_mapcell_max_zoom()) AS z
       GROUP BY 1, 2, 3, 4
      HAVING sum(sign) <> 0 OR sum(sign * lon::numeric) <> 0 OR sum(sign * lat::numeric) <> 0 OR sum(sign * id) <> 0
    )
    INSERT INTO practices_mapcell AS m (layer, z, cx, cy, theme, n, sx, sy, sid)
    SELECT %s, z, cx, cy, theme, n, sx, sy, sid FROM c ORDER BY z, cx, cy, theme
    ON CONFLICT (layer, z, cx, cy, theme) DO UPDATE
      SET n = m.n + excluded.n, sx = m.sx + excluded.sx, sy = m.sy + excluded.sy, sid = m.sid + excluded.sid
  $q$, changed, TG_ARGV[0]);
  DELETE FROM practices_mapcell WHERE layer = TG_ARGV[0]::smallint AND n = 0;
  RETURN NULL;
END
$fn$;

CREATE FUNCTION practices_mapcell_rebuild() RETURNS void LANGUAGE sql AS $fn$
  DELETE FROM practices_mapcell;
  INSERT INTO practices_mapcell (layer, z, cx, cy, theme, n, sx, sy, sid)
  SELECT layer, z, conect_map_cell_x(lon, 5 << z), conect_map_cell_y(lat, 5 << z), theme,
         count(*), sum(lon::numeric), sum(lat::numeric), sum(id)
    FROM (SELECT 0 AS layer, id, ST_X(location) AS lon, ST_Y(location) AS lat, coalesce(primary_theme_id, 0) AS theme
            FROM practices_practice WHERE state = 'published' AND location IS NOT NULL
          UNION ALL
          SELECT 1, id, ST_X(location), ST_Y(location), 0 FROM practices_space WHERE state = 'published') d
         CROSS JOIN generate_series(0, practices_mapcell_max_zoom()) AS z
   WHERE lat BETWEEN -85.0511287798066 AND 85.0511287798066
   GROUP BY 1, 2, 3, 4, 5;
$fn$;
"""

TRIGGERS = ""
for table, layer, theme in (
    ("practices_practice", 0, "coalesce(primary_theme_id, 0)"),
    ("practices_space", 1, "0"),
):
    for event, refs in (
        ("INSERT", "NEW TABLE AS new_rows"),
        ("UPDATE", "NEW TABLE AS new_rows OLD TABLE AS old_rows"),
        ("DELETE", "OLD TABLE AS old_rows"),
    ):
        TRIGGERS += (
            f"CREATE TRIGGER {table}_mapcell_{event.lower()} AFTER {event} ON {table} REFERENCING {refs}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION practices_mapcell_apply('{layer}', '{theme}');\n"
        )
    TRIGGERS += (
        f"CREATE TRIGGER {table}_mapcell_truncate AFTER TRUNCATE ON {table}"
        f" FOR EACH STATEMENT EXECUTE FUNCTION practices_mapcell_apply('{layer}', '{theme}');\n"
    )

DROP = """
DROP TRIGGER IF EXISTS practices_practice_mapcell_insert ON practices_practice;
DROP TRIGGER IF EXISTS practices_practice_mapcell_update ON practices_practice;
DROP TRIGGER IF EXISTS practices_practice_mapcell_delete ON practices_practice;
DROP TRIGGER IF EXISTS practices_practice_mapcell_truncate ON practices_practice;
DROP TRIGGER IF EXISTS practices_space_mapcell_insert ON practices_space;
DROP TRIGGER IF EXISTS practices_space_mapcell_update ON practices_space;
DROP TRIGGER IF EXISTS practices_space_mapcell_delete ON practices_space;
DROP TRIGGER IF EXISTS practices_space_mapcell_truncate ON practices_space;
DROP FUNCTION practices_mapcell_rebuild();
DROP FUNCTION practices_mapcell_apply();
DROP TABLE practices_mapcell;
DROP FUNCTION practices_mapcell_max_zoom();
DROP FUNCTION conect_map_cell_y(double precision, integer);
DROP FUNCTION conect_map_cell_x(double precision, integer);
"""


class Migration(migrations.Migration):
    dependencies = [("practices", "0014_mark_existing_suggestions")]
    operations = [
        migrations.RunSQL(
            FUNCTIONS % {"max_zoom": MAX_ZOOM} + TABLE + TRIGGER + TRIGGERS + "SELECT practices_mapcell_rebuild();",
            DROP,
        )
    ]
