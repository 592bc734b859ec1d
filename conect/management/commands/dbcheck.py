from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection

from conect.health import database_versions


class Command(BaseCommand):
    help = "Check that the database answers and has PostGIS (creating the extension when allowed)."

    def handle(self, *args, **options):
        settings = connection.settings_dict
        where = f"{settings['HOST'] or 'localhost'}:{settings['PORT'] or 5432}/{settings['NAME']}"
        try:
            versions = database_versions()
        except DatabaseError as error:
            reason = str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__
            raise CommandError(
                f"cannot reach the database at {where} ({reason}): fix DATABASE_URL, "
                "or unset it to use the project's own cluster"
            ) from None
        if versions["postgis"] is None:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("CREATE EXTENSION IF NOT EXISTS postgis")
            except DatabaseError:
                raise CommandError(
                    f"the database at {where} has no PostGIS and this role may not add it: "
                    "install postgresql-15-postgis-3 on its server and run CREATE EXTENSION postgis as a superuser"
                ) from None
            versions = database_versions()
        self.stdout.write(f"database {where}: PostgreSQL {versions['postgresql']}, PostGIS {versions['postgis']}")
