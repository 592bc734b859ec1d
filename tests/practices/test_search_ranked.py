"""The site search ranks its matches in one query (PracticeQuerySet.by_relevance, issue 12): the words once in every
language, the matches of the words before the titles alike, the same results as ranking every match."""

import pytest
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Upper

from labs.moderation import ModerationState
from practices.models import SEARCH_CONFIGS, Practice, PracticeTranslation, Unaccent
from tests.factories import make_practice, make_space


@pytest.fixture
def few_candidates(monkeypatch):
    monkeypatch.setattr("practices.models.SEARCH_CANDIDATES", 3)


def ranked_every_match(words: str) -> list[int]:
    """The ranking before issue 12, with the titles alike at rank 0: seven queries OR'ed, the titles alike in the
    same filter, every match ranked."""
    query = SearchQuery(words, config=SEARCH_CONFIGS[0], search_type="websearch")
    for config in SEARCH_CONFIGS[1:]:
        query |= SearchQuery(words, config=config, search_type="websearch")
    title_alike = Q(folded_title__trigram_word_similar=Unaccent(Upper(Value(words))))
    return list(
        Practice.objects.alias(folded_title=Unaccent(Upper("title")))
        .filter(Q(search_vector=query) | title_alike)
        .annotate(rank=Case(When(search_vector=query, then=SearchRank(F("search_vector"), query)), default=0.0))
        .order_by("-rank", "title", "pk")
        .values_list("pk", flat=True)
    )


def test_a_word_stemmed_alike_in_several_languages_is_looked_up_once(db):
    sql = "SELECT conect_search_query(%s, VARIADIC %s::regconfig[])::text"
    with connection.cursor() as cursor:
        cursor.execute(sql, ["practice", list(SEARCH_CONFIGS)])
        assert cursor.fetchone()[0] == "'practic' | 'practice'"


def test_a_visitor_finds_the_practice_titled_with_the_word_before_one_mentioning_it(client, db):
    make_practice(title="Repair café", summary="On Sundays we also open the kitchen.")
    make_practice(title="Neighbourhood kitchen", summary="Cooking together.")
    make_practice(title="Seed library", summary="Seeds to borrow.")
    text = client.get("/en/search/?q=kitchen").text
    assert text.index("Neighbourhood kitchen") < text.index("Repair café")
    assert "Seed library" not in text
    assert "2 practices" in text


def test_a_search_in_italian_finds_the_italian_stem(client, db):
    make_practice(title="Orti urbani", original_language="it", description="Coltiviamo insieme gli orti della città.")
    make_practice(title="Urban gardens", original_language="en", description="We grow vegetables together.")
    text = client.get("/it/search/?q=coltivare").text
    assert "Orti urbani" in text
    assert "Urban gardens" not in text


def test_a_translation_is_found_by_the_words_of_its_language(client, db):
    practice = make_practice(title="Spesa sospesa", original_language="it")
    PracticeTranslation.objects.create(practice=practice, language="de", title="Aufgeschobener Einkauf")
    assert "Spesa sospesa" in client.get("/en/search/?q=Einkäufe").text


def test_a_title_alike_comes_after_the_practices_that_have_the_word(client, db):
    make_practice(title="Cooperativa Melpignamo", summary="A cooperative of the village.")  # a typo in its title
    make_practice(title="Community shop", summary="Open in Melpignano since 2001.")
    text = client.get("/en/search/?q=Melpignano").text
    assert text.index("Community shop") < text.index("Cooperativa Melpignamo")
    assert "2 practices" in text


def test_a_title_alike_is_left_out_when_the_word_has_more_matches_than_are_ranked(client, db, few_candidates):
    for n in range(4):
        make_practice(title=f"Shop {n}", summary="Open in Melpignano.")
    make_practice(title="Cooperativa Melpignamo")
    text = client.get("/en/search/?q=Melpignano").text
    assert "More than 3 practices" in text
    assert "Cooperativa Melpignamo" not in text


