"""The site search's words as one tsquery, each configuration's distinct query once; spaces in their names' order.

conect_search_query(words, VARIADIC configs) ORs websearch_to_tsquery(config, words) over the configurations, each
distinct query once (practices.models.SearchWords): "practice" is 'practic' | 'practice', not 'practic' six times and
'practice'. Declared immutable like websearch_to_tsquery(regconfig, text), so the planner folds a call on constants
into the tsquery itself: its estimates, the GIN index's conditions and ts_rank read each word once.

The index on the spaces' names lets the search page's first spaces by name (Space.Meta.ordering) come from an early
stop of an ordered scan when a word is in many spaces, instead of reading and sorting each match. Built concurrently.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models

SQL = """
CREATE OR REPLACE FUNCTION conect_search_query(words text, VARIADIC configs regconfig[]) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(string_agg(DISTINCT '(' || query::text || ')', ' | '), '')::tsquery
  FROM unnest(configs) AS config, websearch_to_tsquery(config, words) AS query
  WHERE query::text <> ''
$$;
"""

REVERSE = "DROP FUNCTION IF EXISTS conect_search_query(text, regconfig[]);"


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("practices", "0020_map_cells_by_status_scale_dimension_group"),
    ]

    operations = [
        migrations.RunSQL(SQL, REVERSE),
        AddIndexConcurrently(model_name="space", index=models.Index(fields=["name"], name="space_name_order")),
    ]
