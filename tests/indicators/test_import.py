"""The spreadsheet import of values: the pure reading of both layouts, all or nothing against the database (one bad
row and nothing is saved, every row's reasons reported), the wide layout of UNDP's data (le_2022 headers, iso3),
the states a facilitator and a coordinator may ask for, and the upload's job on the task queue."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.importers import import_measurements, read_table
from indicators.models import Measurement, MeasurementImportJob
from indicators.values import yearly
from tests.conftest import client_for
from tests.factories import make_framework, make_indicator

SPEC = {
    "code": "f",
    "disaggregations": {"gender": {"name": "Gender", "categories": [{"code": "women"}, {"code": "men"}]}},
    "indicators": [
        {"code": "PEOPLE", "type": "count", "level": "lab", "frequency": "year", "formula": "", "feed": ""},
        {"code": "SHARE", "type": "percentage", "level": "lab", "frequency": "year", "formula": "", "feed": ""},
        {"code": "le", "type": "amount", "level": "country", "frequency": "year", "formula": "", "feed": ""},
        {"code": "OPEN", "type": "yes_no", "level": "lab", "frequency": "year", "formula": "", "feed": ""},
        {"code": "REACHED", "type": "count", "level": "lab", "frequency": "year", "formula": "", "feed": "attendance"},
    ],
}


# --- Reading (no database) -----------------------------------------------------------------------------------------


def test_the_long_layout_reads_one_value_a_row_with_its_parts():
    rows = [
        {"indicator": "PEOPLE", "lab": "alba", "period": "2024", "value": "21", "gender:women": "12"},
        {"indicator": "SHARE", "lab": "alba", "period": "2024S1", "numerator": "3", "denominator": "4"},
        {"indicator": "OPEN", "lab": "alba", "period": "2024", "value": "yes"},
    ]
    people, share, open_ = read_table(rows, SPEC)
    assert (people.reasons, share.reasons, open_.reasons) == ([], [], [])
    assert people.values[0].value == 21 and people.values[0].disaggregation == {"gender": {"women": 12}}
    assert (share.values[0].numerator, share.values[0].denominator, share.values[0].period.code) == (3, 4, "2024S1")
    assert open_.values[0].value == 1
    assert people.subject == {"lab": "alba"}


def test_a_bad_row_is_refused_with_reasons_that_name_the_column():
    rows = [
        {"indicator": "NOPE", "lab": "alba", "period": "2024", "value": "1"},
        {"indicator": "PEOPLE", "lab": "alba", "period": "soon", "value": "1"},
        {"indicator": "PEOPLE", "lab": "alba", "period": "2024", "value": "lots"},
        {"indicator": "PEOPLE", "lab": "alba", "period": "2024", "value": "3", "gender:robots": "1"},
        {"indicator": "REACHED", "lab": "alba", "period": "2024", "value": "3"},
        {"indicator": "SHARE", "lab": "alba", "period": "2024", "value": "3"},
    ]
    reasons = [row.reasons for row in read_table(rows, SPEC)]
    assert reasons[0] == ["Column “indicator”: The framework has no indicator “NOPE”."]
    assert reasons[1][0].startswith("Column “period”: Write the period as a year (2024)")
    assert reasons[2] == ["Column “value”: “lots” is not a number."]
    assert reasons[3] == ["Column “gender:robots”: Unknown category “robots”."]
    assert reasons[4] == ["Column “indicator”: This indicator is computed, not entered."]
    assert "A percentage needs its numerator and its denominator." in reasons[5][0]


def test_the_wide_layout_reads_a_column_per_indicator_and_year():
    rows = [{"iso3": "ITA", "country": "Italy", "le_2022": "83.1", "le_2021": "82.9"}]
    (row,) = read_table(rows, SPEC)
    assert row.subject == {"country": "ITA"}
    assert sorted((v.period.code, v.value) for v in row.values) == [("2021", 82.9), ("2022", 83.1)]


def test_plain_code_columns_take_the_period_of_the_file_or_of_the_upload():
    (without,) = read_table([{"lab": "alba", "PEOPLE": "4"}], SPEC)
    assert "Give the period" in without.reasons[0]
    (chosen,) = read_table([{"lab": "alba", "PEOPLE": "4"}], SPEC, period="2023")
    assert chosen.values[0].period.code == "2023"
    (own,) = read_table([{"lab": "alba", "PEOPLE": "4", "period": "2022"}], SPEC, period="2023")
    assert own.values[0].period.code == "2022"


# --- Against the database ------------------------------------------------------------------------------------------


@pytest.fixture
def framework(db):
    framework = make_framework(disaggregations=SPEC["disaggregations"])
    make_indicator(framework, code="PEOPLE")
    make_indicator(framework, code="SHARE", type="percentage", factor=100)
    return framework


def csv_bytes(text: str) -> bytes:
    return text.strip().encode()


def test_a_file_with_one_bad_row_saves_nothing_and_reports_the_row(framework, lab, facilitator):
    data = csv_bytes(f"""
