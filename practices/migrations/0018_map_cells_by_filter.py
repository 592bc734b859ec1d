"""The map's precomputed clusters for its commonest filters: the cells of practices_mapcell (migration 0015) again,
counted apart for each value of one filter, up to MAX_ZOOM:
- dim 't': each theme, counting a practice under every theme it has (the map's `theme` filter selects any of a
  practice's themes: practices_practice_themes), so a tile filtered on one theme reads its theme's cells;
- dim 'l': each Lab (practices and spaces), what the Lab page's map and `?lab=` ask for;
- dim 'c': each country (practices and spaces).
Each row keeps the main theme of its practices, as practices_mapcell does, for the markers' colour.

Kept current in the change's own transaction by statement-level triggers like practices_mapcell's: on the practices
and spaces (a move, a change of state, Lab, country or main theme) and on the practices' themes (a theme added or
taken away). A practice's themes are read from practices_practice_themes when the practice changes, and the practice
is read when its themes change; the two never change in the same statement, so whichever order a change or a bulk
load takes (Django deletes the themes before the practice; a COPY may write the themes first, foreign keys being
deferred), each practice is counted once under each theme it has, and a draft never.
"""

from django.db import migrations

MAX_ZOOM = 6  # practices.tiles.FILTERED_AGGREGATE_MAX_ZOOM: above it the live filtered query is as fast

# The changed rows of one table as (id, location, state, theme, dim, key); %1$s is the table they are read from
# (a transition table, or the table itself to rebuild).
PRACTICE_ROWS = (
    "SELECT r.id, r.location, r.state, coalesce(r.primary_theme_id, 0) AS theme, d.dim, d.key FROM %1$s r"
    " CROSS JOIN LATERAL (SELECT 'l'::text AS dim, r.lab_id::text AS key UNION ALL SELECT 'c', nullif(r.country, '')"
    " UNION ALL SELECT 't', pt.theme_id::text FROM practices_practice_themes pt WHERE pt.practice_id = r.id) d"
    " WHERE d.key IS NOT NULL"
)
SPACE_ROWS = (
    "SELECT r.id, r.location, r.state, 0 AS theme, d.dim, d.key FROM %1$s r"
    " CROSS JOIN LATERAL (SELECT 'l'::text AS dim, r.lab_id::text AS key UNION ALL SELECT 'c', nullif(r.country, ''))"
    " d WHERE d.key IS NOT NULL"
)
THEME_ROWS = (
    "SELECT p.id, p.location, p.state, coalesce(p.primary_theme_id, 0) AS theme, 't'::text AS dim,"
    " r.theme_id::text AS key FROM %1$s r JOIN practices_practice p ON p.id = r.practice_id"
)

