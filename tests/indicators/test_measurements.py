"""Entering values through the web form: the form built for each indicator type, every bad input refused at its field
with nothing saved, the list of a person's values (its query count), the evidence file's access path, and indicators
fed by activities that take no value."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from activities.models import ActivityKind
from indicators.models import Measurement
from indicators.values import yearly
from tests.conftest import client_for
from tests.factories import make_activity, make_framework, make_indicator, make_measurement, make_programme

NEW = reverse("indicators:measurement_create")
LIST = reverse("indicators:measurements")

GENDER = {
    "gender": {
        "name": "Gender",
        "categories": [
            {"code": "women", "name": "Women"},
            {"code": "men", "name": "Men"},
            {"code": "another", "name": "Another gender"},
        ],
    }
}


@pytest.fixture
def framework(db):
    return make_framework(
        starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2025, 12, 31), disaggregations=GENDER
    )


@pytest.fixture
def people(framework):
    return make_indicator(framework, code="PEOPLE", name="People trained", unit="people")


def post_value(user, indicator, data, files=None):
    return client_for(user).post(f"{NEW}?indicator={indicator.pk}", {**data, **(files or {})})


def test_a_member_enters_a_value_with_its_disaggregation_and_it_is_a_draft(member, lab, people):
    page = client_for(member).get(f"{NEW}?indicator={people.pk}")
    assert page.status_code == 200
    assert b"Another gender" in page.content
    data = {"lab": lab.pk, "period": "2024", "value": "21", "dis__gender__women": "12", "dis__gender__men": "9"}
    response = post_value(member, people, data | {"source": "Attendance sheets"})
    m = Measurement.objects.get()
    assert response.status_code == 302 and response["Location"] == m.get_absolute_url()
    assert (m.value, m.state, m.created_by, m.source) == (21, "draft", member, "Attendance sheets")
    assert m.disaggregation == {"gender": {"women": 12, "men": 9}}
    assert m.history.count() == 1


def test_a_person_first_chooses_among_the_indicators_that_take_values(member, people, framework):
    fed = make_indicator(framework, code="REACHED", feed="attendance")
    derived = make_indicator(framework, code="SHARE", formula="PEOPLE / 2")
    page = client_for(member).get(NEW)
    assert page.status_code == 200
    assert b"PEOPLE" in page.content and b"REACHED" not in page.content and b"SHARE" not in page.content
    assert fed and derived


def test_an_indicator_fed_by_activities_takes_no_value(member, lab, framework):
    fed = make_indicator(framework, code="REACHED", feed="attendance")
    page = client_for(member).get(f"{NEW}?indicator={fed.pk}")
    assert page.status_code == 200
    assert "computed from activities" in page.content.decode()
    post_value(member, fed, {"lab": lab.pk, "period": "2024", "value": "3"})
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("kind", "data", "field", "message"),
    [
        ("count", {"value": "2.5"}, "value", "A count is a whole number, zero or more."),
        ("count", {"value": "many"}, "value", "Write a number, like 12 or 12.5."),
        ("scale", {"value": "7"}, "value", "Choose a value from 1 to 5."),
        ("percentage", {"numerator": "3", "denominator": "0"}, "denominator", "The denominator cannot be zero."),
        ("count", {"value": "5", "period": "2019"}, "period", "This period is outside the framework&#x27;s periods."),
        ("count", {"value": "5", "period": "2024Q1"}, "period", "This indicator is measured per year."),
        ("count", {"value": "5", "period": "next year"}, "period", "Write the period as a year (2024)"),
        ("count", {"value": "5", "dis__gender__women": "4", "dis__gender__men": "3"}, "dis__gender__women",
         "The parts add up to more than the total."),
        ("narrative", {"text": ""}, "text", "This field is required."),
    ],
)  # fmt: skip
def test_a_bad_value_is_refused_at_its_field_and_nothing_is_saved(member, lab, framework, kind, data, field, message):
    indicator = make_indicator(framework, type=kind)
    response = post_value(member, indicator, {"lab": lab.pk, "period": "2024", **data})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert not Measurement.objects.exists()


def test_an_unknown_disaggregation_category_is_refused(member, lab, people):
    # The form offers only the framework's categories: a category it does not know is refused by the model.
    m = Measurement(indicator=people, lab=lab, value=5, disaggregation={"gender": {"robots": 2}})
    from indicators.values import measurement_errors

    assert measurement_errors(m)["disaggregation"] == "Unknown category “robots”."


def test_a_value_entered_twice_for_the_same_period_is_refused(member, lab, people):
    make_measurement(people, lab=lab, period="2024", value=3)
    response = post_value(member, people, {"lab": lab.pk, "period": "2024", "value": "4"})
    assert "This subject already has a value for this period." in response.content.decode()
    assert Measurement.objects.count() == 1


def test_a_member_cannot_enter_a_value_for_another_lab(member, other_lab, people):
    response = post_value(member, people, {"lab": other_lab.pk, "period": "2024", "value": "4"})
    assert "lab" in response.context["form"].errors
    assert not Measurement.objects.exists()


def test_a_country_indicator_is_for_coordinators(member, coordinator, framework):
    hdi = make_indicator(framework, code="le", type="amount", level="country")
    assert b"le \xc2\xb7" not in client_for(member).get(NEW).content
    post_value(member, hdi, {"country": "IT", "period": "2022", "value": "83"})
    assert not Measurement.objects.exists()
    post_value(coordinator, hdi, {"country": "IT", "period": "2022", "value": "83.1"})
    assert Measurement.objects.get().country == "IT"


def test_a_visitor_and_an_outsider_cannot_enter_values(outsider, people, lab):
    assert client_for(None).get(NEW).status_code == 302
    response = post_value(outsider, people, {"lab": lab.pk, "period": "2024", "value": "1"})
    assert response.status_code == 200 and not Measurement.objects.exists()


def test_a_member_edits_a_draft_but_never_another_labs_or_an_approved_one(member, outsider, lab, people):
    draft = make_measurement(people, lab=lab, value=3)
    url = reverse("indicators:measurement_edit", args=[draft.pk])
    assert client_for(outsider).get(url).status_code == 404
    response = client_for(member).post(url, {"lab": lab.pk, "period": "2024", "value": "5"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.value == 5 and draft.history.count() == 2
    approved = make_measurement(people, lab=lab, period="2023", state="approved")
    assert client_for(member).get(reverse("indicators:measurement_edit", args=[approved.pk])).status_code == 404


def test_the_list_shows_a_persons_labs_values_only(member, lab, other_lab, people):
    mine = make_measurement(people, lab=lab, value=3)
    theirs = make_measurement(people, lab=other_lab, value=4)
    page = client_for(member).get(LIST)
    assert list(page.context["page"].object_list) == [mine]
    assert theirs.get_absolute_url() not in page.content.decode()


def test_a_visitor_never_sees_a_draft(lab, people):
    draft = make_measurement(people, lab=lab, value=3)
    approved = make_measurement(people, lab=lab, period="2023", state="approved")
    assert client_for(None).get(draft.get_absolute_url()).status_code == 404
    assert client_for(None).get(approved.get_absolute_url()).status_code == 200
    assert client_for(None).get(LIST).status_code == 302


def test_the_list_costs_the_same_queries_for_one_value_or_fifty(member, lab, framework, django_assert_num_queries):
    indicators = [make_indicator(framework) for _ in range(50)]
    make_measurement(indicators[0], lab=lab, by=member)
    client = client_for(member)
    client.get(LIST)  # sessions and caches warmed
    with django_assert_num_queries(_count(client)) as one:
        client.get(LIST)
    for indicator in indicators[1:]:
        make_measurement(indicator, lab=lab, by=member)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 50


def _count(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(LIST)
    return len(queries)


def test_the_evidence_is_served_only_to_the_labs_people(member, outsider, coordinator, lab, people):
    upload = SimpleUploadedFile("sheet.csv", b"name,present\nAna,1\n", content_type="text/csv")
    response = post_value(member, people, {"lab": lab.pk, "period": "2024", "value": "1"}, {"evidence": upload})
    m = Measurement.objects.get()
    assert response.status_code == 302 and m.evidence
    url = reverse("indicators:measurement_evidence", args=[m.pk])
    answer = client_for(member).get(url)
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/plain")
    assert answer["Content-Security-Policy"] == "sandbox"
    assert client_for(coordinator).get(url).status_code == 200
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 404
    m.state = "approved"
    m.save()
    assert client_for(None).get(url).status_code == 404  # an approved value is public, its evidence is not


def test_an_evidence_file_of_a_refused_kind_is_refused(member, lab, people):
    upload = SimpleUploadedFile("run.exe", b"MZ\x90\x00\x03binary", content_type="application/octet-stream")
    response = post_value(member, people, {"lab": lab.pk, "period": "2024", "value": "1"}, {"evidence": upload})
    assert "evidence" in response.context["form"].errors
    assert not Measurement.objects.exists()


def test_a_reported_published_activitys_attendance_feeds_its_lab_and_programme_but_a_draft_never(lab):
    programme = make_programme(planned_participants=2160)
    indicator = make_indicator(feed="attendance", feed_activity_kind=ActivityKind.TRAINING, feed_programme=programme)
    when = timezone.make_aware(datetime.datetime(2024, 3, 4, 10))
    reported = {"starts_at": when, "closed_at": when, "programme": programme, "kind": ActivityKind.TRAINING}
    make_activity(lab=lab, state="published", attendance_total=40, **reported)
    make_activity(lab=lab, state="draft", attendance_total=1000, **reported)
    values = yearly([indicator])[indicator.pk]
    assert values[("lab", lab.pk)] == {2024: 40.0}
    assert values[("programme", programme.pk)] == {2024: 40.0}
