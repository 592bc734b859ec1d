"""A task queued wakes the workers at once: the queue's table NOTIFYs conect_tasks (TASKS_CHANNEL of
conect/management/commands/db_worker.py) after every statement that adds tasks. PostgreSQL delivers it when the
transaction commits (never for one rolled back), and folds the notifications of one transaction into one."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION conect_tasks_notify() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM pg_notify('conect_tasks', '');
  RETURN NULL;
END
$fn$;
CREATE TRIGGER conect_tasks_notify AFTER INSERT ON django_tasks_database_dbtaskresult
  FOR EACH STATEMENT EXECUTE FUNCTION conect_tasks_notify();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS conect_tasks_notify ON django_tasks_database_dbtaskresult;
DROP FUNCTION IF EXISTS conect_tasks_notify();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("conect", "0004_map_version_moves_to_practices"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
