"""The map's precomputed cells for one value of four more filters of the practices: practices_mapcellby (migration
0018) gains, for the practices' layer,
- dim 's': each status (Practice.status: active, paused, ended);
- dim 'k': each scale (Practice.scale, none for a practice without one);
- dim 'd': each resilience dimension, counting a practice under every dimension it has, once even if its array holds
  it twice (the `dimension` filter selects the practices whose dimensions overlap the chosen ones);
- dim 'g': each target group, likewise.
They are all columns of the practice itself, so only the practices' own rows change: the SQL of a practice's rows
(PRACTICE_ROWS) is the practices' triggers' argument and is embedded in practices_mapcellby_rebuild(); both are made
again with the new SQL (the triggers' function is 0019's, unchanged: the map version's lock first). The cells of the
new dims are counted once from the table; the others are left as they are.

The migration takes the map version's row first, as every map writer does (migration 0019), then a lock that keeps
the practices' writers out (not their readers) until it commits: no change of a practice falls between the count
and the new triggers. At 1,000,000 practices the count takes 20 to 30 s, during which every writer of the map waits
(the version's row): practices, spaces, themes, translations. A writer that changed the practices' table before
taking the version (a queryset update(), COPY or SQL by hand, whose cell trigger takes it after the rows) would wait
for the migration while the migration waits for it: the migration waits at most 10 s for a lock (lock_timeout), then
fails, and can simply be run again.
"""

import importlib

from django.db import migrations

_0018 = importlib.import_module("practices.migrations.0018_map_cells_by_filter")

# 0018's rows of a practice, (id, location, state, theme, dim, key) read from %1$s, and of a space.
OLD_PRACTICE_ROWS, SPACE_ROWS = _0018.PRACTICE_ROWS, _0018.SPACE_ROWS
# The new dims alone, to count the existing practices once.
NEW_DIMS = (
    "SELECT 's'::text AS dim, nullif(r.status, '')::text AS key UNION ALL SELECT 'k', nullif(r.scale, '')"
    " UNION ALL SELECT DISTINCT 'd', e FROM unnest(r.dimensions) e"
    " UNION ALL SELECT DISTINCT 'g', e FROM unnest(r.target_groups) e"
)
ROWS = (
    "SELECT r.id, r.location, r.state, coalesce(r.primary_theme_id, 0) AS theme, d.dim, d.key FROM %1$s r"
    " CROSS JOIN LATERAL ({dims}) d WHERE d.key IS NOT NULL"
)
NEW_ROWS = ROWS.replace("{dims}", NEW_DIMS)
# 0018's rows with the new dims after its own.
PRACTICE_ROWS = OLD_PRACTICE_ROWS.replace(") d WHERE", " UNION ALL {dims}) d WHERE").replace("{dims}", NEW_DIMS)
assert OLD_PRACTICE_ROWS.count(") d WHERE") == 1

VERSION = """
SET LOCAL lock_timeout = '10s';
INSERT INTO practices_mapversion (id, version) VALUES (1, 2)
  ON CONFLICT (id) DO UPDATE SET version = practices_mapversion.version + 1;
"""

REBUILD = """
CREATE OR REPLACE FUNCTION practices_mapcellby_rebuild() RETURNS void LANGUAGE plpgsql AS $fn$
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


def practice_triggers(rows: str) -> str:
    table, args = "practices_practice", f"'0', {quote(rows)}, ''"
    sql = ""
    for event, refs in (
        ("INSERT", "REFERENCING NEW TABLE AS new_rows"),
        ("UPDATE", "REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows"),
        ("DELETE", "REFERENCING OLD TABLE AS old_rows"),
        ("TRUNCATE", ""),
    ):
        name = f"{table}_mapcellby_{event.lower()}"
        sql += (
            f"CREATE OR REPLACE TRIGGER {name} AFTER {event} ON {table} {refs}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION practices_mapcellby_apply({args});\n"
        )
    return sql


def rebuild(practice_rows: str) -> str:
    return REBUILD % {"practice_rows": quote(practice_rows), "space_rows": quote(SPACE_ROWS)}


FILL = """
DO $$ BEGIN
  EXECUTE practices_mapcellby_add(0::smallint,
    format('SELECT *, 1 AS sign FROM (%s) a', format({new_rows}, 'practices_practice')));
END $$;
""".replace("{new_rows}", quote(NEW_ROWS))
EMPTY = "DELETE FROM practices_mapcellby WHERE layer = 0 AND dim IN ('s', 'k', 'd', 'g');\n"


# Writers of the practices wait from here to the commit; readers never (the triggers are replaced in place, under the
# same lock, not dropped).
LOCK = "LOCK TABLE practices_practice IN SHARE ROW EXCLUSIVE MODE;\n"


def forward() -> str:
    return (
        VERSION
        + LOCK
        + FILL
        + "ANALYZE practices_mapcellby;\n"
        + rebuild(PRACTICE_ROWS)
        + practice_triggers(PRACTICE_ROWS)
    )


def backward() -> str:
    return VERSION + LOCK + EMPTY + rebuild(OLD_PRACTICE_ROWS) + practice_triggers(OLD_PRACTICE_ROWS)


class Migration(migrations.Migration):
    dependencies = [("practices", "0019_map_locks_version_first")]
    operations = [migrations.RunSQL(forward(), backward())]
