"""The partial indexes on the published state that visitors' queries read (issue 11; bench/explain.py shows them in
the plans at the benchmark's sizes, where the planner chooses them)."""

import pytest
from django.db import connection

from practices.models import Practice


def index_definitions() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'practices_practice'")
        return dict(cursor.fetchall())


@pytest.mark.parametrize(
    ("name", "columns"),
    [
        ("practice_published_location", "USING gist (location)"),
        ("practice_published_country", "(country, title, id)"),
        ("practice_lab_published_title", "(lab_id, title, id)"),
    ],
)
def test_what_visitors_see_has_its_partial_index_on_the_published_state(db, name, columns):
    definition = index_definitions()[name]
    assert columns in definition
    assert "WHERE ((state)::text = 'published'::text)" in definition


def test_a_visitors_filters_match_the_partial_indexes_predicate(db):
    """The planner uses a partial index only when the query repeats its predicate: visible_to() for a visitor does."""
    from django.contrib.auth.models import AnonymousUser

    sql = str(Practice.objects.visible_to(AnonymousUser()).filter(country="MT").order_by("title", "id").query)
    assert '"practices_practice"."state" = published' in sql