indicator,lab,period,value,numerator,denominator
PEOPLE,{lab.slug},2024,21,,
SHARE,{lab.slug},2024,,3,0
PEOPLE,{lab.slug},2023,2.5,,
""")
    report = import_measurements(framework=framework, rows_or_file=io.BytesIO(data), filename="v.csv", by=facilitator)
    assert not report.imported and not Measurement.objects.exists()
    assert [row.action for row in report.rows] == ["create", "reject", "reject"]
    assert report.rows[1].reasons == ["Column “denominator”: The denominator cannot be zero."]
    assert report.rows[2].reasons == ["Column “value”: A count is a whole number, zero or more."]


def test_a_good_file_is_saved_as_drafts_through_the_write_path(framework, lab, member):
    rows = [
        {"indicator": "PEOPLE", "lab": lab.slug, "period": "2024", "value": "21", "gender:women": "12"},
        {"indicator": "SHARE", "lab": lab.slug, "period": "2024", "numerator": "3", "denominator": "4"},
    ]
    report = import_measurements(framework=framework, rows_or_file=rows, by=member)
    assert report.imported and report.created == 2
    people, share = Measurement.objects.order_by("indicator__code")
    assert (people.value, people.state, people.created_by, people.disaggregation) == (
        21, "draft", member, {"gender": {"women": 12}},
    )  # fmt: skip
    assert share.value == 75
    again = import_measurements(framework=framework, rows_or_file=[rows[0] | {"value": "22"}], by=member)
    assert again.updated == 1 and Measurement.objects.get(pk=people.pk).value == 22


def test_a_lab_the_uploader_is_not_in_is_refused(framework, lab, other_lab, member):
    rows = [{"indicator": "PEOPLE", "lab": other_lab.slug, "period": "2024", "value": "1"}]
    report = import_measurements(framework=framework, rows_or_file=rows, by=member)
    assert report.rows[0].reasons == [f"Column “lab”: No Lab “{other_lab.slug}” that you may add values to."]
    assert not Measurement.objects.exists()


def test_a_member_cannot_submit_by_import_but_a_facilitator_can(framework, lab, member, facilitator):
    rows = [{"indicator": "PEOPLE", "lab": lab.slug, "period": "2024", "value": "1"}]
    refused = import_measurements(framework=framework, rows_or_file=rows, by=member, state="submitted")
    assert not refused.imported and "Only the Lab's facilitators submit its values." in refused.rows[0].reasons
    assert not Measurement.objects.exists()
    import_measurements(framework=framework, rows_or_file=rows, by=facilitator, state="submitted")
    assert Measurement.objects.get().state == "submitted"


def test_the_wide_layout_of_undp_loads_countries_approved_by_a_coordinator(coordinator):
    framework = make_framework(code="hdi")
    le = make_indicator(framework, code="le", type="amount", level="country")
    gni = make_indicator(framework, code="gnipc", type="amount", level="country")
    data = csv_bytes("""
