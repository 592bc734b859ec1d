import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook

from labs.moderation import ModerationState
from practices import importers
from practices.models import Practice
from tests.conftest import client_for
from tests.factories import make_practice

SUSY = Path(__file__).resolve().parents[2] / "practices" / "data" / "susy-ssedas.geojson"

CSV = (
    "id;name;description;country;city;lat;lon;themes;sdgs;email\n"
    "a1;Emporio solidale;Un market gratuito;Italia;Palermo;38.11;13.36;food;2;info@emporio.example\n"
    "a2;Repair Café Lyon;On répare ensemble;France;Lyon;45.76;4.84;ecology;12;\n"
)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def start(client, lab, name, content, **options):
    data = {"file": upload(name, content), "source": "test", "lab": lab.pk, **options}
    response = client.post("/en/practices/import/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def test_the_csv_columns_are_guessed_and_the_dry_run_saves_nothing(lab, facilitator):
    client = client_for(facilitator)
    job_url = start(client, lab, "practices.csv", CSV.encode())
    page = client.get(job_url)
    assert page.status_code == 200
    assert page.context["counts"] == {"create": 2, "update": 0, "reject": 0}
    assert not Practice.objects.exists()


def test_importing_creates_drafts_in_the_lab_and_keeps_contacts_private(lab, facilitator, client):
    c = client_for(facilitator)
    job_url = start(c, lab, "practices.csv", CSV.encode())
    c.post(job_url, {"import": "1", "source_id": "id", "title": "name", "description": "description",
                     "country": "country", "city": "city", "latitude": "lat", "longitude": "lon",
                     "themes": "themes", "sdgs": "sdgs", "contact_email": "email"})  # fmt: skip
    emporio = Practice.objects.get(source_id="a1")
    assert (emporio.lab, emporio.state, emporio.country.code) == (lab, ModerationState.DRAFT, "IT")
    assert emporio.contact_email == "info@emporio.example"
    assert list(emporio.themes.values_list("slug", flat=True)) == ["food"]
    assert Practice.objects.count() == 2


def test_importing_the_same_file_again_updates_instead_of_duplicating(lab, facilitator):
    c = client_for(facilitator)
    for content in (CSV, CSV.replace("Un market gratuito", "Un market solidale")):
        job_url = start(c, lab, "practices.csv", content.encode(), publish="on")
        c.post(job_url, {"import": "1", **importers.guess_mapping(importers.read_table(content.encode(), "x.csv"))})
    assert Practice.objects.count() == 2
    assert Practice.objects.get(source_id="a1").description == "Un market solidale"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("b1;;desc;Italia;Palermo;38.1;13.3;food;2;", "No title."),
        ("b1;X;desc;Italia;Palermo;95;13.3;food;2;", "are out of range"),
        ("b1;X;desc;Italia;Palermo;north;13.3;food;2;", "are not numbers"),
        ("b1;X;desc;Atlantis;Nowhere;;;food;2;", "Unknown country Atlantis."),
        ("b1;X;desc;Italia;Palermo;38.1;13.3;unicorns;2;", "Unknown theme unicorns."),
        ("b1;X;desc;Italia;Palermo;38.1;13.3;food;18;", "Unknown SDG code 18."),
        ("b1;X <script>alert(1)</script>;desc;Italia;Palermo;38.1;13.3;food;2;", "HTML tags"),
        ("b1;Accra market;desc;Ghana;Accra;5.6;-0.19;food;2;", "outside Europe"),
    ],
)
def test_each_bad_row_is_refused_with_its_reason_and_the_others_still_import(lab, facilitator, line, reason):
    content = CSV + line + "\n"
    job_url = start(client_for(facilitator), lab, "practices.csv", content.encode(), europe_only="on")
    page = client_for(facilitator).get(job_url)
    assert page.context["counts"]["reject"] == 1
    assert reason in page.content.decode()
    client_for(facilitator).post(job_url, {"import": "1", **page.context["form"].initial})
    assert Practice.objects.count() == 2


def test_all_or_nothing_refuses_the_whole_file_when_a_row_is_bad(lab, facilitator):
    content = CSV + "b1;;desc;Italia;Palermo;38.1;13.3;food;2;\n"
    c = client_for(facilitator)
    job_url = start(c, lab, "practices.csv", content.encode(), strict="on")
    response = c.post(job_url, {"import": "1", **c.get(job_url).context["form"].initial}, follow=True)
    assert "Nothing was imported" in response.content.decode()
    assert not Practice.objects.exists()


def test_an_import_that_fails_half_way_leaves_nothing_behind(lab, facilitator, monkeypatch):
    rows = importers.plan(importers.read_table(CSV.encode(), "x.csv"), {"title": "name", "country": "country",
                          "source_id": "id"}, source="t")  # fmt: skip
    real_write = importers._write
    calls = []

    def failing_write(row, **kwargs):
        calls.append(row)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real_write(row, **kwargs)

    monkeypatch.setattr(importers, "_write", failing_write)
    with pytest.raises(RuntimeError):
        importers.apply(rows, source="t", lab=lab, by=facilitator, publish=False, strict=False)
    assert not Practice.objects.exists()


