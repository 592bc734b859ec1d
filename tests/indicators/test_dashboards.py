"""The indicator dashboards: a Lab's (/labs/<slug>/dashboard/), the Labs and countries side by side
(/indicators/dashboard/), and their CSV and XLSX downloads, from the outside."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from indicators.models import Target
from indicators.periods import Period
from tests.conftest import client_for
from tests.factories import (
    make_activity,
    make_dimension,
    make_framework,
    make_indicator,
    make_lab,
    make_measurement,
    make_programme,
)

pytestmark = pytest.mark.django_db

APPROVED, DRAFT, SUBMITTED = 4321, 9876, 5555


def lab_url(lab, suffix: str = "/") -> str:
    return f"/en/labs/{lab.slug}/dashboard{suffix}"


DASHBOARD = "/en/indicators/dashboard/"


def set_plan(indicator, lab, kind: str, period: str, value: float) -> Target:
    parsed = Period.parse(period)
    return Target.objects.create(
        indicator=indicator,
        lab=lab,
        kind=kind,
        value=value,
        period_type=parsed.type,
        period_start=parsed.start,
        period_end=parsed.end,
    )


@pytest.fixture
def framework(db):
    framework = make_framework(
        name="Resilience",
        disaggregations={
            "gender": {
                "name": "Gender",
                "categories": [{"code": "women", "name": "Women"}, {"code": "men", "name": "Men"}],
            }
        },
    )
    make_dimension(framework, code="social", name="Social")
    return framework


@pytest.fixture
def people(framework):
    return make_indicator(framework, code="people", name="People trained", dimension=framework.dimensions.get())


@pytest.fixture
def values(people, lab, other_lab):
    """An approved value of each Lab, and two of the first Lab's values still in review."""
    make_measurement(people, lab=lab, period="2023", state="approved", value=APPROVED)
    make_measurement(people, lab=lab, period="2024", state="draft", value=DRAFT)
    make_measurement(people, lab=lab, period="2022", state="submitted", value=SUBMITTED)
    make_measurement(people, lab=other_lab, period="2023", state="approved", value=12)


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def xlsx_text(response) -> str:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)


# A Lab's dashboard


def test_visitor_sees_a_labs_approved_values_and_never_those_in_review(client, lab, values):
    response = client.get(lab_url(lab))
    assert response.status_code == 200
    assert "4,321" in response.text
    for number in ("9,876", "9876", "5,555", "5555"):
        assert number not in response.text
    assert "Values of the Lab not approved yet" not in response.text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_visitor_downloads_only_approved_values_of_a_lab(client, lab, framework, values, fmt):
    response = client.get(lab_url(lab, f".{fmt}"))
    assert response.status_code == 200
    text = response.content.decode() if fmt == "csv" else xlsx_text(response)
    assert "4321" in text
    assert "9876" not in text and "5555" not in text
    assert "Gijón" not in text  # only this Lab


def test_the_lab_csv_has_one_row_per_indicator_and_year_with_its_plan(client, lab, people, values):
    set_plan(people, lab, "baseline", "2022", 1000)
    set_plan(people, lab, "target", "2025", 5000)
    rows = csv_rows(client.get(lab_url(lab, ".csv")))
    assert rows[0][:6] == ["Indicator", "Name", "Subject", "Name of the subject", "Year", "Value"]
    by_year = {row[4]: row for row in rows[1:]}
    assert by_year["2023"][5] == "4321.0"
    assert by_year["2023"][9:] == ["1000.0", "5000.0"]
    assert by_year["2025"][5] == ""  # the target's year, not reported: empty, never 0


def test_lab_dashboard_shows_baseline_target_and_progress(client, lab, people, values):
    set_plan(people, lab, "baseline", "2022", 1000)
    set_plan(people, lab, "target", "2025", 5000)
    response = client.get(lab_url(lab))
    panel = response.context["dashboard"].groups[0].panels[0]
    rows = {row.year: row for row in panel.rows}
    assert rows[2023].value == APPROVED and rows[2023].baseline == 1000 and rows[2023].target == 5000
    assert round(rows[2023].progress) == 83  # (4321 - 1000) / (5000 - 1000)
    assert rows[2024].value is None  # the draft does not count
    assert "83 %" in response.text
    assert "not reported yet" in response.text
    assert '<canvas role="img" data-chart="chart-i-people"' in response.text


def test_lab_dashboard_shows_the_latest_disaggregation(client, lab, people):
    make_measurement(people, lab=lab, period="2022", state="approved", value=10, disaggregation={"gender": {"men": 7}})
    make_measurement(
        people, lab=lab, period="2023", state="approved", value=21, disaggregation={"gender": {"women": 12, "men": 9}}
    )
    make_measurement(
        people, lab=lab, period="2024", state="submitted", value=30, disaggregation={"gender": {"women": 29}}
    )
    response = client.get(lab_url(lab))
    [breakdown] = response.context["dashboard"].groups[0].panels[0].breakdowns
    assert (breakdown.name, breakdown.year, breakdown.parts) == ("Gender", 2023, [("Women", 12), ("Men", 9)])
    assert "By Gender, 2023" in response.text


