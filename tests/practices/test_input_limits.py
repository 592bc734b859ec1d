"""Hostile input through the pages and the import: a message or a 400, never a server error."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from labs.moderation import ModerationState
from practices import importers
from practices.models import DESCRIPTION_MAX_LENGTH, Practice
from practices.vocabularies import TEXT_LANGUAGES
from tests.api.test_input_limits import distinct_words
from tests.conftest import client_for
from tests.factories import make_practice
from tests.practices.test_forms import form_data

S = ModerationState


def archive(user, practice, reason: str):
    return client_for(user).post(f"/en/practices/{practice.slug}/archive/", {"reason": reason})


def test_a_nul_character_in_a_form_field_is_a_400_and_changes_nothing(lab, facilitator):
    practice = make_practice(lab=lab)
    assert archive(facilitator, practice, "dup\x00licate").status_code == 400
    practice.refresh_from_db()
    assert practice.state == S.PUBLISHED


def test_the_same_form_without_the_nul_character_is_saved(lab, facilitator):
    practice = make_practice(lab=lab)
    assert archive(facilitator, practice, "duplicate").status_code == 302
    practice.refresh_from_db()
    assert practice.state == S.ARCHIVED


def test_a_nul_character_in_a_reference_of_the_practice_form_is_a_400(lab, member):
    response = client_for(member).post("/en/practices/new/", form_data(lab=f"{lab.pk}\x00", themes=["1\x00"]))
    assert response.status_code == 400
    assert not Practice.objects.exists()


def deep_geojson(depth: int) -> bytes:
    tags = "[" * depth + '"deep"' + "]" * depth
    point = '{"type": "Point", "coordinates": [13.36, 38.11]}'
    feature = f'{{"geometry": {point}, "properties": {{"name": "Emporio", "tags": {tags}}}}}'
    return f'{{"type": "FeatureCollection", "features": [{feature}]}}'.encode()


def test_a_geojson_nested_100000_levels_deep_is_refused_with_a_reason(lab, facilitator):
    data = {"file": SimpleUploadedFile("deep.geojson", deep_geojson(100_000)), "source": "t", "lab": lab.pk}
    response = client_for(facilitator).post("/en/practices/import/", data, follow=True)
    assert response.status_code == 200
    assert "nested more than 32 levels deep" in response.text


def test_a_geojson_nested_within_the_limit_is_read():
    table = importers.read_table(deep_geojson(20), "shallow.geojson")
    assert table.rows[0]["name"] == "Emporio"
    assert json.loads(table.rows[0]["tags"].replace("'", '"'))


@pytest.mark.parametrize("text", ['"\\u0000"', '"\\udc00"'])
def test_a_geojson_with_text_postgresql_cannot_store_is_refused(text):
    content = f'{{"type": "FeatureCollection", "features": [{{"properties": {{"name": {text}}}}}]}}'.encode()
    with pytest.raises(importers.ImportFileError):
        importers.read_table(content, "nul.geojson")


def test_a_control_character_in_the_title_is_a_field_error_of_the_form(lab, member):
    response = client_for(member).post("/en/practices/new/", form_data(lab=lab.pk, title="Emporio\x0bsolidale"))
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == ["Remove the invisible control character U+000B from the text."]
    assert not Practice.objects.exists()


def test_an_imported_row_with_a_control_character_is_refused_with_the_reason(db):
    table = importers.Table(["name", "country"], [{"name": "Emporio\x0bsolidale", "country": "IT"}])
    [row] = importers.plan(table, {"title": "name", "country": "country"}, source="test", europe_only=False)
    assert row.action == "reject"
    assert "U+000B" in " ".join(row.reasons)


def translations_data(languages: list[str], start: int) -> dict:
    data = {"translations-TOTAL_FORMS": str(len(languages)), "translations-INITIAL_FORMS": "0",
            "translations-MIN_NUM_FORMS": "0", "translations-MAX_NUM_FORMS": "1000"}  # fmt: skip
    for n, language in enumerate(languages):
        offset = start + n * 30_000
        data |= {
            f"translations-{n}-language": language,
            f"translations-{n}-title": distinct_words(250, offset),
            f"translations-{n}-summary": distinct_words(500, offset + 100),
            f"translations-{n}-description": distinct_words(DESCRIPTION_MAX_LENGTH, offset + 300),
        }
    return data


def longest_practice(lab, member) -> Practice:
    practice = make_practice(
        lab=lab,
        original_language="it",
        title=distinct_words(250, 0),
        summary=distinct_words(500, 100),
        description=distinct_words(DESCRIPTION_MAX_LENGTH, 300),
    )
    assert len(practice.title) == 250 and len(practice.summary) == 500
    return practice


def test_a_practice_with_the_longest_texts_and_six_translations_saves_and_every_word_is_found(lab, member):
    practice = longest_practice(lab, member)
    languages = ["en", "ro", "fr", "de", "es", "pl"]
    url = f"/en/practices/{practice.slug}/translations/"
    assert client_for(member).post(url, translations_data(languages, 30_000)).status_code == 302
    assert practice.translations.count() == 6
    last_description = distinct_words(DESCRIPTION_MAX_LENGTH, 5 * 30_000 + 30_300)
    for word in (practice.description.split()[-2], last_description.split()[-2]):
        assert list(Practice.objects.search(word)) == [practice]


def test_a_practice_translated_into_every_language_saves_and_its_titles_are_found(lab, member):
    practice = longest_practice(lab, member)
    languages = [code for code in TEXT_LANGUAGES if code != "it"]
    url = f"/en/practices/{practice.slug}/translations/"
    assert client_for(member).post(url, translations_data(languages, 30_000)).status_code == 302
    assert practice.translations.count() == len(TEXT_LANGUAGES) - 1
    last_title = distinct_words(250, (len(languages) - 1) * 30_000 + 30_000)
    assert list(Practice.objects.search(last_title.split()[-2])) == [practice]
