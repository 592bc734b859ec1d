"""The indicators part of the REST API, by the role ladder: visitor, outsider (a facilitator of another Lab), member,
facilitator, coordinator. Forbidden looks like missing (404); drafts and unapproved values never reach the public."""

import datetime

import pytest
from django.test import Client

from indicators.models import Composite, CompositeStatus, Measurement
from tests.api.conformance import assert_conforms
from tests.conftest import client_for
from tests.factories import make_dimension, make_framework, make_indicator, make_lab, make_measurement

API = "/api/v1"


@pytest.fixture
def framework(db):
    return make_framework(
        code="resilience",
        name="Resilience",
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2030, 12, 31),
        disaggregations={"gender": {"name": "Gender", "categories": [{"code": "women"}, {"code": "men"}]}},
    )


@pytest.fixture
def people(framework):
    dimension = make_dimension(framework, code="social", name="Social")
    return make_indicator(framework, dimension=dimension, code="people", name="People reached")


@pytest.fixture
def share(framework):
    return make_indicator(framework, code="share", name="Share of women", type="percentage", factor=100)


def post(client: Client, path: str, data: dict | None = None, **headers):
    return client.post(path, data or {}, content_type="application/json", **headers)


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# --- Frameworks and indicators ---------------------------------------------------------------------------------------


def test_a_visitor_lists_published_frameworks_with_their_dimensions_but_not_drafts(framework, people):
    draft = make_framework(code="draft", published=False)
    body = Client().get(f"{API}/frameworks/").json()
    assert [row["code"] for row in body["results"]] == ["resilience"]
    assert body["results"][0]["dimensions"][0]["code"] == "social"
    assert Client().get(f"{API}/frameworks/{draft.pk}/").status_code == 404


def test_a_coordinator_sees_draft_frameworks(framework, coordinator):
    draft = make_framework(code="draft", published=False)
    assert client_for(coordinator).get(f"{API}/frameworks/{draft.pk}/").status_code == 200


def test_frameworks_filter_by_code_and_latest_version(framework):
    newer = make_framework(code="resilience", version=2, name="Resilience")
    make_framework(code="other")
    assert ids(Client().get(f"{API}/frameworks/?code=resilience")) == {framework.pk, newer.pk}
    assert ids(Client().get(f"{API}/frameworks/?code=resilience&latest=true")) == {newer.pk}


