import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from labs.models import MembershipRole
from labs.moderation import ModerationState
from practices import importers
from practices.models import ImportJob, Practice
from tests.conftest import client_for
from tests.factories import make_member, make_practice

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


def import_all(client, job_url):
    """Press "Import" with the columns the dry run guessed."""
    return client.post(job_url, {"import": "1", **client.get(job_url).context["form"].initial})


def xlsx(*rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
    assert "No title." in response.content.decode()  # the refused row, with its reason
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
    content = xlsx(
        ["name", "country", "city", "latitude", "longitude"], ["Banca del tempo", "IT", "Torino", 45.07, 7.68]
    )
    page = client_for(facilitator).get(start(client_for(facilitator), lab, "bank.xlsx", content))
    assert page.context["counts"]["create"] == 1


def test_a_file_of_another_kind_is_a_field_error_of_the_upload(lab, facilitator):
    data = {"file": upload("notes.pdf", b"%PDF-1.4"), "lab": lab.pk}
    response = client_for(facilitator).post("/en/practices/import/", data)
    assert response.status_code == 200
    assert "Choose a CSV, XLSX or GeoJSON file." in response.text
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("data.geojson", b"{not json", "This is not valid GeoJSON."),
        ("data.geojson", b'{"type": "Feature"}', "This GeoJSON is not a FeatureCollection."),
        ("data.xlsx", b"PK\x03\x04 broken", "This is not a valid XLSX workbook."),
        ("data.csv", "nome\xe9".encode("latin-1"), "not in UTF-8"),
        ("data.csv", b"name,country\n", "This file has no rows."),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused_on_its_page_with_the_reason(
    lab, facilitator, name, content, message
):
    c = client_for(facilitator)
    page = c.get(start(c, lab, name, content))
    assert ImportJob.objects.get().status == ImportJob.Status.REFUSED
    assert message in page.text


def try_import(user, lab) -> int:
    """Upload the CSV into the Lab and, when the upload is accepted, import it: how many practices exist then."""
    c = client_for(user)
    response = c.post("/en/practices/import/", {"file": upload("p.csv", CSV.encode()), "lab": lab.pk})
    if response.status_code == 302:
        import_all(c, response["Location"])
    return Practice.objects.filter(lab=lab).count()


@pytest.mark.parametrize("who", ["facilitator", "coordinator"])
def test_facilitators_and_coordinators_import_into_the_lab(request, lab, who):
    assert try_import(request.getfixturevalue(who), lab) == 2


@pytest.mark.parametrize("who", ["contributor", "member"])
def test_contributors_and_members_find_no_import_page(request, lab, who):
    user = request.getfixturevalue(who)
    assert client_for(user).get("/en/practices/import/").status_code == 404
    assert try_import(user, lab) == 0


def test_a_facilitator_of_another_lab_cannot_import_into_this_one(lab, outsider):
    response = client_for(outsider).post(
        "/en/practices/import/", {"file": upload("p.csv", CSV.encode()), "lab": lab.pk}
    )
    assert "Select a valid choice" in response.text
    assert try_import(outsider, lab) == 0
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("demoted", [False, True])
def test_a_facilitator_demoted_after_the_dry_run_can_neither_see_nor_run_the_job(lab, other_lab, demoted):
    # Still a facilitator elsewhere: the import pages stay open to them, this job's Lab does not.
    user = make_member(lab, MembershipRole.FACILITATOR)
    other_lab.add_member(user, MembershipRole.FACILITATOR)
    c = client_for(user)
    job_url = start(c, lab, "p.csv", CSV.encode())
    form = c.get(job_url).context["form"].initial
    if demoted:
        lab.add_member(user, MembershipRole.MEMBER)
    assert c.get(job_url).status_code == (404 if demoted else 200)
    assert c.post(job_url, {"import": "1", **form}).status_code == (404 if demoted else 302)
    assert Practice.objects.count() == (0 if demoted else 2)


def test_a_coordinator_sees_a_facilitators_import_but_only_its_owner_runs_it(lab, facilitator, coordinator):
    job_url = start(client_for(facilitator), lab, "p.csv", CSV.encode())
    page = client_for(coordinator).get(job_url)
    assert page.status_code == 200
    assert "form" not in page.context
    assert client_for(coordinator).post(job_url, {"import": "1", "title": "name"}).status_code == 404
    assert not Practice.objects.exists()


@pytest.mark.parametrize("who", [None, "contributor", "member", "outsider"])
def test_an_import_job_is_missing_for_everyone_but_its_owner_and_the_coordinators(request, lab, facilitator, who):
    job_url = start(client_for(facilitator), lab, "p.csv", CSV.encode())
    user = request.getfixturevalue(who) if who else None
    for url in (job_url, f"{job_url}progress/"):
        response = client_for(user).get(url)
        assert response.status_code == (302 if user is None else 404)  # a visitor is asked to sign in


def test_the_job_page_shows_the_stored_dry_run_and_never_plans_in_the_request(lab, facilitator, monkeypatch):
    c = client_for(facilitator)
    job_url = start(c, lab, "practices.csv", CSV.encode())

    def no_planning_here(*args, **kwargs):
        raise AssertionError("planned in a request")

    monkeypatch.setattr(importers, "plan", no_planning_here)
    monkeypatch.setattr(importers, "read_table", no_planning_here)
    page = c.get(job_url)
    assert page.context["counts"] == {"create": 2, "update": 0, "reject": 0}
    assert "Emporio solidale" in page.text


def test_a_job_under_way_shows_its_progress_and_how_to_follow_it_without_javascript(lab, facilitator):
    c = client_for(facilitator)
    job_url = start(c, lab, "practices.csv", CSV.encode())
    ImportJob.objects.update(status=ImportJob.Status.RUNNING, progress_done=1, progress_total=4,
                             heartbeat_at=timezone.now())  # fmt: skip
    page = c.get(job_url).text
    assert 'value="25"' in page
    assert "Reload it to see how far the job has got." in page
    assert "js/progress.js" in page and f'data-progress-url="{job_url}progress/"' in page
    progress = c.get(f"{job_url}progress/").json()
    assert progress["under_way"] is True
    assert "25 % done" in progress["html"]


def test_a_job_that_failed_shows_why_and_its_owner_runs_it_again(lab, facilitator, monkeypatch):
    real_plan = importers.plan
    monkeypatch.setattr(importers, "plan", lambda *args, **kwargs: 1 / 0)
    c = client_for(facilitator)
    job_url = start(c, lab, "practices.csv", CSV.encode())
    page = c.get(job_url).text
    assert ImportJob.objects.get().status == ImportJob.Status.FAILED
    assert "unexpected error (ZeroDivisionError)" in page
    assert 'name="retry"' in page
    monkeypatch.setattr(importers, "plan", real_plan)
    c.post(job_url, {"retry": "1"})
    assert c.get(job_url).context["counts"] == {"create": 2, "update": 0, "reject": 0}


def test_a_job_whose_worker_stopped_halfway_can_be_run_again(lab, facilitator):
    c = client_for(facilitator)
    job_url = start(c, lab, "practices.csv", CSV.encode())
    import_all(c, job_url)
    Practice.objects.all().delete()  # as if the worker had been killed before its transaction committed
    long_ago = timezone.now() - ImportJob.STALLED_AFTER - timedelta(minutes=1)
    ImportJob.objects.update(status=ImportJob.Status.RUNNING, heartbeat_at=long_ago)
    assert "Its worker stopped before the end" in c.get(job_url).text
    c.post(job_url, {"retry": "1"})
    assert ImportJob.objects.get().status == ImportJob.Status.IMPORTED
    assert Practice.objects.count() == 2


def test_importing_twice_from_the_same_page_imports_once(lab, facilitator):
    c = client_for(facilitator)
    job_url = start(c, lab, "practices.csv", CSV.encode(), source="")
    form = c.get(job_url).context["form"].initial
    c.post(job_url, {"import": "1", **form})
    c.post(job_url, {"import": "1", **form})
    assert Practice.objects.count() == 2
    assert ImportJob.objects.get().attempt == 2  # the dry run, then one import


NO_IDS = (
    "name;description;country;city;lat;lon\n"
    "Emporio;Un market;IT;Palermo;38.11;13.36\n"
    "Orto;Un orto;IT;Palermo;38.12;13.35\n"
)


def test_a_file_without_identifiers_read_again_updates_its_practices(lab, facilitator):
    c = client_for(facilitator)
    import_all(c, start(c, lab, "no-ids.csv", NO_IDS.encode()))
    job_url = start(c, lab, "no-ids.csv", NO_IDS.replace("Un orto", "Un orto condiviso").encode())
    page = c.get(job_url)
    assert page.context["counts"] == {"create": 0, "update": 2, "reject": 0}
    assert "matched with the practices imported before" in page.text
    import_all(c, job_url)
    assert Practice.objects.count() == 2
    assert Practice.objects.get(title="Orto").description == "Un orto condiviso"


def test_rows_without_identifiers_that_cannot_be_told_apart_say_so_before_the_import(lab, facilitator):
    twins = NO_IDS + "Emporio;Un altro market;IT;Palermo;38.13;13.34\n"
    c = client_for(facilitator)
    first = c.get(start(c, lab, "twins.csv", twins.encode()))
    assert first.context["counts"] == {"create": 3, "update": 0, "reject": 0}
    assert "a later import of this file could not update them" in first.text
    import_all(c, first.request["PATH_INFO"])
    again = c.get(start(c, lab, "twins.csv", twins.encode()))
    assert again.context["counts"] == {"create": 0, "update": 1, "reject": 2}
    assert "Rows 2, 4 have no identifier and the same title, city and country" in again.text


def test_the_upload_page_lists_the_expected_columns_and_offers_a_template(lab, facilitator):
    page = client_for(facilitator).get("/en/practices/import/").text
    assert "<code>latitude</code>" in page
    assert "description:en" in page
    assert "/en/practices/import/template.csv" in page
    assert "/en/practices/import/template.xlsx" in page


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_file_imports_its_example_as_one_new_practice(lab, facilitator, fmt):
    c = client_for(facilitator)
    template = c.get(f"/en/practices/import/template.{fmt}")
    assert template["Content-Disposition"] == f'attachment; filename="conect-import-template.{fmt}"'
    page = c.get(start(c, lab, f"template.{fmt}", template.content))
    assert page.context["counts"] == {"create": 1, "update": 0, "reject": 0}
    import_all(c, page.request["PATH_INFO"])
    emporio = Practice.objects.get()
    assert (emporio.original_language, emporio.country.code) == ("it", "IT")
    assert emporio.translations.get().language == "en"


def test_the_report_links_to_the_new_drafts(lab, facilitator):
    c = client_for(facilitator)
    job_url = start(c, lab, "practices.csv", CSV.encode())
    import_all(c, job_url)
    report = c.get(job_url)
    assert 'href="?show=create#rows-title"' in report.text
    drafts = c.get(f"{job_url}?show=create").text
    for practice in Practice.objects.all():
        assert f'href="{practice.get_absolute_url()}"' in drafts


@pytest.mark.parametrize("rows", [1, 50])
def test_the_report_page_costs_the_same_queries_for_1_or_50_rows(lab, facilitator, rows, django_assert_num_queries):
    content = "id;name;country;city;lat;lon\n" + "".join(f"r{n};Orto {n};IT;Palermo;38.1;13.3\n" for n in range(rows))
    c = client_for(facilitator)
    job_url = start(c, lab, "many.csv", content.encode())
    import_all(c, job_url)
    with django_assert_num_queries(6):
        page = c.get(f"{job_url}?show=all")
    assert page.text.count('href="/en/practices/orto-') == rows


def test_the_report_is_paged(lab, facilitator):
    content = "id;name;country;city;lat;lon\n" + "".join(f"r{n};Orto {n};IT;Palermo;38.1;13.3\n" for n in range(105))
    c = client_for(facilitator)
    job_url = start(c, lab, "many.csv", content.encode())
    first, second = c.get(f"{job_url}?show=all"), c.get(f"{job_url}?show=all&page=2")
    assert len(first.context["page"].object_list) == 100
    assert [row.number for row in second.context["page"].object_list] == [102, 103, 104, 105, 106]


def test_a_csv_longer_than_the_limit_is_refused_without_reading_the_rest(monkeypatch):
    monkeypatch.setattr(importers, "MAX_ROWS", 3)
    content = "name,country\n" + "Orto,IT\n" * 4 + "\xff broken\n"
    with pytest.raises(importers.ImportFileError, match="more than 3 rows"):
        importers.read_table(content.encode(), "long.csv")


def test_an_xlsx_with_too_many_rows_is_refused_before_it_is_opened(monkeypatch):
    workbook = Workbook(write_only=True)  # writes no <dimension>: openpyxl would parse every row to open it
    sheet = workbook.create_sheet()
    for row in [["name", "country"]] + [["Orto", "IT"]] * 10:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    monkeypatch.setattr(importers, "MAX_ROWS", 3)
    monkeypatch.setattr("openpyxl.load_workbook", lambda *args, **kwargs: pytest.fail("the workbook was opened"))
    with pytest.raises(importers.ImportFileError, match="This sheet has 11 rows, more than 3"):
        importers.read_table(buffer.getvalue(), "long.xlsx")


def test_an_xlsx_that_unpacks_too_large_is_refused_before_it_is_opened(monkeypatch):
    monkeypatch.setattr(importers, "MAX_XLSX_UNPACKED", 1000)
    with pytest.raises(importers.ImportFileError, match="This workbook unpacks to more than"):
        importers.read_table(xlsx(["name", "country"], ["Orto", "IT"]), "big.xlsx")


def test_a_geojson_with_more_features_than_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(importers, "MAX_ROWS", 2)
    feature = {"type": "Feature", "geometry": None, "properties": {"name": "Orto"}}
    document = json.dumps({"type": "FeatureCollection", "features": [feature] * 3}).encode()
    with pytest.raises(importers.ImportFileError, match="more than 2 rows"):
        importers.read_table(document, "many.geojson")


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
        assert b"ana@solidali.example" not in b"".join(c.get("/en/practices/export.geojson").streaming_content)


def test_export_with_a_bad_filter_is_a_400(client, db):
    assert client.get("/en/practices/export.csv?sdg=99").status_code == 400


ONE_ROW_CSV = "id,name,summary,country,lat,lon\n1,Emporio,Market,IT,38.11,13.36\n"


def run_import(user, lab, content=ONE_ROW_CSV, **options):
    c = client_for(user)
    data = {"file": SimpleUploadedFile("practices.csv", content.encode()), "lab": lab.pk, "source": "practices"}
    job_url = c.post("/en/practices/import/", data | options)["Location"]
    c.post(job_url, {"import": "1", **c.get(job_url).context["form"].initial})


def test_an_import_into_another_lab_never_touches_a_practice_with_the_same_source(
    lab, other_lab, facilitator, outsider
):
    run_import(facilitator, lab, publish="on")
    mine = Practice.objects.get()
    run_import(outsider, other_lab, ONE_ROW_CSV.replace("Emporio", "Taken over"))
    mine.refresh_from_db()
    assert (mine.title, mine.lab, mine.state) == ("Emporio", lab, ModerationState.PUBLISHED)
    assert Practice.objects.count() == 2


def test_a_re_import_keeps_hand_edits_of_unmapped_fields_and_the_state(lab, facilitator):
    run_import(facilitator, lab, publish="on")
    practice = Practice.objects.get()
    practice.description = "Written by hand"
    practice.save()
    practice.archive(by=facilitator, reason="closed")
    run_import(facilitator, lab, ONE_ROW_CSV.replace("Market", "Market and café"), publish="on")
    practice.refresh_from_db()
    assert (practice.summary, practice.description, practice.state) == (
        "Market and café",
        "Written by hand",
        ModerationState.ARCHIVED,
    )


def test_a_re_import_without_publish_does_not_unpublish(lab, facilitator):
    run_import(facilitator, lab, publish="on")
    run_import(facilitator, lab, ONE_ROW_CSV.replace("Market", "Market!"))
    assert Practice.objects.get().state == ModerationState.PUBLISHED


def test_uploaded_import_files_are_not_under_the_public_media_folder(lab, facilitator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "public"
    run_import(facilitator, lab)
    job = ImportJob.objects.get()
    assert str(settings.MEDIA_ROOT) not in job.file.path
    assert "private" in job.file.storage.location


def test_exports_keep_formulas_as_text(client, lab):
    make_practice(lab=lab, title='=HYPERLINK("http://evil.example")')
    body = b"".join(client.get("/en/practices/export.csv").streaming_content).decode()
    assert "'=HYPERLINK" in body


@pytest.mark.parametrize(
    ("content", "status", "reason"),
    [
        (b'{"type": "FeatureCollection", "features": [1]}', "refused", "This GeoJSON is not a FeatureCollection."),
        (b'{"type": "FeatureCollection", "features": [{"geometry": [1, 2]}]}', "planned", "No title."),
    ],
)
def test_a_malformed_geojson_is_refused_whole_or_row_by_row_with_the_reason(lab, facilitator, content, status, reason):
    c = client_for(facilitator)
    page = c.get(start(c, lab, "x.geojson", content, source=""), {"show": "all"})
    assert ImportJob.objects.get().status == status
    assert reason in page.text


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


def test_a_facilitator_demoted_while_the_import_runs_imports_nothing(lab, monkeypatch):
    user = make_member(lab, MembershipRole.FACILITATOR)
    c = client_for(user)
    job_url = start(c, lab, "p.csv", CSV.encode())
    form = c.get(job_url).context["form"].initial
    plan = importers.plan

    def plan_then_demote(*args, **kwargs):
        rows = plan(*args, **kwargs)
        lab.add_member(user, MembershipRole.MEMBER)  # demoted while the worker planned the rows again
        return rows

    monkeypatch.setattr(importers, "plan", plan_then_demote)
    c.post(job_url, {"import": "1", **form})
    assert Practice.objects.count() == 0
    assert ImportJob.objects.get().status == ImportJob.Status.REFUSED


def test_a_coordinator_is_offered_imports_and_finds_the_page_even_before_any_lab_exists(coordinator):
    c = client_for(coordinator)
    assert "/en/practices/import/" in c.get("/en/").text
    assert c.get("/en/practices/import/").status_code == 200
