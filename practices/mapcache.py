"""A version number for everything drawn on maps: cached tiles carry it in their key, so any change hides them.

The number lives in the database and is bumped inside the transaction of the change itself: every process and host
reads the same number, a tile computed before the change commits carries the old number, and nothing that evicts
cache entries can bring an old number back.
"""

from django.db import connection

from conect.dbrouter import read_connection

_TABLE = "practices_mapversion"


def map_version() -> int:
    """The version readers see: read where their other reads go (the replica, or the primary once they wrote), so a
    tile is never cached under a version newer than the rows it was drawn from."""
    with read_connection().cursor() as cursor:
        cursor.execute(f"SELECT version FROM {_TABLE} WHERE id = 1")  # noqa: S608 - a constant table name
        row = cursor.fetchone()
    return row[0] if row else 0


def bump_map_version() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_TABLE} (id, version) VALUES (1, 2)"  # noqa: S608
            f" ON CONFLICT (id) DO UPDATE SET version = {_TABLE}.version + 1"
        )