def test_a_visitor_downloads_a_published_frameworks_export_as_json_and_csv(framework, people):
    body = Client().get(f"{API}/frameworks/{framework.pk}/export/").json()
    assert body["format"] == "conect-framework"
    assert [row["code"] for row in body["indicators"]] == ["people"]
    response = Client().get(f"{API}/frameworks/{framework.pk}/export/?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "people" in response.content.decode()


def test_a_visitor_cannot_download_a_draft_frameworks_export(framework):
    draft = make_framework(code="draft", published=False)
    assert Client().get(f"{API}/frameworks/{draft.pk}/export/").status_code == 404
    assert Client().get(f"{API}/frameworks/{draft.pk}/export/?format=csv").status_code == 404


def test_a_visitor_lists_indicators_of_published_frameworks_by_framework_dimension_and_level(framework, people, share):
    hidden = make_indicator(make_framework(published=False), code="hidden")
    assert ids(Client().get(f"{API}/indicators/")) == {people.pk, share.pk}
    assert ids(Client().get(f"{API}/indicators/?framework={framework.pk}&dimension=social")) == {people.pk}
    assert ids(Client().get(f"{API}/indicators/?code=share&level=lab")) == {share.pk}
    assert Client().get(f"{API}/indicators/{hidden.pk}/").status_code == 404
    row = Client().get(f"{API}/indicators/{people.pk}/").json()
    assert (row["framework_code"], row["dimension"], row["time_aggregation"]) == ("resilience", "social", "sum")


# --- Reading measurements --------------------------------------------------------------------------------------------


@pytest.fixture
def values(people, lab, other_lab):
    """One value of the Lab in each state, and an approved one of the other Lab."""
    return {
        state: make_measurement(people, lab=lab, period=str(year), state=state)
        for state, year in (("draft", 2021), ("submitted", 2022), ("returned", 2023), ("approved", 2024))
    } | {"other": make_measurement(people, lab=other_lab, period="2024", state="approved")}


def test_a_visitor_sees_only_approved_values_of_published_frameworks(values):
    assert ids(Client().get(f"{API}/measurements/")) == {values["approved"].pk, values["other"].pk}
    assert Client().get(f"{API}/measurements/{values['draft'].pk}/").status_code == 404
    assert Client().get(f"{API}/measurements/{values['submitted'].pk}/").status_code == 404


def test_approved_values_of_a_draft_framework_stay_hidden_from_visitors(lab):
    indicator = make_indicator(make_framework(published=False))
    make_measurement(indicator, lab=lab, state="approved")
    assert ids(Client().get(f"{API}/measurements/")) == set()


def test_an_outsider_sees_only_approved_values_of_another_lab(values, outsider, other_lab):
    draft_of_theirs = make_measurement(values["draft"].indicator, lab=other_lab, period="2021")
    seen = ids(client_for(outsider).get(f"{API}/measurements/"))
    assert seen == {values["approved"].pk, values["other"].pk, draft_of_theirs.pk}


def test_a_member_sees_every_value_of_their_lab(values, member):
    assert ids(client_for(member).get(f"{API}/measurements/")) == {m.pk for m in values.values()}


def test_a_coordinator_sees_every_value(values, coordinator):
    assert ids(client_for(coordinator).get(f"{API}/measurements/")) == {m.pk for m in values.values()}


def test_measurements_filter_by_lab_state_period_year_framework_and_indicator(values, member, lab, framework, people):
    client = client_for(member)
    assert ids(client.get(f"{API}/measurements/?lab={lab.slug}&state=draft")) == {values["draft"].pk}
    assert ids(client.get(f"{API}/measurements/?period=2022")) == {values["submitted"].pk}
    assert ids(client.get(f"{API}/measurements/?year=2024&lab={lab.slug}")) == {values["approved"].pk}
    assert len(ids(client.get(f"{API}/measurements/?framework={framework.pk}&indicator={people.pk}"))) == 5
    assert ids(client.get(f"{API}/measurements/?framework={framework.pk + 1000}")) == set()


def test_a_bad_period_filter_is_a_field_error(values):
    response = Client().get(f"{API}/measurements/?period=2024-13")
    assert response.status_code == 400
    assert "period" in response.json()


def test_the_measurement_list_costs_the_same_queries_for_1_and_50_values(
    people, lab, member, django_assert_num_queries
):
    client = client_for(member)
    make_measurement(people, lab=lab, period="2020")
    client.get(f"{API}/measurements/")  # warm the session and the content types
    with django_assert_num_queries(3) as one:  # session, person, rows (cursor pages: no count)
        assert len(ids(client.get(f"{API}/measurements/"))) == 1
    for year in range(2021, 2031):
        make_measurement(people, lab=lab, period=str(year))
    for _n in range(39):
        make_measurement(people, lab=make_lab(), period="2024", state="approved")
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(ids(client.get(f"{API}/measurements/?page_size=100"))) == 50


def test_the_framework_and_indicator_lists_cost_the_same_queries_for_1_and_50_rows(
    framework, people, django_assert_num_queries
):
    client = Client()
    with django_assert_num_queries(3) as frameworks:
        client.get(f"{API}/frameworks/")
    with django_assert_num_queries(2) as indicators:
        client.get(f"{API}/indicators/")
    for _n in range(49):
        other = make_framework()
        make_dimension(other)
        make_indicator(other, dimension=make_dimension(other))
    with django_assert_num_queries(len(frameworks.captured_queries)):
        assert len(ids(client.get(f"{API}/frameworks/?page_size=100"))) == 50
    with django_assert_num_queries(len(indicators.captured_queries)):
        assert len(ids(client.get(f"{API}/indicators/?page_size=100"))) == 50


# --- Writing measurements ---------------------------------------------------------------------------------------------


def test_a_visitor_cannot_enter_a_value(people, lab):
    response = post(Client(), f"{API}/measurements/", {"indicator": people.pk, "lab": lab.slug, "period": "2024"})
    assert response.status_code == 403
    assert not Measurement.objects.exists()


def test_a_member_enters_a_value_as_a_draft(people, lab, member):
    body = {"indicator": people.pk, "lab": lab.slug, "period": "2024", "value": 12, "source": "Register"}
    response = post(client_for(member), f"{API}/measurements/", body)
    assert response.status_code == 201, response.content
    row = response.json()
    assert (row["state"], row["period"], row["value"], row["indicator_code"]) == ("draft", "2024", 12.0, "people")
    measurement = Measurement.objects.get()
    assert (measurement.created_by, measurement.period_start) == (member, datetime.date(2024, 1, 1))
    assert lab.log_entries.filter(action="created").exists()


def test_an_outsider_cannot_enter_a_value_for_another_lab(people, lab, outsider):
    response = post(
        client_for(outsider),
        f"{API}/measurements/",
        {"indicator": people.pk, "lab": lab.slug, "period": "2024", "value": 3},
    )
    assert response.status_code == 400
    assert "lab" in response.json()
    assert not Measurement.objects.exists()


def test_a_member_cannot_enter_a_country_value(lab, member, framework):
    indicator = make_indicator(framework, level="country", code="gdp", type="amount")
    response = post(
        client_for(member),
        f"{API}/measurements/",
        {"indicator": indicator.pk, "country": "IT", "period": "2024", "value": 3},
    )
    assert response.status_code == 400
    assert not Measurement.objects.exists()


def test_a_coordinator_enters_a_country_value(coordinator, framework):
    indicator = make_indicator(framework, level="country", code="gdp", type="amount")
    body = {"indicator": indicator.pk, "country": "it", "period": "2024", "value": 3.5}
    response = post(client_for(coordinator), f"{API}/measurements/", body)
    assert response.status_code == 201, response.content
    assert response.json()["country"] == "IT"


def test_a_member_enters_a_percentage_from_its_numerator_and_denominator(share, lab, member):
    body = {"indicator": share.pk, "lab": lab.slug, "period": "2024", "numerator": 3, "denominator": 4}
    response = post(client_for(member), f"{API}/measurements/", body)
    assert response.status_code == 201, response.content
    assert response.json()["value"] == 75.0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"period": "2024-13"}, "period"),
        ({"period": "2019"}, "period"),  # before the framework's first period
        ({"period": "2024Q1"}, "period"),  # the indicator is yearly
        ({"value": "many"}, "value"),
        ({"value": 2.5}, "value"),  # a count is whole
        ({"value": -1}, "value"),
        ({"indicator": 999999}, "indicator"),
        ({"indicator": "people"}, "indicator"),
        ({"lab": "no-such-lab"}, "lab"),
        ({"disaggregation": {"gender": {"women": 10, "others": 1}}}, "disaggregation"),
        ({"disaggregation": {"gender": {"women": 10, "men": 9}}}, "disaggregation"),  # more than the total, 12
        ({"numerator": 1, "denominator": 2}, "numerator"),  # only percentages
    ],
)
def test_a_bad_value_is_refused_with_a_field_error_and_nothing_saved(people, lab, member, change, field):
    body = {"indicator": people.pk, "lab": lab.slug, "period": "2024", "value": 12} | change
    response = post(client_for(member), f"{API}/measurements/", body)
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Measurement.objects.exists()


