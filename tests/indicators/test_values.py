"""The one write path and the one read path of values: the review flow's moves, the rollups they keep, and what
indicators.values.yearly returns (approved only, time aggregation, cumulative, derived formulas, attendance feeds)."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from activities.models import ActivityKind
from indicators import formula
from indicators.models import Measurement, MeasurementError, Rollup
from indicators.periods import Period
from indicators.values import yearly
from tests.factories import (
    make_activity,
    make_framework,
    make_indicator,
    make_measurement,
    make_programme,
)


@pytest.fixture
def indicator(db):
    return make_indicator(make_framework(), code="PEOPLE")


def test_a_value_counts_only_once_a_coordinator_approves_it(indicator, lab, member, facilitator, coordinator):
    value = make_measurement(indicator, lab=lab, value=40, by=member)
    assert yearly([indicator]) == {indicator.pk: {}}
    value.submit(by=facilitator)
    assert yearly([indicator]) == {indicator.pk: {}}
    value.approve(by=coordinator)
    assert yearly([indicator]) == {indicator.pk: {("lab", lab.pk): {2024: 40.0}}}


def test_a_returned_value_leaves_the_dashboards_and_its_author_is_told(
    indicator, lab, member, coordinator, django_capture_on_commit_callbacks
):
    value = make_measurement(indicator, lab=lab, value=40, by=member, state="approved")
    with django_capture_on_commit_callbacks(execute=True):
        value.return_for_changes(by=coordinator, note="Count the second workshop too.")
    assert yearly([indicator]) == {indicator.pk: {}}
    assert not Rollup.objects.exists()
    assert "Count the second workshop too." in mail.outbox[-1].body
    assert mail.outbox[-1].to == [member.email]


def test_a_member_cannot_submit_nor_a_facilitator_approve(indicator, lab, member, facilitator):
    value = make_measurement(indicator, lab=lab, by=member)
    with pytest.raises(MeasurementError):
        value.submit(by=member)
    value.submit(by=facilitator)
    with pytest.raises(MeasurementError):
        value.approve(by=facilitator)


def test_a_facilitator_cannot_submit_another_labs_value(indicator, lab, outsider):
    value = make_measurement(indicator, lab=lab)
    with pytest.raises(MeasurementError):
        value.submit(by=outsider)


def test_a_draft_cannot_be_approved_without_being_submitted(indicator, lab, coordinator):
    value = make_measurement(indicator, lab=lab)
    with pytest.raises(MeasurementError):
        value.approve(by=coordinator)


def test_a_return_needs_a_note(indicator, lab, coordinator):
    value = make_measurement(indicator, lab=lab, state="submitted")
    with pytest.raises(MeasurementError):
        value.return_for_changes(by=coordinator, note="  ")


def test_visitors_see_approved_values_only_and_members_their_labs_drafts(indicator, lab, other_lab, member):
    approved = make_measurement(indicator, lab=lab, state="approved", period="2023")
    draft = make_measurement(indicator, lab=lab, period="2024")
    elsewhere = make_measurement(indicator, lab=other_lab, period="2024")
    assert list(Measurement.objects.visible_to(None)) == [approved]
    assert set(Measurement.objects.visible_to(member)) == {approved, draft}
    assert elsewhere not in Measurement.objects.editable_by(member)


def test_monthly_values_sum_into_their_year(lab, coordinator):
    indicator = make_indicator(frequency="month")
    for month in ("2024-01", "2024-02", "2025-01"):
        make_measurement(indicator, lab=lab, period=month, value=10, state="approved")
    assert yearly([indicator])[indicator.pk][("lab", lab.pk)] == {2024: 20.0, 2025: 10.0}


def test_a_latest_indicator_keeps_the_value_of_the_last_period(lab):
    indicator = make_indicator(frequency="quarter", type="amount", time_aggregation="latest")
    make_measurement(indicator, lab=lab, period="2024Q1", value=5, state="approved")
    make_measurement(indicator, lab=lab, period="2024Q4", value=7, state="approved")
    make_measurement(indicator, lab=lab, period="2024Q2", value=9, state="approved")
    assert yearly([indicator])[indicator.pk][("lab", lab.pk)] == {2024: 7.0}


def test_a_percentage_over_a_year_is_the_sum_of_numerators_over_the_sum_of_denominators(lab):
    indicator = make_indicator(type="percentage", frequency="half_year", factor=100)
    make_measurement(indicator, lab=lab, period="2024S1", numerator=1, denominator=4, state="approved")
    make_measurement(indicator, lab=lab, period="2024S2", numerator=3, denominator=4, state="approved")
    assert yearly([indicator])[indicator.pk][("lab", lab.pk)] == {2024: 50.0}


def test_a_cumulative_indicator_shows_running_totals(lab):
    indicator = make_indicator(cumulative=True)
    make_measurement(indicator, lab=lab, period="2023", value=3, state="approved")
    make_measurement(indicator, lab=lab, period="2024", value=4, state="approved")
    assert yearly([indicator])[indicator.pk][("lab", lab.pk)] == {2023: 3.0, 2024: 7.0}


def test_a_derived_indicator_is_computed_from_its_formula_times_its_factor(lab):
    framework = make_framework()
    women = make_indicator(framework, code="WOMEN")
    people = make_indicator(framework, code="PEOPLE")
    share = make_indicator(framework, code="SHARE", type="amount", formula="WOMEN / PEOPLE", factor=100)
    make_measurement(women, lab=lab, value=30, state="approved")
    make_measurement(people, lab=lab, value=120, state="approved")
    assert yearly([women, people, share])[share.pk] == {("lab", lab.pk): {2024: 25.0}}


def test_a_derived_indicator_is_unknown_where_an_input_is_missing_or_zero(lab, other_lab):
    framework = make_framework()
    women = make_indicator(framework, code="WOMEN")
    people = make_indicator(framework, code="PEOPLE")
    share = make_indicator(framework, code="SHARE", type="amount", formula="WOMEN / PEOPLE")
    make_measurement(women, lab=lab, value=30, state="approved")
    make_measurement(women, lab=other_lab, value=30, state="approved")
    make_measurement(people, lab=other_lab, value=0, state="approved")
    assert yearly([women, people, share])[share.pk] == {}


def test_attendance_of_reported_activities_feeds_an_indicator_without_double_entry(lab):
    programme = make_programme(planned_participants=2160)
    indicator = make_indicator(feed="attendance", feed_activity_kind=ActivityKind.TRAINING, feed_programme=programme)
    when = timezone.make_aware(datetime.datetime(2023, 5, 4, 10))
    reported = {"starts_at": when, "closed_at": when, "attendance_total": 25, "programme": programme}
    make_activity(lab=lab, kind=ActivityKind.TRAINING, state="published", **reported)
    make_activity(lab=lab, kind=ActivityKind.TRAINING, state="draft", **reported)
    make_activity(lab=lab, kind=ActivityKind.WORKSHOP, state="published", **reported)
    values = yearly([indicator])[indicator.pk]
    assert values == {("lab", lab.pk): {2023: 25.0}, ("programme", programme.pk): {2023: 25.0}}


def test_a_value_of_the_wrong_type_is_refused_at_its_field(lab):
    indicator = make_indicator(type="scale")
    parsed = Period.parse("2024")
    value = Measurement(indicator=indicator, lab=lab, value=7, period_type=parsed.type, period_start=parsed.start,
                        period_end=parsed.end)  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        value.full_clean()
    assert "value" in refused.value.message_dict


def test_a_period_outside_the_framework_is_refused(lab):
    indicator = make_indicator(make_framework(starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2023, 12, 31)))
    with pytest.raises(ValidationError) as refused:
        make_measurement(indicator, lab=lab, period="2024")
    assert "period_start" in refused.value.message_dict
    assert not Measurement.objects.exists()


def test_a_formula_that_refers_to_itself_or_an_unknown_code_is_refused(db):
    framework = make_framework()
    make_indicator(framework, code="A")
    selfish = make_indicator(framework, code="B", type="amount")
    selfish.formula = "B + 1"
    with pytest.raises(ValidationError) as refused:
        selfish.full_clean()
    assert "formula" in refused.value.message_dict
    selfish.formula = "A + C"
    with pytest.raises(ValidationError):
        selfish.full_clean()
    selfish.formula = "A * 2"
    selfish.full_clean()


@pytest.mark.parametrize("text", ["__import__('os')", "A.real", "[A]", "A if B else C", "lambda: 1", "'x'"])
def test_a_formula_is_never_evaluated_beyond_arithmetic(text):
    with pytest.raises(formula.FormulaError):
        formula.parse(text)


def test_formulas_in_a_cycle_are_refused():
    errors = formula.check_definitions({"A": "B + 1", "B": "A * 2", "C": "A"}, ["A", "B", "C"])
    assert set(errors) == {"A", "B"}


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("2024", "2024-01-01", "2024-12-31"),
        ("2024S2", "2024-07-01", "2024-12-31"),
        ("2024Q1", "2024-01-01", "2024-03-31"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2024-03-05/2024-06-30", "2024-03-05", "2024-06-30"),
    ],
)
def test_period_codes_name_their_dates_and_back(code, start, end):
    period = Period.parse(code)
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)
    assert period.code == code


@pytest.mark.parametrize("code", ["2024Q5", "2024-13", "24", "2024-06-30/2024-03-01", "soon"])
def test_a_bad_period_code_is_refused(code):
    with pytest.raises(ValidationError):
        Period.parse(code)
