"""The site search ranks a bounded number of matches and says "more than" beyond them (issue 11)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from labs.moderation import ModerationState
from practices.models import Practice
from practices.paging import CappedPaginator
from tests.conftest import client_for
from tests.factories import make_practice


@pytest.fixture
def few_candidates(monkeypatch):
    """Three candidates instead of a thousand, so a handful of practices shows the bound."""
    monkeypatch.setattr("practices.models.SEARCH_CANDIDATES", 3)


def titles_on(page_text: str, titles: list[str]) -> list[str]:
    return sorted((title for title in titles if title in page_text), key=page_text.index)


def test_a_visitor_sees_the_practices_named_after_the_word_before_those_that_only_mention_it(client, db):
    make_practice(title="Orto di quartiere", summary="A garden mentioned once.")
    make_practice(title="Garden of the commons", summary="A community garden, gardening for all.")
    make_practice(title="Unrelated", summary="Nothing to see.")
    text = client.get("/en/search/?q=garden").text
    expected = ["Garden of the commons", "Orto di quartiere"]
    assert titles_on(text, expected) == expected
    assert "Unrelated" not in text
    assert "2 practices" in text


def test_a_visitor_reads_more_than_n_practices_when_the_matches_exceed_the_ranked_ones(client, db, few_candidates):
    for n in range(5):
        make_practice(title=f"Seed library {n}")
    text = client.get("/en/search/?q=seed").text
    assert "More than 3 practices" in text
    assert text.count('href="/en/practices/seed-library') == 3


def test_a_visitor_reads_the_exact_total_up_to_the_bound(client, db, few_candidates):
    for n in range(3):
        make_practice(title=f"Seed library {n}")
    text = client.get("/en/search/?q=seed").text
    assert "3 practices" in text
    assert "More than" not in text


def test_a_visitor_never_finds_a_draft_among_the_ranked_matches(client, lab, few_candidates):
    for n in range(4):
        make_practice(title=f"Seed draft {n}", lab=lab, state=ModerationState.DRAFT)
    make_practice(title="Seed published", lab=lab)
    text = client.get("/en/search/?q=seed").text
    assert "Seed published" in text
    assert "Seed draft" not in text
    assert "1 practice" in text


def test_a_member_finds_the_drafts_of_their_lab_but_not_those_of_another(lab, other_lab, member):
    make_practice(title="Seed of ours", lab=lab, state=ModerationState.DRAFT)
    make_practice(title="Seed of theirs", lab=other_lab, state=ModerationState.DRAFT)
    text = client_for(member).get("/en/search/?q=seed").text
    assert "Seed of ours" in text
    assert "Seed of theirs" not in text


def test_ranking_is_bounded_by_a_limit_on_the_matches_in_the_sql(db):
    """Seven candidates ranked, and one more found to know there are more: LIMIT 8 in the one query that ranks."""
    with CaptureQueriesContext(connection) as queries:
        Practice.objects.search("seed").by_relevance(candidates=7).count()
    (sql,) = [query["sql"] for query in queries.captured_queries]
    assert "LIMIT 8" in sql
    assert "ts_rank" in sql


def test_a_paginator_counts_ranked_matches_up_to_their_own_bound(db):
    """by_relevance(candidates=7) in a CappedPaginator: "7, and more", not 8 when 7 are listed."""
    for n in range(9):
        make_practice(title=f"Seed library {n}")
    paginator = CappedPaginator(Practice.objects.search("seed").by_relevance(candidates=7), 20)
    assert (paginator.count, paginator.more) == (7, True)
    assert len(paginator.page(1).object_list) == 7


@pytest.mark.parametrize("rows", [1, 25])
def test_the_search_page_runs_the_same_queries_for_1_or_25_matches(client, db, rows, django_assert_num_queries):
    for n in range(rows):
        make_practice(title=f"Seed library {n}", themes=["food"])
    client.get("/en/search/?q=seed")
    with django_assert_num_queries(6):
        client.get("/en/search/?q=seed")
