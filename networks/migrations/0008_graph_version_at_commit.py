"""The graph version is bumped once per transaction, when it commits (a deferred constraint trigger), instead of by
every statement: the version row is then locked only for the instant of a commit, so a long import no longer holds
every other edit of organisations, memberships and relationships until it ends."""

from django.db import migrations

TABLES = ("networks_organisation", "networks_relationship", "networks_networkmembership")

AT_COMMIT = """
CREATE OR REPLACE FUNCTION networks_bump_graph_version() RETURNS trigger AS $$
BEGIN
    -- Once per transaction: the first row's trigger bumps, the others see the mark and return.
    IF current_setting('networks.graph_version_bumped', true) IS DISTINCT FROM txid_current()::text THEN
        PERFORM set_config('networks.graph_version_bumped', txid_current()::text, true);
        INSERT INTO networks_graphversion (id, version) VALUES (1, 2)
        ON CONFLICT (id) DO UPDATE SET version = networks_graphversion.version + 1;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"""
DROP TRIGGER IF EXISTS {table}_graph_version ON {table};
CREATE CONSTRAINT TRIGGER {table}_graph_version AFTER INSERT OR UPDATE OR DELETE ON {table}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION networks_bump_graph_version();
"""
    for table in TABLES
)

PER_STATEMENT = """
CREATE OR REPLACE FUNCTION networks_bump_graph_version() RETURNS trigger AS $$
BEGIN
    INSERT INTO networks_graphversion (id, version) VALUES (1, 2)
    ON CONFLICT (id) DO UPDATE SET version = networks_graphversion.version + 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"""
DROP TRIGGER IF EXISTS {table}_graph_version ON {table};
CREATE TRIGGER {table}_graph_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION networks_bump_graph_version();
"""
    for table in TABLES
)


class Migration(migrations.Migration):
    dependencies = [("networks", "0007_graph_imports")]

    operations = [migrations.RunSQL(AT_COMMIT, PER_STATEMENT)]
