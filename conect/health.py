"""What /healthz and `manage.py dbcheck` report about the database."""

from django.db import connection


def database_versions() -> dict[str, str | None]:
    """PostgreSQL and PostGIS versions; raises django.db.Error when the database cannot be reached."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
        cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'postgis'")
        row = cursor.fetchone()
    return {"postgresql": postgres, "postgis": row[0] if row else None}