iso3,country,le_2022,gnipc_2022
AFG,Afghanistan,62.879,1335.205733
ALB,Albania,76.833,15293.32651
""")
    report = import_measurements(
        framework=framework, rows_or_file=data, filename="inputs.csv", by=coordinator, state="approved"
    )
    assert report.imported and report.created == 4
    assert Measurement.objects.filter(state="approved").count() == 4
    values = yearly([le, gni])
    assert values[le.pk][("country", "AF")] == {2022: 62.879}
    assert values[gni.pk][("country", "AL")] == {2022: 15293.32651}


def test_an_unknown_country_is_refused(coordinator):
    framework = make_framework()
    make_indicator(framework, code="le", type="amount", level="country")
    report = import_measurements(framework=framework, rows_or_file=[{"iso3": "XXX", "le_2022": "1"}], by=coordinator)
    assert report.rows[0].reasons == ["Column “country”: Unknown country “XXX”."]


def test_an_xlsx_file_is_read_like_a_csv(framework, lab, member):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["indicator", "lab", "period", "value"])
    sheet.append(["PEOPLE", lab.slug, 2024, 5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = import_measurements(framework=framework, rows_or_file=buffer.getvalue(), filename="v.xlsx", by=member)
    assert report.imported and Measurement.objects.get().value == 5


# --- The upload and its job -----------------------------------------------------------------------------------


def upload(user, framework, text: str, **data):
    file = SimpleUploadedFile("values.csv", csv_bytes(text), content_type="text/csv")
    form = {"framework": framework.pk, "state": "draft", "period": "", "file": file} | data
    return client_for(user).post(reverse("indicators:import"), form)


def test_a_facilitator_uploads_sees_the_dry_run_then_imports(framework, lab, facilitator):
    response = upload(facilitator, framework, "indicator,period,value\nPEOPLE,2024,8\n", lab=lab.pk)
    job = MeasurementImportJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert (job.status, job.counts["create"]) == ("planned", 1)
    assert not Measurement.objects.exists()
    page = client_for(facilitator).get(job.get_absolute_url())
    assert "Import 1 row" in page.content.decode()
    client_for(facilitator).post(job.get_absolute_url(), {"import": "1"})
    job.refresh_from_db()
    assert job.status == "imported" and job.report["created"] == 1
    assert Measurement.objects.get().lab == lab


def test_an_upload_with_a_bad_row_is_refused_row_by_row(framework, lab, facilitator):
    upload(facilitator, framework, "indicator,period,value\nPEOPLE,2024,8\nPEOPLE,2025,x\n", lab=lab.pk)
    job = MeasurementImportJob.objects.get()
    assert job.status == "refused"
    page = client_for(facilitator).get(job.get_absolute_url()).content.decode()
    assert "Column “value”: “x” is not a number." in page
    assert client_for(facilitator).post(job.get_absolute_url(), {"import": "1"}).status_code == 302
    assert not Measurement.objects.exists()


def test_only_a_coordinator_may_approve_by_import_and_members_cannot_import(framework, lab, member, facilitator):
    assert client_for(member).get(reverse("indicators:import")).status_code == 404
    response = upload(facilitator, framework, "indicator,period,value\nPEOPLE,2024,8\n", lab=lab.pk, state="approved")
    assert "state" in response.context["form"].errors
    assert not MeasurementImportJob.objects.exists()


def test_another_labs_facilitator_never_sees_a_job(framework, lab, facilitator, outsider):
    upload(facilitator, framework, "indicator,period,value\nPEOPLE,2024,8\n", lab=lab.pk)
    job = MeasurementImportJob.objects.get()
    assert client_for(outsider).get(job.get_absolute_url()).status_code == 404