def test_a_percentage_with_a_zero_denominator_is_refused_at_the_denominator(share, lab, member):
    body = {"indicator": share.pk, "lab": lab.slug, "period": "2024", "numerator": 3, "denominator": 0}
    response = post(client_for(member), f"{API}/measurements/", body)
    assert response.status_code == 400
    assert "denominator" in response.json()


def test_a_value_for_a_period_already_entered_is_refused(people, lab, member):
    make_measurement(people, lab=lab, period="2024")
    response = post(
        client_for(member),
        f"{API}/measurements/",
        {"indicator": people.pk, "lab": lab.slug, "period": "2024", "value": 2},
    )
    assert response.status_code == 400
    assert Measurement.objects.count() == 1


def test_errors_are_in_the_readers_language(people, lab, member):
    body = {"indicator": people.pk, "lab": lab.slug, "period": "2024", "value": 2.5}
    response = post(client_for(member), f"{API}/measurements/", body, HTTP_ACCEPT_LANGUAGE="it")
    english = post(client_for(member), f"{API}/measurements/", body)
    assert response.status_code == english.status_code == 400
    assert english.json()["value"] == ["A count is a whole number, zero or more."]
    assert response.headers["Content-Language"] == "it"


def test_a_member_changes_a_draft_but_not_an_approved_value(people, lab, member):
    draft = make_measurement(people, lab=lab, period="2023")
    approved = make_measurement(people, lab=lab, period="2024", state="approved")
    client = client_for(member)
    response = client.patch(f"{API}/measurements/{draft.pk}/", {"value": 7}, content_type="application/json")
    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert draft.value == 7
    response = client.patch(f"{API}/measurements/{approved.pk}/", {"value": 7}, content_type="application/json")
    assert response.status_code == 404


