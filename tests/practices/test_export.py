"""Exports of the filtered set (/practices/export.csv, .geojson, .xlsx): streamed a chunk at a time in one query,
the same columns in every format, and text that survives each format."""

import csv
import io
import json

import pytest
from django.contrib.gis.geos import Point
from openpyxl import load_workbook

from labs.moderation import ModerationState
from practices import import_views
from practices.import_views import EXPORT_COLUMNS
from practices.models import Practice
from tests.conftest import client_for
from tests.factories import make_practice

EXPORTS = ["csv", "geojson", "xlsx"]
AWKWARD = '=SUM(1+2) "quoted", a comma\nand a second line'


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def read(fmt: str, response) -> list[dict]:
    """The export's rows as dictionaries, whatever the format (GeoJSON: the properties, with the coordinates)."""
    content = body(response)
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(content.decode())))
    if fmt == "geojson":
        document = json.loads(content)
        assert document["type"] == "FeatureCollection"
        rows = []
        for feature in document["features"]:
            assert feature["type"] == "Feature"
            coordinates = feature["geometry"]["coordinates"] if feature["geometry"] else ["", ""]
            rows.append(feature["properties"] | {"longitude": coordinates[0], "latitude": coordinates[1]})
        return rows
    header, *rows = load_workbook(io.BytesIO(content), read_only=True).active.iter_rows(values_only=True)
    assert list(header) == EXPORT_COLUMNS
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.fixture
def practice(lab):
    practice = make_practice(
        title="Orto", lab=lab, themes=["food", "ecology"], dimensions=["social", "economic"], city="Palermo"
    )
    practice.sdgs.set([12, 2])
    return practice


@pytest.mark.parametrize("fmt", EXPORTS)
def test_every_format_gives_the_same_columns_and_values(client, practice, fmt):
    [row] = read(fmt, client.get(f"/en/practices/export.{fmt}"))
    assert {k: row[k] for k in ("slug", "title", "themes", "sdgs", "dimensions", "lab", "state", "country")} == {
        "slug": practice.slug,
        "title": "Orto",
        "themes": "ecology;food",
        "sdgs": "2;12",
        "dimensions": "social;economic",
        "lab": practice.lab.slug,
        "state": "published",
        "country": "IT",
    }
    assert float(row["latitude"]) == 38.1166 and float(row["longitude"]) == 13.3636
    assert row["url"] == f"http://testserver/en/practices/{practice.slug}/"


def test_the_csv_has_exactly_the_export_columns_in_order(client, practice):
    header = body(client.get("/en/practices/export.csv")).decode().splitlines()[0]
    assert header.split(",") == EXPORT_COLUMNS


def test_the_geojson_properties_are_the_csv_columns_without_the_coordinates(client, practice):
    [feature] = json.loads(body(client.get("/en/practices/export.geojson")))["features"]
    assert list(feature["properties"]) == [c for c in EXPORT_COLUMNS if c not in ("latitude", "longitude")]
    assert feature["geometry"] == {"type": "Point", "coordinates": [13.3636, 38.1166]}


@pytest.mark.parametrize("fmt", EXPORTS)
def test_a_practice_without_a_place_is_exported_without_coordinates(client, lab, fmt):
    make_practice(lab=lab, location=None)
    [row] = read(fmt, client.get(f"/en/practices/export.{fmt}"))
    assert row["latitude"] in ("", None) and row["longitude"] in ("", None)


@pytest.mark.parametrize("fmt", EXPORTS)
def test_an_export_with_no_rows_is_a_valid_file(client, db, fmt):
    response = client.get(f"/en/practices/export.{fmt}")
    assert response.status_code == 200
    assert read(fmt, response) == []


@pytest.mark.parametrize(("fmt", "title"), [("csv", "'" + AWKWARD), ("xlsx", "'" + AWKWARD), ("geojson", AWKWARD)])
def test_a_title_with_a_formula_quotes_a_comma_and_a_newline_survives_each_format(client, lab, fmt, title):
    make_practice(lab=lab, title=AWKWARD)
    [row] = read(fmt, client.get(f"/en/practices/export.{fmt}"))
    assert row["title"] == title  # spreadsheets (CSV, XLSX) keep the formula as text; GeoJSON has it as written


@pytest.mark.parametrize("fmt", EXPORTS)
def test_an_export_costs_the_same_queries_for_one_row_and_for_thirty_in_three_chunks(
    client, lab, fmt, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(import_views, "EXPORT_CHUNK", 10)
    make_practice(lab=lab, themes=["food"])
    queries = 3 if fmt == "xlsx" else 2  # the theme filter's lookup, (XLSX: whether it fits,) the rows
    with django_assert_num_queries(queries):
        assert len(read(fmt, client.get(f"/en/practices/export.{fmt}?theme=food"))) == 1
    for _ in range(29):
        make_practice(lab=lab, themes=["food"])
    with django_assert_num_queries(queries):
        assert len(read(fmt, client.get(f"/en/practices/export.{fmt}?theme=food"))) == 30


@pytest.mark.parametrize("fmt", EXPORTS)
def test_a_member_exports_the_drafts_of_their_lab_and_a_visitor_never(client, lab, member, fmt):
    make_practice(lab=lab, title="Bozza", state=ModerationState.DRAFT)
    assert [r["title"] for r in read(fmt, client_for(member).get(f"/en/practices/export.{fmt}"))] == ["Bozza"]
    assert read(fmt, client.get(f"/en/practices/export.{fmt}")) == []


def test_the_export_reads_rows_a_chunk_at_a_time(client, lab, monkeypatch):
    monkeypatch.setattr(import_views, "EXPORT_CHUNK", 10)
    Practice.objects.bulk_create(
        Practice(title=f"P{k:02}", slug=f"p-{k}", lab=lab, country="IT", state="published", location=Point(13, 38))
        for k in range(25)
    )
    response = client.get("/en/practices/export.geojson")
    parts = list(response.streaming_content)
    assert len(parts) == 5  # the opening, three chunks of at most 10 features, the closing
    assert len(json.loads(b"".join(parts))["features"]) == 25


def test_an_xlsx_export_beyond_the_limit_says_to_narrow_the_filters_or_take_csv(client, lab, monkeypatch):
    monkeypatch.setattr(import_views, "XLSX_MAX_ROWS", 2)
    for _ in range(3):
        make_practice(lab=lab)
    response = client.get("/en/practices/export.xlsx")
    assert response.status_code == 400
    assert "narrow the filters, or download CSV" in response.text
    assert client.get("/en/practices/export.xlsx?country=FR").status_code == 200
