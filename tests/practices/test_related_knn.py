"""Related practices on a practice's page: a nearest-neighbour index search among those sharing a theme (issue 11)."""

from django.contrib.gis.geos import Point
from django.db import connection
from django.test.utils import CaptureQueriesContext

from labs.moderation import ModerationState
from tests.conftest import client_for
from tests.factories import make_practice


def test_a_visitor_sees_the_six_nearest_practices_of_the_same_theme_nearest_first(client, db):
    here = make_practice(themes=["food"], location=Point(13.36, 38.11, srid=4326))
    for km in (40, 10, 30, 20, 60, 50, 70):  # about 0.009 degrees of latitude per km
        make_practice(title=f"Food at {km} km", themes=["food"], location=Point(13.36, 38.11 + km * 0.009, srid=4326))
    text = client.get(here.get_absolute_url()).text
    shown = [f"Food at {km} km" for km in (10, 20, 30, 40, 50, 60)]
    assert sorted(shown, key=text.index) == shown
    assert "Food at 70 km" not in text


def test_a_member_never_sees_a_draft_among_related_practices_even_of_their_own_lab(lab, member):
    here = make_practice(themes=["food"], lab=lab)
    make_practice(title="Our draft nearby", themes=["food"], lab=lab, state=ModerationState.DRAFT)
    make_practice(title="Published nearby", themes=["food"], location=Point(13.37, 38.12, srid=4326))
    text = client_for(member).get(here.get_absolute_url()).text
    assert "Published nearby" in text
    assert "Our draft nearby" not in text


def test_a_practice_without_a_theme_or_a_place_shows_no_related_practices(client, db):
    make_practice(title="Food nearby", themes=["food"])
    assert "Food nearby" not in client.get(make_practice(themes=[]).get_absolute_url()).text
    assert "Food nearby" not in client.get(make_practice(themes=["food"], location=None).get_absolute_url()).text


def test_related_practices_are_found_by_the_knn_operator_on_the_indexed_location(client, db):
    here = make_practice(themes=["food"])
    make_practice(themes=["food"])
    with CaptureQueriesContext(connection) as queries:
        client.get(here.get_absolute_url())
    related = [q["sql"] for q in queries if "<->" in q["sql"]]
    assert len(related) == 1
    assert '."location" <-> ' in related[0].split("ORDER BY")[1]
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'practices_practice' AND indexdef ~ 'gist'")
        assert any("(location)" in row[0] for row in cursor.fetchall())