def test_an_indicator_fed_by_a_programme_has_the_programmes_plan_as_target(client, lab, framework):
    programme = make_programme(title="Remote training", planned_participants=2160)
    make_indicator(framework, code="reached", name="People reached", feed="attendance", feed_programme=programme)
    response = client.get(lab_url(lab))
    panel = response.context["dashboard"].groups[-1].panels[0]
    assert panel.target_label == "Plan of “Remote training”"
    assert "Not reported yet: no approved value." in response.text
    assert "Plan of “Remote training”: 2,160." in response.text

    when = datetime(2024, 5, 10, 9, tzinfo=UTC)
    make_activity(lab=lab, programme=programme, starts_at=when, attendance_total=30, closed_at=when)
    panel = client.get(lab_url(lab)).context["dashboard"].groups[-1].panels[0]
    assert [(row.year, row.value, row.target) for row in panel.rows] == [(2024, 30, 2160)]


def test_member_sees_how_many_of_their_labs_values_wait_for_review(lab, member, values):
    response = client_for(member).get(lab_url(lab))
    assert response.context["dashboard"].pending == [("Draft", 1), ("Submitted for approval", 1)]
    assert "Values of the Lab not approved yet" in response.text
    assert "9,876" not in response.text  # counts, not the values


def test_member_of_another_lab_sees_no_pending_count_of_this_lab(lab, other_lab, outsider, values, people):
    make_measurement(people, lab=other_lab, period="2024", state="submitted", value=77)
    assert client_for(outsider).get(lab_url(lab)).context["dashboard"].pending == []
    assert client_for(outsider).get(lab_url(other_lab)).context["dashboard"].pending == [("Submitted for approval", 1)]


def test_an_unpublished_framework_is_missing_for_visitors_and_shown_to_coordinators(client, lab, coordinator):
    hidden = make_framework(code="draft-framework", published=False)
    make_indicator(hidden, code="secret")
    assert client.get(lab_url(lab) + "?framework=draft-framework").status_code == 404
    assert client.get(lab_url(lab, ".csv") + "?framework=draft-framework").status_code == 404
    assert client.get(DASHBOARD + "?framework=draft-framework").status_code == 404
    response = client_for(coordinator).get(lab_url(lab) + "?framework=draft-framework")
    assert response.status_code == 200
    assert response.context["framework"] == hidden


def test_an_unknown_lab_has_no_dashboard(client, framework):
    assert client.get("/en/labs/nowhere/dashboard/").status_code == 404


def test_a_framework_without_values_says_so(client, lab, people):
    response = client.get(lab_url(lab))
    assert "This Lab has no approved value in this framework yet" in response.text
    response = client.get(DASHBOARD)
    assert "No Lab has an approved value in this framework yet." in response.text


def test_no_framework_at_all_says_so(client, lab):
    assert "No indicator framework for Labs is published yet." in client.get(lab_url(lab)).text
    assert "No indicator framework is published yet." in client.get(DASHBOARD).text


def test_the_labs_page_links_to_its_dashboard(client, lab):
    assert f'href="{lab_url(lab)}"' in client.get(f"/en/labs/{lab.slug}/").text


# Labs side by side


def test_visitor_sees_labs_side_by_side_with_approved_values_only(client, lab, other_lab, values):
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    view = response.context["view"]
    assert view.year == 2023
    assert [(row[0], row[1]) for row in view.table] == [(lab, ["4,321"]), (other_lab, ["12"])]
    assert all(row[2] is None for row in view.table)  # no approval counts for visitors
    assert "9,876" not in response.text and "5,555" not in response.text
    assert "Awaiting approval" not in response.text
    [multiple] = view.multiples
    assert multiple.series == [("Lab Alba Iulia", [4321.0]), ("Lab Gijón", [12.0])]


def test_coordinator_sees_how_many_values_wait_for_approval_per_lab(coordinator, lab, other_lab, values):
    response = client_for(coordinator).get(DASHBOARD)
    assert [(row[0], row[2]) for row in response.context["view"].table] == [(lab, 1), (other_lab, 0)]
    assert "Awaiting approval" in response.text
    assert "5,555" not in response.text  # still only approved values in the charts


def test_a_facilitator_sees_no_approval_counts_across_labs(facilitator, values):
    response = client_for(facilitator).get(DASHBOARD)
    assert response.context["view"].reviewer is False


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_visitor_downloads_every_labs_approved_values(client, framework, values, fmt):
    response = client.get(f"/en/indicators/dashboard.{fmt}")
    assert response.status_code == 200
    text = response.content.decode() if fmt == "csv" else xlsx_text(response)
    assert "4321" in text and "Gijón" in text
    assert "9876" not in text and "5555" not in text


