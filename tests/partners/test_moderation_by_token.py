"""A token submits into the moderation queue but never decides on it, even a coordinator's."""

import pytest

from indicators.models import Measurement
from partners.models import Scope
from tests.factories import make_framework, make_indicator, make_measurement
from tests.partners.conftest import make_token, token_client

API = "/api/v1/measurements"


@pytest.fixture
def submitted(lab):
    indicator = make_indicator(make_framework(code="resilience"), code="people", name="People reached")
    return make_measurement(indicator, lab=lab, state="submitted")


@pytest.mark.parametrize("move", ["approve", "return"])
def test_a_coordinators_submit_token_cannot_approve_or_return_a_value(coordinator, submitted, move):
    _token, key = make_token(coordinator, Scope.SUBMIT, Scope.PRIVATE)
    response = token_client(key).post(f"{API}/{submitted.pk}/{move}/", {"note": "No"}, content_type="application/json")
    assert response.status_code == 403
    assert "cannot moderate" in response.json()["detail"]
    assert Measurement.objects.get(pk=submitted.pk).state == "submitted"


def test_a_value_entered_with_a_token_is_a_draft(member, lab, submitted):
    _token, key = make_token(member, Scope.SUBMIT)
    body = {"indicator": submitted.indicator_id, "lab": lab.slug, "period": "2023", "value": 5}
    response = token_client(key).post(f"{API}/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Measurement.objects.get(pk=response.json()["id"]).state == "draft"
