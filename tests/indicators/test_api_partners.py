"""What a partner site reads from and sends to the indicators API: cursor pages of values, CSV, translations, order,
sync, and what a token may and may not do with a value (enter and submit, never approve or return)."""

import csv
import io

import pytest
from django.test import Client
from django.utils import timezone

from indicators import services
from indicators.models import Measurement
from tests.factories import make_dimension, make_framework, make_indicator, make_lab, make_measurement
from tests.partners.conftest import make_token, token_client

API = "/api/v1"


@pytest.fixture
def framework(db):
    return make_framework(code="resilience", name="Resilience", names={"it": "Resilienza"}, description="How well",
                          descriptions={"it": "Quanto bene"})  # fmt: skip


@pytest.fixture
def people(framework):
    dimension = make_dimension(framework, code="social", name="Social", names={"it": "Sociale"})
    names = {"it": "Persone raggiunte"}
    return make_indicator(
        framework, dimension=dimension, code="people", name="People reached", names=names, definition="Counted",
        definitions={"it": "Contate"},
    )  # fmt: skip


def walk(client, path: str, params: dict, between=None) -> list[dict]:
    rows, url, first = [], f"{API}{path}", True
    while url:
        body = client.get(url, params if first else None).json()
        rows += body["results"]
        url, first = body["next"], False
        if between is not None and url:
            between()
    return rows


def test_frameworks_and_indicators_are_named_in_the_readers_language(client, people):
    framework = client.get(f"{API}/frameworks/", {"lang": "it"}).json()["results"][0]
    assert (framework["name"], framework["description"]) == ("Resilienza", "Quanto bene")
    assert framework["dimensions"][0]["name"] == "Sociale" and framework["names"] == {"it": "Resilienza"}
    indicator = client.get(f"{API}/indicators/{people.pk}/", HTTP_ACCEPT_LANGUAGE="it").json()
    assert (indicator["name"], indicator["definition"]) == ("Persone raggiunte", "Contate")
    assert client.get(f"{API}/indicators/{people.pk}/", {"lang": "fr"}).json()["name"] == "People reached"


def test_frameworks_indicators_and_composites_order_as_asked_and_refuse_other_orders(client, framework, people):
    make_framework(code="another")
    codes = [row["code"] for row in client.get(f"{API}/frameworks/", {"ordering": "-code"}).json()["results"]]
    assert codes == ["resilience", "another"]
    make_indicator(framework, code="area", position=0)
    codes = [row["code"] for row in client.get(f"{API}/indicators/", {"ordering": "code"}).json()["results"]]
    assert codes == ["area", "people"]
    for path in ("frameworks", "indicators", "composites", "measurements"):
        response = client.get(f"{API}/{path}/", {"ordering": "formula"})
        assert response.status_code == 400 and "ordering" in response.json()


def test_a_partner_reads_approved_values_as_csv_with_cells_that_never_run(client, people, lab):
    make_measurement(people, lab=lab, period="2023", state="approved", value=7, source="=IMPORT(1)")
    make_measurement(people, lab=lab, period="2024")  # a draft: not for the public
    rows = list(csv.DictReader(io.StringIO(client.get(f"{API}/measurements/", {"format": "csv"}).content.decode())))
    assert [(row["period"], row["value"], row["lab"]) for row in rows] == [("2023", "7.0", lab.slug)]
    assert rows[0]["source"] == "'=IMPORT(1)"


def test_the_yearly_values_come_as_csv_too(client, people, lab):
    make_measurement(people, lab=lab, period="2023", state="approved", value=7)
    body = client.get(f"{API}/indicator-values/", {"framework": people.framework_id, "format": "csv"})
    assert body["Content-Type"].startswith("text/csv")
    assert list(csv.DictReader(io.StringIO(body.content.decode()))) == [
        {"indicator": str(people.pk), "code": "people", "subject_type": "lab", "subject": lab.slug, "year": "2023",
         "value": "7.0"}
    ]  # fmt: skip
    assert client.get(f"{API}/indicator-values/", {"framework": "x", "format": "csv"}).status_code == 400


def test_a_partner_pages_through_values_newest_first(client, people, lab):
    old = make_measurement(people, lab=lab, period="2022", state="approved")
    new = make_measurement(people, lab=lab, period="2023", state="approved")
    rows = client.get(f"{API}/measurements/", {"ordering": "-id", "page_size": 1}).json()
    assert [row["id"] for row in rows["results"]] == [new.pk] and "cursor=" in rows["next"]
    assert [row["id"] for row in Client().get(rows["next"]).json()["results"]] == [old.pk]


