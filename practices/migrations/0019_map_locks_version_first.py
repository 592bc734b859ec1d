"""The map's cell triggers take the map version's row lock first, and read a theme's practice under a share lock.

- Version first (review 1.1): every writer of the cells (practices_mapcell_apply of migration 0015,
  practices_mapcellby_apply of 0018) upserts the single row practices_mapversion(id=1) before it touches any cell,
  as OnTheMap.save() and PracticeTranslation.save()/delete() do before their write. The version row then orders every
  map writer: a transaction that holds cells holds the version already, so two writers (an import and a moderator,
  two imports) can never wait on each other's cells in a cycle. It also hides the cached tiles after a queryset
  update(), a COPY or raw SQL, which no save() sees.
- FOR SHARE OF p (review 1.2): a theme given or taken away reads its practice's state after any concurrent change of
  that practice has committed, instead of the state its own snapshot saw (an archived practice counted under a theme).
The functions are replaced in place (CREATE OR REPLACE); the themes' triggers are made again with the new SQL of their
rows, which is their argument. The cells themselves do not change.
"""

from django.db import migrations

VERSION = """
  INSERT INTO practices_mapversion (id, version) VALUES (1, 2)
    ON CONFLICT (id) DO UPDATE SET version = practices_mapversion.version + 1;
"""

CELL_TRIGGER = r"""
CREATE OR REPLACE FUNCTION practices_mapcell_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  changed text;
  cols text := format('id, location, state, %s AS theme', TG_ARGV[1]);
BEGIN
  -- The map's version first: every map writer takes its lock before the cells' (migration 0019).
  {version}
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
"""

CELLBY_TRIGGER = r"""
CREATE OR REPLACE FUNCTION practices_mapcellby_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  -- The map's version first: every map writer takes its lock before the cells' (migration 0019). A theme given or
  -- taken away changes the tiles filtered on it, which nothing in Python sees (practices.mapcache).
  {version}
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM practices_mapcellby
     WHERE layer = TG_ARGV[0]::smallint AND (TG_ARGV[2] = '' OR dim::text = TG_ARGV[2]);
    RETURN NULL;
  END IF;
  EXECUTE practices_mapcellby_add(TG_ARGV[0]::smallint, CASE TG_OP
    WHEN 'INSERT' THEN format('SELECT *, 1 AS sign FROM (%s) a', format(TG_ARGV[1], 'new_rows'))
    WHEN 'DELETE' THEN format('SELECT *, -1 AS sign FROM (%s) a', format(TG_ARGV[1], 'old_rows'))
    ELSE format('SELECT *, 1 AS sign FROM (%s) a UNION ALL SELECT *, -1 FROM (%s) b',
                format(TG_ARGV[1], 'new_rows'), format(TG_ARGV[1], 'old_rows'))
  END);
  DELETE FROM practices_mapcellby WHERE layer = TG_ARGV[0]::smallint AND n = 0;
  RETURN NULL;
END
$fn$;
"""

# 0018's THEME_ROWS with the practice read under a share lock: it waits for a concurrent change of the practice's
# state and reads the committed row.
OLD_THEME_ROWS = (
    "SELECT p.id, p.location, p.state, coalesce(p.primary_theme_id, 0) AS theme, 't'::text AS dim,"
    " r.theme_id::text AS key FROM %1$s r JOIN practices_practice p ON p.id = r.practice_id"
)
THEME_ROWS = OLD_THEME_ROWS + " FOR SHARE OF p"


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def theme_triggers(rows: str) -> str:
    table, args = "practices_practice_themes", f"'0', {quote(rows)}, 't'"
    sql = ""
    for event, refs in (
        ("INSERT", "REFERENCING NEW TABLE AS new_rows"),
        ("UPDATE", "REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows"),
        ("DELETE", "REFERENCING OLD TABLE AS old_rows"),
        ("TRUNCATE", ""),
    ):
        name = f"{table}_mapcellby_{event.lower()}"
        sql += (
            f"DROP TRIGGER IF EXISTS {name} ON {table};\n"
            f"CREATE TRIGGER {name} AFTER {event} ON {table} {refs}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION practices_mapcellby_apply({args});\n"
        )
    return sql


def _old_function(migration: str, name: str) -> str:
    """The function as an earlier migration defined it, for the way back."""
    import importlib

    module = importlib.import_module(f"practices.migrations.{migration}")
    text = module.TRIGGER if name == "practices_mapcell_apply" else module.SQL
    start = text.index(f"CREATE FUNCTION {name}()")
    end = text.index("$fn$;", start) + len("$fn$;")
    return "CREATE OR REPLACE" + text[start + len("CREATE") : end].replace("%%", "%") + "\n"


FORWARD = (
    CELL_TRIGGER.replace("{version}", VERSION.strip())
    + CELLBY_TRIGGER.replace("{version}", VERSION.strip())
    + theme_triggers(THEME_ROWS)
)
BACKWARD = (
    _old_function("0015_map_cells", "practices_mapcell_apply")
    + _old_function("0018_map_cells_by_filter", "practices_mapcellby_apply")
    + theme_triggers(OLD_THEME_ROWS)
)


class Migration(migrations.Migration):
    dependencies = [("practices", "0018_map_cells_by_filter")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
