"""Hostile input through the pages and the import: a message or a 400, never a server error."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from labs.moderation import ModerationState
from practices import importers
from practices.models import Practice
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
    response = client_for(facilitator).post("/en/practices/import/", data)
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