def test_an_xlsx_workbook_imports_like_a_csv(lab, facilitator):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["name", "country", "city", "latitude", "longitude"])
    sheet.append(["Banca del tempo", "IT", "Torino", 45.07, 7.68])
    buffer = io.BytesIO()
    workbook.save(buffer)
    page = client_for(facilitator).get(start(client_for(facilitator), lab, "bank.xlsx", buffer.getvalue()))
    assert page.context["counts"]["create"] == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.pdf", b"%PDF-1.4", "Choose a CSV, XLSX or GeoJSON file."),
        ("data.geojson", b"{not json", "This is not valid GeoJSON."),
        ("data.geojson", b'{"type": "Feature"}', "This GeoJSON is not a FeatureCollection."),
        ("data.xlsx", b"PK\x03\x04 broken", "This is not a valid XLSX workbook."),
        ("data.csv", "nome\xe9".encode("latin-1"), "not in UTF-8"),
        ("data.csv", b"name,country\n", "This file has no rows."),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_a_field_error(lab, facilitator, name, content, message):
    response = client_for(facilitator).post("/en/practices/import/", {"file": upload(name, content), "lab": lab.pk})
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize("who", ["contributor", "member", "outsider"])
def test_only_facilitators_and_coordinators_import_into_their_labs(request, lab, who):
    user = request.getfixturevalue(who)
    response = client_for(user).post("/en/practices/import/", {"file": upload("p.csv", CSV.encode()), "lab": lab.pk})
    assert response.status_code in (200, 404)
    assert not Practice.objects.exists()


def test_the_susy_export_plans_1788_practices_and_refuses_the_6_outside_europe(db):
    table = importers.read_table(SUSY.read_bytes(), SUSY.name)
    rows = importers.plan(table, importers.guess_mapping(table), source="susy")
    assert len(rows) == 1794
    assert sum(r.action == "create" for r in rows) == 1788
    refused = [r for r in rows if r.action == "reject"]
    assert len(refused) == 6
    assert all("outside Europe" in " ".join(r.reasons) for r in refused)


def test_swapped_coordinates_of_a_european_place_are_corrected_with_a_warning(db):
    table = importers.read_table(SUSY.read_bytes(), SUSY.name)
    rows = importers.plan(table, importers.guess_mapping(table), source="susy")
    [blind_art] = [r for r in rows if r.title == "Blind Art"]
    assert blind_art.action == "create"
    assert blind_art.values["location"].coords == (24.102756, 56.949278)
    assert "Latitude and longitude were swapped in the file: corrected." in blind_art.warnings


def test_the_susy_countries_written_in_many_ways_all_resolve(db):
    table = importers.read_table(SUSY.read_bytes(), SUSY.name)
    rows = importers.plan(table, importers.guess_mapping(table), source="susy")
    by_written = {}
    for row, source in zip(rows, table.rows, strict=True):
        by_written.setdefault(source.get("addr:country", ""), set()).add(row.values["country"])
    assert by_written["Österreich"] == {"AT"}
    assert by_written["England"] == {"GB"}
    assert by_written["Ελλάδα"] == {"GR"}
    assert by_written["Frace"] == {"FR"}
    assert by_written["Deutschland"] == {"DE"}


def test_the_import_command_reads_susy_and_a_second_run_changes_nothing(db, tmp_path):
    features = json.loads(SUSY.read_text())["features"][:120]
    small = tmp_path / "susy-small.geojson"
    small.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    out = io.StringIO()
    call_command("import_practices", str(small), "--source", "susy", "--publish", stdout=out)
    created = Practice.objects.count()
    assert created >= 115
    assert f"imported: {created} created" in out.getvalue()
    bulgarian = Practice.objects.get(source_id="e98fb9126657fd09e8c7e43217000e20")
    assert bulgarian.contact_email == "contact@bgfoodbank.org"
    call_command("import_practices", str(small), "--source", "susy", "--publish", stdout=out)
    assert Practice.objects.count() == created
    assert f"0 created, 0 updated, {created} unchanged" in out.getvalue()


def test_imported_organisational_emails_never_reach_the_public_page(client, db, tmp_path):
    features = json.loads(SUSY.read_text())["features"][:1]
    small = tmp_path / "one.geojson"
    small.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    call_command("import_practices", str(small), "--publish", stdout=io.StringIO())
    practice = Practice.objects.get()
    text = client.get(practice.get_absolute_url()).content.decode()
    assert "contact@bgfoodbank.org" not in text
    assert "953 4100" not in text


EXPORTS = ["csv", "xlsx", "geojson"]


@pytest.mark.parametrize("fmt", EXPORTS)
def test_a_visitor_exports_only_published_practices(client, lab, fmt):
    make_practice(title="Orto pubblico", lab=lab, themes=["food"])
    make_practice(title="Bozza segreta", lab=lab, state=ModerationState.DRAFT)
    response = client.get(f"/en/practices/export.{fmt}")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "xlsx":
        from openpyxl import load_workbook

        cells = [c.value for row in load_workbook(io.BytesIO(body)).active.iter_rows() for c in row]
        body = " ".join(str(c) for c in cells).encode()
    assert b"Orto pubblico" in body
    assert b"Bozza segreta" not in body


def test_a_member_exports_the_drafts_of_their_lab_with_the_filters(lab, member):
    make_practice(title="Orto", lab=lab, themes=["food"], state=ModerationState.DRAFT)
    make_practice(title="Energia", lab=lab, themes=["energy"], state=ModerationState.DRAFT)
    body = b"".join(client_for(member).get("/en/practices/export.csv?theme=food").streaming_content).decode()
    assert "Orto" in body and "Energia" not in body


def test_exports_never_contain_private_contacts(client, lab, coordinator):
    make_practice(lab=lab, contact_email="ana@solidali.example", contact_phone="+39 091 555")
    for c in (client, client_for(coordinator)):
        assert b"ana@solidali.example" not in c.get("/en/practices/export.geojson").content


def test_export_with_a_bad_filter_is_a_400(client, db):
    assert client.get("/en/practices/export.csv?sdg=99").status_code == 400