SQL = """
CREATE FUNCTION practices_mapcellby_max_zoom() RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT %(max_zoom)s
$$;

CREATE TABLE practices_mapcellby (
  layer smallint NOT NULL,          -- 0: practices, 1: spaces
  dim "char" NOT NULL,              -- t: theme (any of a practice's), l: Lab, c: country
  key text NOT NULL,                -- the theme's or the Lab's id, the country's code
  z smallint NOT NULL,
  cx integer NOT NULL,
  cy integer NOT NULL,
  theme integer NOT NULL,           -- the main theme's id, 0 for none (and for spaces)
  n integer NOT NULL,
  sx numeric NOT NULL,
  sy numeric NOT NULL,
  sid bigint NOT NULL,
  PRIMARY KEY (layer, dim, key, z, cx, cy, theme)
);
CREATE INDEX practices_mapcellby_empty ON practices_mapcellby (layer) WHERE n = 0;

-- Adds the rows of `changed` (id, location, state, theme, dim, key, sign) to the cells of every zoom level: grouped
-- once into the cells of the last level, whose columns and rows halved give those of each level above (the cell
-- functions multiply by 5 << z, so floor(x / 2^k) of a cell at z is the cell at z - k: the same numbers exactly).
-- Its SQL, run by the caller: a trigger's transition tables are seen only by the trigger function itself.
CREATE FUNCTION practices_mapcellby_add(layer smallint, changed text) RETURNS text LANGUAGE plpgsql AS $fn$
BEGIN
  RETURN format($q$
    WITH d AS (
      SELECT id, ST_X(location) AS lon, ST_Y(location) AS lat, theme, dim, key, sign FROM (%%s) r
       WHERE state = 'published' AND location IS NOT NULL
         AND ST_Y(location) BETWEEN -85.0511287798066 AND 85.0511287798066
    ),
    top AS (
      SELECT dim, key, conect_map_cell_x(lon, 5 << practices_mapcellby_max_zoom()) AS cx,
             conect_map_cell_y(lat, 5 << practices_mapcellby_max_zoom()) AS cy, theme,
             sum(sign) AS n, sum(sign * lon::numeric) AS sx, sum(sign * lat::numeric) AS sy, sum(sign * id) AS sid
        FROM d GROUP BY 1, 2, 3, 4, 5
    ),
    c AS (
      SELECT dim, key, z, cx >> (practices_mapcellby_max_zoom() - z) AS cx,
             cy >> (practices_mapcellby_max_zoom() - z) AS cy, theme,
             sum(n)::integer AS n, sum(sx) AS sx, sum(sy) AS sy, sum(sid)::bigint AS sid
        FROM top CROSS JOIN generate_series(0, practices_mapcellby_max_zoom()) AS z
       GROUP BY 1, 2, 3, 4, 5, 6
      HAVING sum(n) <> 0 OR sum(sx) <> 0 OR sum(sy) <> 0 OR sum(sid) <> 0
    )
    INSERT INTO practices_mapcellby AS m (layer, dim, key, z, cx, cy, theme, n, sx, sy, sid)
    SELECT %%s, dim, key, z, cx, cy, theme, n, sx, sy, sid FROM c ORDER BY dim, key, z, cx, cy, theme
    ON CONFLICT (layer, dim, key, z, cx, cy, theme) DO UPDATE
      SET n = m.n + excluded.n, sx = m.sx + excluded.sx, sy = m.sy + excluded.sy, sid = m.sid + excluded.sid
  $q$, changed, layer);
END
$fn$;

-- TG_ARGV: the layer, the SQL of its rows (PRACTICE_ROWS...), the dims a TRUNCATE empties ('' for all).
CREATE FUNCTION practices_mapcellby_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM practices_mapcellby
     WHERE layer = TG_ARGV[0]::smallint AND (TG_ARGV[2] = '' OR dim::text = TG_ARGV[2]);
    RETURN NULL;
  END IF;
  IF TG_TABLE_NAME = 'practices_practice_themes' THEN
    -- A theme given or taken away changes the tiles filtered on it; nothing in Python sees it (practices.mapcache).
    -- The version first, as Practice.save() does, so that every writer takes its lock before the cells'.
    INSERT INTO practices_mapversion (id, version) VALUES (1, 2)
      ON CONFLICT (id) DO UPDATE SET version = practices_mapversion.version + 1;
  END IF;
  EXECUTE practices_mapcellby_add(TG_ARGV[0]::smallint, CASE TG_OP
    WHEN 'INSERT' THEN format('SELECT *, 1 AS sign FROM (%%s) a', format(TG_ARGV[1], 'new_rows'))
    WHEN 'DELETE' THEN format('SELECT *, -1 AS sign FROM (%%s) a', format(TG_ARGV[1], 'old_rows'))
    ELSE format('SELECT *, 1 AS sign FROM (%%s) a UNION ALL SELECT *, -1 FROM (%%s) b',
                format(TG_ARGV[1], 'new_rows'), format(TG_ARGV[1], 'old_rows'))
  END);
  DELETE FROM practices_mapcellby WHERE layer = TG_ARGV[0]::smallint AND n = 0;
  RETURN NULL;
END
$fn$;

CREATE FUNCTION practices_mapcellby_rebuild() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  DELETE FROM practices_mapcellby;
  EXECUTE practices_mapcellby_add(0::smallint,
    format('SELECT *, 1 AS sign FROM (%%s) a', format(%(practice_rows)s, 'practices_practice')));
  EXECUTE practices_mapcellby_add(1::smallint,
    format('SELECT *, 1 AS sign FROM (%%s) a', format(%(space_rows)s, 'practices_space')));
END
$fn$;
"""


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


TRIGGERS = ""
for table, layer, rows, emptied in (
    ("practices_practice", 0, PRACTICE_ROWS, ""),
    ("practices_space", 1, SPACE_ROWS, ""),
    ("practices_practice_themes", 0, THEME_ROWS, "t"),
):
    args = f"'{layer}', {quote(rows)}, '{emptied}'"
    for event, refs in (
        ("INSERT", "NEW TABLE AS new_rows"),
        ("UPDATE", "NEW TABLE AS new_rows OLD TABLE AS old_rows"),
        ("DELETE", "OLD TABLE AS old_rows"),
    ):
        TRIGGERS += (
            f"CREATE TRIGGER {table}_mapcellby_{event.lower()} AFTER {event} ON {table} REFERENCING {refs}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION practices_mapcellby_apply({args});\n"
        )
    TRIGGERS += (
        f"CREATE TRIGGER {table}_mapcellby_truncate AFTER TRUNCATE ON {table}"
        f" FOR EACH STATEMENT EXECUTE FUNCTION practices_mapcellby_apply({args});\n"
    )

DROP = "".join(
    f"DROP TRIGGER IF EXISTS {table}_mapcellby_{event} ON {table};\n"
    for table in ("practices_practice", "practices_space", "practices_practice_themes")
    for event in ("insert", "update", "delete", "truncate")
) + (
    "DROP FUNCTION practices_mapcellby_rebuild();\n"
    "DROP FUNCTION practices_mapcellby_apply();\n"
    "DROP FUNCTION practices_mapcellby_add(smallint, text);\n"
    "DROP TABLE practices_mapcellby;\n"
    "DROP FUNCTION practices_mapcellby_max_zoom();\n"
)

FORWARD = (
    SQL % {"max_zoom": MAX_ZOOM, "practice_rows": quote(PRACTICE_ROWS), "space_rows": quote(SPACE_ROWS)}
    + TRIGGERS
    + "SELECT practices_mapcellby_rebuild();"
)


class Migration(migrations.Migration):
    dependencies = [("practices", "0017_space_search_trigram_indexes")]
    operations = [migrations.RunSQL(FORWARD, DROP)]
