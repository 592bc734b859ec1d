"""The language of imported texts, when the file names none: detected, or taken from its description:xx columns."""

import json
from pathlib import Path

from practices import importers, languages

SUSY = Path(__file__).resolve().parents[2] / "practices" / "data" / "susy-ssedas.geojson"
GINESTRA = "e98fb9126657fd09e8c7e432170382a7"  # Cooperativa La Ginestra: only a description:it
KLIMABUENDNIS_TEXT = "Das Klimabündnis ist eine globale Partnerschaft zum Schutz des Klimas"


def test_a_sentence_in_italian_is_detected_as_italian():
    text = "Cooperativa della campagna toscana che produce in maniera eco-compatibile, senza sostanze chimiche."
    assert languages.detect(text) == "it"


def test_a_few_words_around_names_get_no_language_rather_than_a_guess():
    assert languages.detect("Helsinki Timebank") is None
    assert languages.detect("Oma Maa") is None


def test_a_language_the_row_gives_another_text_in_is_passed_over_when_the_detector_hesitates():
    english = "Világbolt Worldshop is a fair trade shop in the heart of Budapest."
    assert languages.detect(english) == "hu"  # fooled by the names
    assert languages.original_text(english, {"hu": "Fair trade üzlet Budapest szívében."}) == (None, english)


def test_a_language_the_detector_is_sure_of_is_kept_beside_another_text_in_it():
    german = f"{KLIMABUENDNIS_TEXT} und verbindet mittlerweile Gemeinden in ganz Europa."
    assert languages.original_text(german, {"de": KLIMABUENDNIS_TEXT}) == ("de", german)


def test_a_row_with_only_a_translated_text_takes_it_as_its_original():
    assert languages.original_text("", {"es": "", "it": "Cooperativa toscana."}) == ("it", "Cooperativa toscana.")


def test_a_row_without_any_text_has_no_language():
    assert languages.original_text("", {}) == (None, "")


def _plan_susy_rows(tmp_path, *ids: str) -> list[importers.RowPlan]:
    document = json.loads(SUSY.read_text())
    document["features"] = [f for f in document["features"] if f["properties"]["_id"] in ids]
    table = importers.read_table(json.dumps(document).encode(), "susy.geojson")
    return importers.plan(table, importers.guess_mapping(table), source="susy")


def test_cooperativa_la_ginestra_is_planned_in_italian_with_its_italian_text(db, tmp_path):
    [row] = _plan_susy_rows(tmp_path, GINESTRA)
    assert row.values["original_language"] == "it"
    assert row.values["description"].startswith("Cooperativa della campagna toscana")
    assert row.translations == {}


def test_a_file_that_names_the_language_is_believed(db):
    table = importers.Table(
        ["name", "description", "language", "country"],
        [{"name": "Orto", "description": "An English text for sure, long enough.", "language": "it", "country": "IT"}],
    )
    [row] = importers.plan(table, importers.guess_mapping(table), source="x", europe_only=False)
    assert row.values["original_language"] == "it"
