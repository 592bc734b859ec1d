"""Which text a reader gets (their language, the original, English, any translation) and how the page marks it."""

import pytest
from django.utils import translation

from practices.models import PracticeTranslation
from tests.factories import make_practice


@pytest.fixture
def italian(db):
    """An Italian practice with an Italian text."""
    return make_practice(title="Spesa sospesa", summary="", description="Una spesa pagata per chi non può.",
                         original_language="it")  # fmt: skip


@pytest.fixture
def imported_without_original_text(db):
    """Imported from a file that gave only translations: no words in the original."""
    practice = make_practice(title="Orto comune", summary="", description="", original_language="it")
    PracticeTranslation.objects.create(practice=practice, language="de", title="Orto comune", description="Ein Garten.")
    return practice


def translate(practice, language: str, **texts) -> PracticeTranslation:
    return PracticeTranslation.objects.create(practice=practice, language=language, **texts)


def test_the_reader_gets_their_language_when_a_translation_has_words(italian):
    translate(italian, "fr", title="Courses suspendues", description="Des courses payées pour qui ne peut pas.")
    text = italian.localised("fr")
    assert (text.title, text.language, text.is_original) == ("Courses suspendues", "fr", False)


def test_without_their_language_the_reader_gets_the_original(italian):
    translate(italian, "fr", title="Courses suspendues", description="Des courses payées.")
    text = italian.localised("de")
    assert (text.description, text.language, text.is_original) == (italian.description, "it", True)


def test_an_original_without_words_gives_way_to_the_english_translation(imported_without_original_text):
    translate(imported_without_original_text, "en", title="Shared garden", description="A garden.")
    text = imported_without_original_text.localised("ro")
    assert (text.description, text.language, text.is_original) == ("A garden.", "en", False)


def test_without_english_any_translation_with_words_is_shown(imported_without_original_text):
    text = imported_without_original_text.localised("ro")
    assert (text.description, text.language) == ("Ein Garten.", "de")


def test_a_translation_is_never_completed_with_another_languages_text(italian):
    translate(italian, "en", title="Suspended groceries", summary="", description="Groceries paid for others.")
    italian.summary = "Sintesi in italiano"
    assert italian.localised("en").summary == ""


def test_a_translated_title_alone_goes_over_the_original_text_marked_as_original(italian):
    translate(italian, "en", title="Suspended groceries")
    text = italian.localised("en")
    assert (text.title, text.description, text.language, text.is_original) == (
        "Suspended groceries",
        italian.description,
        "it",
        True,
    )


def test_the_page_marks_the_language_of_a_translation_in_a_third_language(client, imported_without_original_text):
    page = client.get(imported_without_original_text.get_absolute_url()).content.decode()
    assert '<div class="prose" lang="de">' in page
    assert "Shown in German, from a translation: there is no text in this language yet." in page


def test_the_result_list_names_the_language_of_a_text_in_another_language(client, italian):
    page = client.get("/en/search/", {"q": "Spesa sospesa"}).content.decode()
    assert 'lang="it">Spesa sospesa</a>' in page
    assert "written in Italian" in page


def test_the_result_list_names_no_language_for_the_pages_own(client, italian):
    with translation.override("it"):
        page = client.get("/it/search/", {"q": "Spesa sospesa"}).content.decode()
    assert "Spesa sospesa" in page
    assert "scritt" not in page and "written in" not in page