def test_a_partner_syncing_values_sees_each_approved_one_once_even_when_added_between_pages(client, people, lab):
    since = timezone.now()
    years = iter(range(2000, 2030))
    made = [make_measurement(people, lab=lab, period=str(next(years)), state="approved").pk for _ in range(5)]

    def add():
        made.append(make_measurement(people, lab=lab, period=str(next(years)), state="approved").pk)

    seen = [row["id"] for row in walk(client, "/measurements/", {"modified_since": since.isoformat(), "page_size": 2},
                                      between=add)]  # fmt: skip
    assert sorted(seen) == sorted(made) and len(seen) == len(set(seen))


def test_a_value_taken_out_of_approval_comes_back_as_gone_and_a_draft_never(client, people, lab, coordinator):
    approved = make_measurement(people, lab=lab, period="2023", state="approved")
    since = timezone.now()
    make_measurement(people, lab=lab, period="2024")
    services.move_measurements([approved], to="returned", by=coordinator, note="Check the register")
    rows = walk(client, "/measurements/", {"modified_since": since.isoformat()})
    assert rows == [{"id": approved.pk, "gone": True, "updated_at": rows[0]["updated_at"]}]


@pytest.mark.parametrize("rows", [1, 30])
def test_the_value_lists_cost_the_same_queries_for_1_or_30(client, people, django_assert_num_queries, rows):
    for year in range(2000, 2000 + rows):
        make_measurement(people, lab=make_lab(), period=str(year), state="approved")
    for params in ({}, {"format": "csv"}, {"modified_since": "2000-01-01"}):
        with django_assert_num_queries(1):
            assert client.get(f"{API}/measurements/", params).status_code == 200


# --- Tokens -----------------------------------------------------------------------------------------------------------


def test_a_read_token_sees_what_a_visitor_sees_and_a_private_one_its_labs_drafts(people, lab, member):
    draft = make_measurement(people, lab=lab, period="2024")
    approved = make_measurement(people, lab=lab, period="2023", state="approved")

    def ids(*scopes):
        _token, key = make_token(member, *scopes)
        return {row["id"] for row in token_client(key).get(f"{API}/measurements/").json()["results"]}

    assert ids() == {approved.pk}
    assert ids("private") == {approved.pk, draft.pk}


def test_a_token_enters_a_value_as_a_draft_and_a_facilitators_token_submits_it(people, lab, member, facilitator):
    _token, key = make_token(member, "private", "submit")
    body = {"indicator": people.pk, "lab": lab.slug, "period": "2024", "value": 5}
    response = token_client(key).post(f"{API}/measurements/", body, "application/json")
    assert response.status_code == 201 and response.json()["state"] == "draft"
    _token, key = make_token(facilitator, "private", "submit")
    pk = response.json()["id"]
    response = token_client(key).post(f"{API}/measurements/{pk}/submit/", {}, "application/json")
    assert response.status_code == 200 and response.json()["state"] == "submitted"


def test_a_token_without_submit_enters_nothing(people, lab, member):
    _token, key = make_token(member, "private")
    body = {"indicator": people.pk, "lab": lab.slug, "period": "2024", "value": 5}
    assert token_client(key).post(f"{API}/measurements/", body, "application/json").status_code == 403
    assert not Measurement.objects.exists()


@pytest.mark.parametrize("move, body", [("approve", {}), ("return", {"note": "Which register?"})])
def test_not_even_a_coordinators_token_approves_or_returns_a_value(people, lab, coordinator, move, body):
    submitted = make_measurement(people, lab=lab, state="submitted")
    _token, key = make_token(coordinator, "private", "submit")
    response = token_client(key).post(f"{API}/measurements/{submitted.pk}/{move}/", body, "application/json")
    assert response.status_code == 403 and "detail" in response.json()
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


def test_another_labs_token_cannot_change_a_labs_value(people, lab, outsider):
    draft = make_measurement(people, lab=lab)
    _token, key = make_token(outsider, "private", "submit")
    response = token_client(key).patch(f"{API}/measurements/{draft.pk}/", {"value": 9}, "application/json")
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.value == 1
