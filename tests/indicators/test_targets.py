"""Baselines and targets: a Lab's facilitators (and the coordinators) set them per indicator, subject and period; the
same kind twice for one period is refused with a translated message; members and other Labs' people find nothing."""

import pytest
from django.urls import reverse

from indicators.models import Target
from tests.conftest import client_for
from tests.factories import make_framework, make_indicator

LIST = reverse("indicators:targets")
NEW = reverse("indicators:target_create")


@pytest.fixture
def indicator(db):
    return make_indicator(make_framework(), code="PEOPLE")


def test_a_facilitator_sets_a_baseline_and_a_target_for_their_lab(facilitator, lab, indicator):
    client = client_for(facilitator)
    for kind, value in (("baseline", "120"), ("target", "300")):
        response = client.post(NEW, {"indicator": indicator.pk, "kind": kind, "lab": lab.pk, "period": "2024",
                                     "value": value})  # fmt: skip
        assert response.status_code == 302
    assert sorted(Target.objects.values_list("kind", "value")) == [("baseline", 120.0), ("target", 300.0)]
    target = Target.objects.get(kind="target")
    assert (target.period_type, target.created_by) == ("year", facilitator)
    page = client.get(LIST)
    assert len(page.context["page"].object_list) == 2


def test_the_same_kind_twice_for_one_period_is_refused(facilitator, lab, indicator):
    data = {"indicator": indicator.pk, "kind": "target", "lab": lab.pk, "period": "2024", "value": "3"}
    client_for(facilitator).post(NEW, data)
    response = client_for(facilitator).post(NEW, data | {"value": "4"})
    assert response.status_code == 200
    assert "This subject already has this kind of value for this period." in response.content.decode()
    assert Target.objects.get().value == 3


def test_a_target_over_a_range_of_dates_is_accepted_and_a_bad_period_is_refused(facilitator, lab, indicator):
    data = {"indicator": indicator.pk, "kind": "target", "lab": lab.pk, "value": "2160"}
    response = client_for(facilitator).post(NEW, data | {"period": "someday"})
    assert "period" in response.context["form"].errors
    client_for(facilitator).post(NEW, data | {"period": "2024-01-01/2026-12-31"})
    assert Target.objects.get().period_type == "range"


def test_a_practice_indicator_needs_a_practice(facilitator, lab):
    indicator = make_indicator(level="practice")
    data = {"indicator": indicator.pk, "kind": "target", "lab": lab.pk, "period": "2024", "value": "3"}
    response = client_for(facilitator).post(NEW, data)
    assert "This indicator is measured per practice." in response.content.decode()
    assert not Target.objects.exists()


def test_a_member_and_an_outsider_cannot_set_a_labs_targets(member, outsider, facilitator, lab, indicator):
    assert client_for(member).get(LIST).status_code == 404
    assert client_for(member).get(NEW).status_code == 404
    data = {"indicator": indicator.pk, "kind": "target", "lab": lab.pk, "period": "2024", "value": "3"}
    response = client_for(outsider).post(NEW, data)
    assert "lab" in response.context["form"].errors
    client_for(facilitator).post(NEW, data)
    target = Target.objects.get()
    assert client_for(outsider).get(reverse("indicators:target_edit", args=[target.pk])).status_code == 404
    assert client_for(None).get(LIST).status_code == 302


def test_a_facilitator_edits_a_target_and_a_coordinator_any(facilitator, coordinator, lab, indicator):
    data = {"indicator": indicator.pk, "kind": "target", "lab": lab.pk, "period": "2024", "value": "3"}
    client_for(facilitator).post(NEW, data)
    target = Target.objects.get()
    url = reverse("indicators:target_edit", args=[target.pk])
    assert client_for(facilitator).get(url).status_code == 200
    client_for(coordinator).post(url, data | {"value": "9"})
    target.refresh_from_db()
    assert target.value == 9