def test_downloads_give_numerator_and_denominator_of_percentages_and_guard_formulas(client, lab, framework):
    share = make_indicator(
        framework, code="share", name="=HYPERLINK(1)", type="percentage", factor=100, frequency="quarter"
    )
    make_measurement(share, lab=lab, period="2023Q1", state="approved", numerator=3, denominator=12)
    make_measurement(share, lab=lab, period="2023Q2", state="approved", numerator=1, denominator=4)
    rows = csv_rows(client.get("/en/indicators/dashboard.csv"))
    [row] = [row for row in rows if row[0] == "share"]
    assert row[1] == "'=HYPERLINK(1)"
    assert row[5:8] == ["25.0", "4.0", "16.0"]


def test_the_map_colours_labs_by_value_and_greys_those_not_reported(client, lab, other_lab, people):
    square = MultiPolygon(Polygon(((23.5, 46.0), (23.7, 46.0), (23.7, 46.2), (23.5, 46.2), (23.5, 46.0))))
    lab.territory = square
    lab.save()
    other_lab.territory = MultiPolygon(Polygon(((-5.7, 43.5), (-5.6, 43.5), (-5.6, 43.6), (-5.7, 43.5))))
    other_lab.save()
    make_measurement(people, lab=lab, period="2023", state="approved", value=40)
    response = client.get(DASHBOARD)
    data = response.context["view"].map
    colours = {f["properties"]["name"]: f["properties"]["colour"] for f in data.features["features"]}
    assert colours["Lab Gijón"] == "#d9d9d9"
    assert colours["Lab Alba Iulia"] != "#d9d9d9"
    assert data.rows == [("Lab Alba Iulia", "40", "40"), ("Lab Gijón", "not reported yet", "not reported yet")]
    assert 'id="dashboard-map"' in response.text


def test_programmes_show_people_reached_against_their_plan(client, lab, framework, people):
    for title, planned in (("12 remote training modules", 2160), ("On-demand tutoring", 300)):
        programme = make_programme(title=title, planned_participants=planned)
        make_indicator(framework, code=f"p{planned}", name=title, feed="attendance", feed_programme=programme)
    make_measurement(people, lab=lab, period="2023", state="approved", value=5)
    response = client.get(DASHBOARD)
    rows = [(row.title, row.planned_text, row.reached_text) for row in response.context["view"].programmes]
    assert rows == [
        ("12 remote training modules", "2,160", "not reported yet"),
        ("On-demand tutoring", "300", "not reported yet"),
    ]


def test_visitor_chooses_indicators_labs_and_year(client, lab, other_lab, framework, people, values):
    second = make_indicator(framework, code="events", name="Events")
    make_measurement(second, lab=other_lab, period="2022", state="approved", value=3)
    response = client.get(DASHBOARD + f"?indicators=events&labs={other_lab.slug}&year=2022")
    view = response.context["view"]
    assert view.indicators == [second] and view.labs == [other_lab] and view.year == 2022
    assert view.table == [(other_lab, ["3"], None)]


def test_more_than_twelve_labs_are_cut_with_a_message(client, people):
    labs = [make_lab(name=f"Lab {n:02d}") for n in range(14)]
    query = "&".join(f"labs={lab.slug}" for lab in labs)
    response = client.get(DASHBOARD + "?" + query)
    assert len(response.context["view"].labs) == 12
    assert "At most 12 Labs fit in a chart" in response.text


def test_country_frameworks_are_shown_country_by_country(client):
    hdi = make_framework(name="Human Development Index", code="hdi")
    life = make_indicator(hdi, code="le", name="Life expectancy", level="country", unit="years", type="amount")
    make_measurement(life, country="NO", period="2022", state="approved", value=83.2)
    make_measurement(life, country="IT", period="2022", state="approved", value=83.7)
    make_measurement(life, country="FR", period="2022", state="submitted", value=99.9)
    response = client.get(DASHBOARD + "?framework=hdi")
    countries = response.context["countries"]
    assert [(name, cells) for _code, name, cells in countries.table] == [("Italy", ["83.7"]), ("Norway", ["83.2"])]
    assert countries.chosen == ["IT", "NO"]  # highest first
    assert "99.9" not in response.text
    assert response.context["view"] is None


# Cost: the same queries for one Lab or twenty, one year or ten


def _lab_with_years(people, lab, years):
    for year in years:
        make_measurement(people, lab=lab, period=str(year), state="approved", value=year)


def test_the_lab_dashboard_costs_the_same_queries_for_one_year_or_ten(
    client, lab, other_lab, people, framework, django_assert_num_queries
):
    make_indicator(framework, code="share", type="percentage")
    _lab_with_years(people, lab, [2020])
    _lab_with_years(people, other_lab, range(2010, 2020))
    with CaptureQueriesContext(connection) as one:
        client.get(lab_url(lab))
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(lab_url(other_lab))


def test_the_labs_dashboard_costs_the_same_queries_for_one_lab_or_twenty(
    client, people, framework, django_assert_num_queries
):
    _lab_with_years(people, make_lab(name="Lab 00"), [2020])
    with CaptureQueriesContext(connection) as one:
        client.get(DASHBOARD)
    for n in range(1, 20):
        _lab_with_years(people, make_lab(name=f"Lab {n:02d}"), range(2015, 2021))
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(DASHBOARD)
