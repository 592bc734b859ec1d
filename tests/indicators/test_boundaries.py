"""Boundaries found by probing the indicators from outside: what the review's notes, a returned value, a country's
values, a submitted value and a draft version may and may not do."""

import numpy as np
import pytest
from django.urls import reverse

from indicators import composite, formula
from indicators.composite_services import request_composite
from indicators.importers import import_measurements
from indicators.models import Composite, Framework, Measurement
from tests.conftest import client_for
from tests.factories import make_dimension, make_framework, make_indicator, make_measurement, make_user


@pytest.fixture
def returned(lab, member, coordinator):
    value = make_measurement(make_indicator(), lab=lab, by=member, state="submitted")
    value.return_for_changes(by=coordinator, note="Check the register of 12 May.")
    return value


@pytest.mark.parametrize("who", ["visitor", "contributor", "outsider"])
def test_only_the_labs_people_read_a_values_history_and_its_review_notes(request, returned, who):
    user = None if who == "visitor" else request.getfixturevalue(who)
    url = reverse("indicators:measurement_history", kwargs={"pk": returned.pk})
    assert client_for(user).get(url).status_code == 404


def test_the_labs_member_reads_the_history_with_the_note(returned, member):
    url = reverse("indicators:measurement_history", kwargs={"pk": returned.pk})
    assert "Check the register of 12 May." in client_for(member).get(url).content.decode()


def test_a_returned_value_takes_the_indices_computed_with_it_away(lab, coordinator):
    framework = make_framework()
    dimension = make_dimension(framework)
    indicator = make_indicator(framework, dimension=dimension)
    value = make_measurement(indicator, lab=lab, value=4242, state="approved")
    make_measurement(indicator, period="2024", value=10, state="approved")
    method = composite.Method.from_json({"normalisation": "minmax"})
    run = request_composite(framework=framework, level="lab", year=2024, method=method, by=coordinator)
    assert Composite.objects.filter(pk=run.pk).exists()
    value.return_for_changes(by=coordinator, note="Not 4242.")
    assert not Composite.objects.filter(pk=run.pk).exists()


def test_a_facilitator_cannot_import_a_countrys_values(facilitator):
    framework = make_framework()
    make_indicator(framework, code="le", type="amount", level="country")
    report = import_measurements(framework=framework, rows_or_file=[{"iso3": "ITA", "le_2022": "99"}], by=facilitator)
    assert not report.imported and not Measurement.objects.exists()


def test_a_member_cannot_change_a_value_once_submitted(lab, member):
    value = make_measurement(make_indicator(), lab=lab, by=member, state="submitted")
    url = reverse("indicators:measurement_edit", kwargs={"pk": value.pk})
    assert client_for(member).get(url).status_code == 404


def test_a_lab_value_cannot_also_name_a_country(lab, member):
    with pytest.raises(Exception) as refused:
        make_measurement(make_indicator(), lab=lab, country="IT", by=member)
    assert "country" in refused.value.message_dict


def test_a_draft_next_version_does_not_hide_the_published_framework(db):
    make_framework(code="resilience", version=1, published=True)
    make_framework(code="resilience", version=2, published=False)
    visible = Framework.objects.visible_to(make_user()).latest_versions()
    assert [f.version for f in visible] == [1]


def test_a_formula_with_a_huge_number_is_refused():
    with pytest.raises(formula.FormulaError):
        formula.parse("A + " + "9" * 400)


def test_dimensions_nested_in_a_circle_are_refused_not_looped_over():
    data = {
        "dimensions": [{"code": "a", "parent": "b"}, {"code": "b", "parent": "a"}],
        "indicators": [{"code": "x", "dimension": "a", "type": "count"}],
    }
    with pytest.raises(composite.MethodError):
        composite.Spec.from_export(data)


def test_a_zero_of_a_lower_is_better_indicator_on_raw_values_is_missing_not_infinite():
    data = {
        "dimensions": [{"code": "d"}],
        "indicators": [
            {"code": "x", "dimension": "d", "type": "amount", "direction": "lower"},
            {"code": "y", "dimension": "d", "type": "amount"},
        ],
    }
    spec = composite.Spec.from_export(data)
    method = composite.Method.from_json(
        {"normalisation": "minmax", "aggregation": {"dimension": "geometric", "index": "geometric"},
         "geometric_on": "raw"}
    )  # fmt: skip
    result = composite.compute(np.array([[0.0, 2.0], [1.0, 3.0]]), ["a", "b"], spec, method)
    assert np.isfinite(result.index[~np.isnan(result.index)]).all()


def test_a_bad_year_in_a_wide_column_is_said_at_its_column(coordinator):
    framework = make_framework()
    make_indicator(framework, code="le", type="amount", level="country")
    report = import_measurements(framework=framework, rows_or_file=[{"iso3": "ITA", "le_0000": "80"}], by=coordinator)
    assert not report.imported
    assert any("le_0000" in reason for reason in report.rows[0].reasons)
