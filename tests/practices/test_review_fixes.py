"""Regressions found in review: each test names what must never happen again."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from labs.moderation import ModerationState
from practices import importers
from practices.models import ImportJob, Practice
from tests.conftest import client_for
from tests.factories import make_practice

S = ModerationState
CSV = "id,name,summary,country,lat,lon\n1,Emporio,Market,IT,38.11,13.36\n"


def run_import(user, lab, content=CSV, **options):
    c = client_for(user)
    data = {"file": SimpleUploadedFile("practices.csv", content.encode()), "lab": lab.pk, "source": "practices"}
    job_url = c.post("/en/practices/import/", data | options)["Location"]
    c.post(job_url, {"import": "1", **c.get(job_url).context["form"].initial})


def test_an_import_into_another_lab_never_touches_a_practice_with_the_same_source(
    lab, other_lab, facilitator, outsider
):
    run_import(facilitator, lab, publish="on")
    mine = Practice.objects.get()
    run_import(outsider, other_lab, CSV.replace("Emporio", "Taken over"))
    mine.refresh_from_db()
    assert (mine.title, mine.lab, mine.state) == ("Emporio", lab, S.PUBLISHED)
    assert Practice.objects.count() == 2


def test_a_re_import_keeps_hand_edits_of_unmapped_fields_and_the_state(lab, facilitator):
    run_import(facilitator, lab, publish="on")
    practice = Practice.objects.get()
    practice.description = "Written by hand"
    practice.save()
    practice.archive(by=facilitator, reason="closed")
    run_import(facilitator, lab, CSV.replace("Market", "Market and café"), publish="on")
    practice.refresh_from_db()
    assert (practice.summary, practice.description, practice.state) == (
        "Market and café",
        "Written by hand",
        S.ARCHIVED,
    )


def test_a_re_import_without_publish_does_not_unpublish(lab, facilitator):
    run_import(facilitator, lab, publish="on")
    run_import(facilitator, lab, CSV.replace("Market", "Market!"))
    assert Practice.objects.get().state == S.PUBLISHED


def test_uploaded_import_files_are_not_under_the_public_media_folder(lab, facilitator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "public"
    run_import(facilitator, lab)
    job = ImportJob.objects.get()
    assert str(settings.MEDIA_ROOT) not in job.file.path
    assert "private" in job.file.storage.location


def test_a_members_edit_of_a_published_practice_goes_to_review(client, lab, member):
    practice = make_practice(lab=lab, title="Orto")
    data = {"title": "Vandal", "country": "IT", "status": "active", "original_language": "en", "lab": lab.pk,
            "latitude": "38.1", "longitude": "13.3", "location": ""}  # fmt: skip
    client_for(member).post(f"/en/practices/{practice.slug}/edit/", data)
    practice.refresh_from_db()
    assert practice.state == S.SUBMITTED
    assert client.get(practice.get_absolute_url()).status_code == 404


def test_a_members_api_edit_of_a_published_practice_goes_to_review(lab, member):
    practice = make_practice(lab=lab)
    client_for(member).patch(f"/api/v1/practices/{practice.slug}/", {"city": "X"}, content_type="application/json")
    practice.refresh_from_db()
    assert practice.state == S.SUBMITTED


def test_a_facilitators_edit_stays_public(lab, facilitator):
    practice = make_practice(lab=lab)
    client_for(facilitator).patch(f"/api/v1/practices/{practice.slug}/", {"city": "X"}, content_type="application/json")
    practice.refresh_from_db()
    assert practice.state == S.PUBLISHED


def test_a_contributor_edits_their_suggestion_after_changes_are_asked(contributor):
    practice = make_practice(lab=None, state=S.DRAFT, created_by=contributor, title="Orto")
    data = {"title": "Orto comune", "country": "IT", "status": "active", "original_language": "it",
            "latitude": "38.1", "longitude": "13.3", "location": ""}  # fmt: skip
    response = client_for(contributor).post(f"/en/practices/{practice.slug}/edit/", data)
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.title == "Orto comune"


def test_restoring_an_old_version_keeps_the_current_address(lab, facilitator):
    practice = make_practice(lab=lab, title="Orto")
    practice._history_user = facilitator
    practice.title = "Orto 2"
    practice.save()
    first = practice.history.order_by("history_date").first()
    response = client_for(facilitator).post(f"/en/practices/{practice.slug}/history/{first.history_id}/restore/")
    assert response.status_code == 302
    practice.refresh_from_db()
    assert (practice.title, practice.lab) == ("Orto", lab)


@pytest.mark.parametrize("rows", [2, 20])
def test_the_history_page_runs_the_same_queries_for_2_or_20_versions(lab, facilitator, rows, django_assert_num_queries):
    practice = make_practice(lab=lab, themes=["food"])
    for n in range(rows - 1):
        practice.title = f"Version {n}"
        practice.save()
    client = client_for(facilitator)
    client.get(f"/en/practices/{practice.slug}/history/")
    with django_assert_num_queries(7):
        client.get(f"/en/practices/{practice.slug}/history/")


def test_exports_keep_formulas_as_text(client, lab):
    make_practice(lab=lab, title='=HYPERLINK("http://evil.example")')
    body = b"".join(client.get("/en/practices/export.csv").streaming_content).decode()
    assert "'=HYPERLINK" in body


def test_odd_input_never_shows_a_server_error(client, lab, member):
    practice = make_practice(lab=lab)
    # A NUL character is refused before any view (conect.middleware.refuse_nul).
    assert client.get("/en/search/?q=ab%00c").status_code == 400
    assert client.get("/en/map/results/?q=ab%00c").status_code == 400
    c = client_for(member)
    assert c.post(f"/en/practices/{practice.slug}/images/", {"remove": "abc"}).status_code == 404
    polygon = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
    response = c.post("/api/v1/practices/", {"title": "X", "country": "IT", "lab": lab.slug, "location": polygon},
                      content_type="application/json")  # fmt: skip
    assert response.status_code == 400 and "location" in response.json()


@pytest.mark.parametrize("content", [b'{"type": "FeatureCollection", "features": [1]}',
                                     b'{"type": "FeatureCollection", "features": [{"geometry": [1, 2]}]}'])  # fmt: skip
def test_a_malformed_geojson_is_a_field_error_or_a_refused_row(lab, facilitator, content):
    data = {"file": SimpleUploadedFile("x.geojson", content), "lab": lab.pk}
    assert client_for(facilitator).post("/en/practices/import/", data).status_code in (200, 302)


def test_a_blank_xlsx_header_cell_does_not_shift_the_columns():
    workbook = Workbook()
    workbook.active.append(["name", None, "country"])
    workbook.active.append(["Emporio", "junk", "IT"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = importers.read_table(buffer.getvalue(), "x.xlsx")
    assert table.rows[0]["country"] == "IT"


def test_a_file_without_an_identifier_column_imports_all_its_rows(lab, facilitator):
    content = "name,country,lat,lon\nEmporio,IT,38.11,13.36\nOrto,IT,38.12,13.35\n"
    c = client_for(facilitator)
    data = {"file": SimpleUploadedFile("no-ids.csv", content.encode()), "lab": lab.pk}
    job_url = c.post("/en/practices/import/", data)["Location"]
    response = c.post(job_url, {"import": "1", **c.get(job_url).context["form"].initial})
    assert response.status_code == 302
    assert Practice.objects.count() == 2