def test_an_outsider_cannot_change_another_labs_draft(people, lab, outsider):
    draft = make_measurement(people, lab=lab)
    response = client_for(outsider).patch(
        f"{API}/measurements/{draft.pk}/", {"value": 7}, content_type="application/json"
    )
    assert response.status_code == 404


def test_values_are_never_deleted_through_the_api(people, lab, coordinator):
    draft = make_measurement(people, lab=lab)
    assert client_for(coordinator).delete(f"{API}/measurements/{draft.pk}/").status_code == 405
    assert Measurement.objects.filter(pk=draft.pk).exists()


# --- The review flow --------------------------------------------------------------------------------------------------


def test_a_member_drafts_a_facilitator_submits_and_a_coordinator_approves(
    people, lab, member, facilitator, coordinator
):
    response = post(
        client_for(member),
        f"{API}/measurements/",
        {"indicator": people.pk, "lab": lab.slug, "period": "2024", "value": 5},
    )
    pk = response.json()["id"]
    assert post(client_for(member), f"{API}/measurements/{pk}/submit/").status_code == 404
    assert Client().get(f"{API}/measurements/{pk}/").status_code == 404
    response = post(client_for(facilitator), f"{API}/measurements/{pk}/submit/")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "submitted"
    assert post(client_for(facilitator), f"{API}/measurements/{pk}/approve/").status_code == 404
    response = post(client_for(coordinator), f"{API}/measurements/{pk}/approve/")
    assert response.json()["state"] == "approved"
    assert Client().get(f"{API}/measurements/{pk}/").json()["value"] == 5.0
    values = Client().get(f"{API}/indicator-values/?framework={people.framework_id}").json()
    assert values == [
        {
            "indicator": people.pk,
            "code": "people",
            "subject_type": "lab",
            "subject": lab.slug,
            "year": 2024,
            "value": 5.0,
        }
    ]


def test_an_outsider_cannot_submit_another_labs_value(people, lab, outsider):
    draft = make_measurement(people, lab=lab)
    assert post(client_for(outsider), f"{API}/measurements/{draft.pk}/submit/").status_code == 404
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_a_move_the_flow_does_not_allow_is_a_400_with_its_reason(people, lab, coordinator):
    draft = make_measurement(people, lab=lab)
    response = post(client_for(coordinator), f"{API}/measurements/{draft.pk}/approve/")
    assert response.status_code == 400
    assert "detail" in response.json()


def test_a_coordinator_returns_a_value_with_a_note_and_never_without(people, lab, coordinator):
    submitted = make_measurement(people, lab=lab, state="submitted")
    client = client_for(coordinator)
    assert post(client, f"{API}/measurements/{submitted.pk}/return/", {"note": " "}).status_code == 400
    response = post(client, f"{API}/measurements/{submitted.pk}/return/", {"note": "Which register?"})
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["review_note"]) == ("returned", "Which register?")