def test_a_draft_with_a_title_alike_never_appears(client, lab):
    make_practice(title="Cooperativa Melpignamo", lab=lab, state=ModerationState.DRAFT)
    make_practice(title="Cooperativa Melpignano", lab=lab)
    text = client.get("/en/search/?q=Melpignano").text
    assert "Cooperativa Melpignano" in text
    assert "Melpignamo" not in text
    assert "1 practice" in text


@pytest.mark.parametrize("words", ["practice", "community garden", "orti", "Melpignano", "garden community kitchen"])
def test_the_search_ranks_as_when_every_match_was_ranked(db, words):
    make_practice(title="Community garden", summary="A garden of the community, gardening for all.")
    make_practice(title="Garden of the commons", summary="Community gardens and a kitchen.")
    make_practice(title="Orti di comunità", original_language="it", description="Gli orti della comunità.")
    make_practice(title="Cooperativa Melpignamo", summary="A community cooperative.")
    make_practice(title="Community shop", summary="Open in Melpignano, a practice of the village.")
    make_practice(title="Practice of repair", summary="Practices of repair, practised weekly.")
    make_practice(title="Gemeinschaftsgarten", original_language="de", description="Ein Garten der Gemeinschaft.")
    for n in range(5):
        make_practice(title=f"Practice {n}", summary=f"Summary of practice {n}, with a garden.")
    expected = ranked_every_match(words)
    assert expected, "the words match something"
    assert Practice.objects.search(words).by_relevance().ids == expected


@pytest.mark.parametrize("words", ["garden -kitchen", "garden -kitchens", "gardens -Kitchen", 'garden -"kitchen"'])
def test_a_practice_with_an_excluded_word_is_never_found(db, words):
    """Not even as a title alike (whose ts_rank, counting the words it holds, once put it first), nor through a
    language whose stem of the word it lacks."""
    make_practice(title="Garden kitchen", summary="A garden with a kitchen.")
    make_practice(title="Gardens", summary="A garden.")
    make_practice(title="Kitchen garden of the school", original_language="it", description="Un orto.")
    found = Practice.objects.search(words).by_relevance()
    assert [Practice.objects.get(pk=pk).title for pk in found.ids] == ["Gardens"]


@pytest.mark.parametrize("words", ["-kitchen", "-Kitchens", "-kitchen -garden"])
def test_a_search_that_only_excludes_a_word_finds_no_practice_holding_it_in_any_language(db, words):
    make_practice(title="Neighbourhood kitchen", summary="Cooking together.")
    make_practice(title="Cucina di quartiere", original_language="it", description="In the kitchen, together.")
    make_practice(title="Nachbarschaftsküche", original_language="de", description="Eine Küche für alle.")
    make_practice(title="Seed library", summary="Seeds to borrow.")
    found = [Practice.objects.get(pk=pk) for pk in Practice.objects.search(words).by_relevance().ids]
    assert [practice.title for practice in found] == ["Nachbarschaftsküche", "Seed library"]


def test_a_title_alike_ranks_after_every_match_of_the_words_even_holding_more_of_them(db):
    """Its rank is 0: "Comunity garden kitchen" holds 'garden' and 'kitchen' in its title but not 'community', so it
    is alike and not a match; its ts_rank would have put it first."""
    make_practice(title="Comunity garden kitchen", summary="Garden, kitchen, garden, kitchen.")
    make_practice(title="Repair café", summary="A community garden with a kitchen nearby.")
    ids = Practice.objects.search("community garden kitchen").by_relevance().ids
    assert [Practice.objects.get(pk=pk).title for pk in ids] == ["Repair café", "Comunity garden kitchen"]


def test_a_search_among_no_practices_finds_none_without_a_query(db, django_assert_num_queries):
    make_practice(title="Community garden")
    with django_assert_num_queries(0):
        assert Practice.objects.none().search("garden").by_relevance().count() == 0


def test_the_search_page_lists_the_first_spaces_by_name(client, db):
    for name in ("Zeta garden", "Alpha garden", "Mid garden"):
        make_space(name=name)
    text = client.get("/en/search/?q=garden").text
    assert text.index("Alpha garden") < text.index("Mid garden") < text.index("Zeta garden")
