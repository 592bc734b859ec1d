"""The map's result list: a bounded count, pages in title order, the same queries whatever the number of rows."""

import pytest
from django.contrib.gis.geos import Point

from practices import map_views
from tests.factories import make_practice


def lyon(title: str, **kwargs):
    return make_practice(title=title, location=Point(4.84, 45.76, srid=4326), city="Lyon", country="FR", **kwargs)


def test_a_visitor_is_told_there_are_more_results_than_counted(client, db, monkeypatch):
    monkeypatch.setattr("practices.models.SEARCH_CANDIDATES", 3)
    for n in range(5):
        lyon(f"Garden {n}")
    text = client.get("/en/map/results/?bbox=4,45,6,46").text
    assert "More than 3 practices" in text
    assert "data-more" in text


def test_a_visitor_reads_the_exact_count_below_the_cap(client, db, monkeypatch):
    monkeypatch.setattr("practices.models.SEARCH_CANDIDATES", 3)
    for n in range(3):
        lyon(f"Garden {n}")
    lyon("Draft garden", state="draft")
    text = client.get("/en/map/results/?bbox=4,45,6,46").text
    assert "3 practices" in text and "More than" not in text
    assert "Draft garden" not in text


def test_a_visitor_pages_through_the_results_in_title_order(client, db, monkeypatch):
    monkeypatch.setattr(map_views, "RESULTS_PER_PAGE", 2)
    for title in ("Delta", "Alpha", "Charlie", "Bravo", "Echo"):
        lyon(title)
    first = client.get("/en/map/results/?bbox=4,45,6,46").text
    second = client.get("/en/map/results/?bbox=4,45,6,46&page=2").text
    assert first.index("Alpha") < first.index("Bravo") and "Charlie" not in first
    assert "Charlie" in second and "Delta" in second and "Alpha" not in second
    assert "page=3" in second  # "Next"


@pytest.mark.parametrize("rows", [1, 30])
def test_the_result_list_runs_the_same_queries_for_1_or_30_practices(client, db, django_assert_num_queries, rows):
    for n in range(rows):
        lyon(f"Garden {n}", themes=["food"])
    client.get("/en/map/results/")
    with django_assert_num_queries(6):  # the theme filter, the count, the page, its themes, SDGs and translations
        client.get("/en/map/results/?theme=food&bbox=4,45,6,46&page=2")


def test_a_visitor_searching_words_on_the_map_reads_the_best_of_a_bounded_number_of_matches(client, db, monkeypatch):
    """The map's list ranks as the search page does (PracticeQuerySet.by_relevance): at most SEARCH_CANDIDATES
    matches are ranked, and the count says "more than" beyond them."""
    monkeypatch.setattr("practices.models.SEARCH_CANDIDATES", 3)
    for n in range(5):
        lyon(f"Seed library {n}")
    text = client.get("/en/map/results/?bbox=4,45,6,46&q=seed").text
    assert "More than 3 practices" in text
    assert text.count('href="/en/practices/seed-library') == 3


def test_the_search_page_and_the_maps_list_say_the_same_count_for_the_same_words(client, db, monkeypatch):
    monkeypatch.setattr("practices.models.SEARCH_CANDIDATES", 3)
    for n in range(2):
        lyon(f"Seed library {n}")
    assert "2 practices" in client.get("/en/search/?q=seed").text
    assert "2 practices" in client.get("/en/map/results/?q=seed").text