# --- Approved values and composite indices ---------------------------------------------------------------------------


def test_the_values_endpoint_shows_approved_values_only(values, people, lab, other_lab):
    rows = Client().get(f"{API}/indicator-values/?framework={people.framework_id}&lab={lab.slug}").json()
    assert [(row["subject"], row["year"]) for row in rows] == [(lab.slug, 2024)]
    rows = Client().get(f"{API}/indicator-values/?framework={people.framework_id}&year=2024").json()
    assert {row["subject"] for row in rows} == {lab.slug, other_lab.slug}


def test_the_values_of_a_draft_framework_are_missing_for_a_visitor(lab):
    indicator = make_indicator(make_framework(published=False))
    make_measurement(indicator, lab=lab, state="approved")
    assert Client().get(f"{API}/indicator-values/?framework={indicator.framework_id}").status_code == 404
    assert Client().get(f"{API}/indicator-values/").status_code == 400


def test_a_visitor_reads_done_composite_indices_of_published_frameworks(framework):
    done = Composite.objects.create(
        framework=framework, key="a", level="lab", status=CompositeStatus.DONE, results={"index": {"1": 0.5}}
    )
    Composite.objects.create(framework=framework, key="b", level="lab", status=CompositeStatus.FAILED, error="x")
    hidden = Composite.objects.create(framework=make_framework(published=False), key="c", level="lab")
    assert ids(Client().get(f"{API}/composites/")) == {done.pk}
    assert Client().get(f"{API}/composites/{done.pk}/").json()["results"] == {"index": {"1": 0.5}}
    assert Client().get(f"{API}/composites/{hidden.pk}/").status_code == 404


def test_a_visitor_cannot_request_a_composite_index(framework):
    response = post(Client(), f"{API}/composites/", {"framework": framework.pk, "level": "lab", "year": 2024})
    assert response.status_code == 403


def test_a_member_requests_a_composite_index_and_the_same_request_finds_the_same_run(framework, people, member):
    client = client_for(member)
    body = {"framework": framework.pk, "level": "lab", "year": 2024, "method": {"normalisation": "minmax"}}
    first = post(client, f"{API}/composites/", body)
    assert first.status_code == 202, first.content
    assert first["Location"].endswith(f"/api/v1/composites/{first.json()['id']}/")
    again = post(client, f"{API}/composites/", body)
    assert again.json()["id"] == first.json()["id"]
    assert client.get(f"{API}/composites/{first.json()['id']}/").status_code == 200


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"method": {"normalisation": "magic"}}, "method"),
        ({"method": {"threshold": "high"}}, "method"),
        ({"level": "practice"}, "level"),
        ({"year": "soon"}, "year"),
        ({"framework": 999999}, "framework"),
    ],
)
def test_a_bad_composite_request_is_a_field_error(framework, people, member, change, field):
    body = {"framework": framework.pk, "level": "lab", "year": 2024} | change
    response = post(client_for(member), f"{API}/composites/", body)
    assert response.status_code == 400
    assert field in response.json()
    assert not Composite.objects.exists()


def test_a_member_cannot_request_an_index_of_a_draft_framework(member):
    draft = make_framework(published=False)
    response = post(client_for(member), f"{API}/composites/", {"framework": draft.pk, "level": "lab", "year": 2024})
    assert response.status_code == 400
    assert not Composite.objects.exists()


def test_an_indicator_outside_the_index_is_read_with_a_null_dimension_as_the_schema_says(db, client):
    indicator = make_indicator()
    response = client.get("/api/v1/indicators/")
    assert next(row for row in response.json()["results"] if row["id"] == indicator.pk)["dimension"] is None
    assert_conforms(response, "/api/v1/indicators/")  # the schema said a string


def test_a_frameworks_top_dimension_is_read_with_a_null_parent_as_the_schema_says(db, client):
    framework = make_framework()
    make_dimension(framework)
    response = client.get(f"/api/v1/frameworks/{framework.pk}/")
    assert response.json()["dimensions"][0]["parent"] is None
    assert_conforms(response, "/api/v1/frameworks/{id}/")  # the schema said a code
