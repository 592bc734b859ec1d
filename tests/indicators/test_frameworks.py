"""The frameworks' pages: the public index and framework page, and the coordinators' forms, import and new version."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators import exchange
from indicators.models import Framework, Indicator
from tests.conftest import client_for
from tests.factories import make_dimension, make_framework, make_indicator

LADDER_DENIED = ["outsider", "member", "facilitator", "contributor"]


@pytest.fixture
def framework(db):
    framework = make_framework(code="resilience", name="Community resilience")
    social = make_dimension(framework, code="SOC", name="Social", weight=2)
    make_indicator(framework, code="PEOPLE", name="People reached", dimension=social, definition="Everyone counted.")
    return framework


def _url(name: str, framework: Framework, **kwargs) -> str:
    return reverse(f"indicators:{name}", kwargs={"code": framework.code, "version": framework.version, **kwargs})


def test_visitor_reads_the_published_frameworks_on_the_indicators_home(client, framework):
    make_framework(code="hidden", name="Hidden draft", published=False)
    response = client.get(reverse("indicators:home"))
    assert response.status_code == 200
    assert "Community resilience" in response.text
    assert "Hidden draft" not in response.text


def test_home_lists_only_the_latest_version_of_a_framework(client, framework):
    newer = exchange.import_framework(exchange.export_framework(framework), by=None, publish=True)
    response = client.get(reverse("indicators:home"))
    assert newer.get_absolute_url() in response.text
    assert framework.get_absolute_url() not in response.text


def test_visitor_reads_a_framework_with_its_dimensions_and_definitions(client, framework):
    response = client.get(framework.get_absolute_url())
    assert response.status_code == 200
    assert "People reached" in response.text
    assert "Everyone counted." in response.text
    assert "Social" in response.text


def test_reader_of_italian_reads_the_italian_definition(client, framework):
    Indicator.objects.filter(code="PEOPLE").update(definitions={"it": "Tutte le persone contate."})
    response = client.get(framework.get_absolute_url().replace("/en/", "/it/"))
    assert "Tutte le persone contate." in response.text


@pytest.mark.parametrize("who", [None, "outsider", "member", "facilitator"])
def test_a_draft_framework_is_missing_for_anyone_but_coordinators(db, request, who):
    draft = make_framework(published=False)
    user = request.getfixturevalue(who) if who else None
    assert client_for(user).get(draft.get_absolute_url()).status_code == 404
    assert client_for(user).get(_url("framework_export", draft, fmt="json")).status_code == 404


def test_coordinator_reads_a_draft_framework(coordinator):
    draft = make_framework(published=False)
    assert client_for(coordinator).get(draft.get_absolute_url()).status_code == 200


def test_framework_page_queries_do_not_grow_with_its_indicators(db, client, django_assert_num_queries):
    framework = make_framework()
    dimension = make_dimension(framework)
    make_indicator(framework, dimension=dimension)
    with django_assert_num_queries(5) as first:
        client.get(framework.get_absolute_url())
    for _n in range(49):
        make_indicator(framework, dimension=make_dimension(framework))
    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get(framework.get_absolute_url()).status_code == 200


MANAGEMENT = [
    ("framework_create", False),
    ("framework_import", False),
    ("framework_edit", True),
    ("dimension_edit", True),
    ("indicator_create", True),
]


def _management_url(name: str, framework: Framework, needs_framework: bool) -> str:
    return _url(name, framework) if needs_framework else reverse(f"indicators:{name}")


@pytest.mark.parametrize(("name", "needs_framework"), MANAGEMENT)
def test_visitor_is_asked_to_log_in_for_the_management_pages(client, framework, name, needs_framework):
    response = client.get(_management_url(name, framework, needs_framework))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", LADDER_DENIED)
@pytest.mark.parametrize(("name", "needs_framework"), MANAGEMENT)
def test_only_coordinators_find_the_management_pages(request, framework, who, name, needs_framework):
    user = request.getfixturevalue(who)
    assert client_for(user).get(_management_url(name, framework, needs_framework)).status_code == 404


@pytest.mark.parametrize(("name", "needs_framework"), MANAGEMENT)
def test_coordinator_opens_the_management_pages(coordinator, framework, name, needs_framework):
    assert client_for(coordinator).get(_management_url(name, framework, needs_framework)).status_code == 200


def test_member_cannot_edit_an_indicator(member, framework):
    url = _url("indicator_edit", framework, indicator="PEOPLE")
    assert client_for(member).get(url).status_code == 404
    assert client_for(member).post(url, {"code": "X"}).status_code == 404


def test_facilitator_cannot_make_a_new_version(facilitator, framework):
    assert client_for(facilitator).post(_url("framework_new_version", framework)).status_code == 404
    assert Framework.objects.filter(code=framework.code).count() == 1


def test_coordinator_creates_a_framework_with_its_default_method(coordinator):
    response = client_for(coordinator).post(
        reverse("indicators:framework_create"),
        {
            "code": "adopted",
            "name": "Adopted framework",
            "names_it": "Quadro adottato",
            "method_normalisation": "minmax",
            "method_weights": "equal",
            "method_dimension": "arithmetic",
            "method_index": "geometric",
            "method_missing": "mean",
            "disaggregations_text": "gender: women, men",
        },
    )
    framework = Framework.objects.get(code="adopted")
    assert response.status_code == 302
    assert framework.names == {"it": "Quadro adottato"}
    assert framework.method["aggregation"] == {"dimension": "arithmetic", "index": "geometric"}
    assert [c["code"] for c in framework.disaggregations["gender"]["categories"]] == ["women", "men"]


def _indicator_data(**overrides) -> dict:
    data = {"code": "RATE", "name": "Rate", "type": "count", "direction": "higher", "level": "lab",
            "frequency": "year", "time_aggregation": "sum", "child_aggregation": "sum", "weight": "1", "factor": "1",
            "position": "0", "feed": ""}  # fmt: skip
    return data | overrides


def test_coordinator_sees_an_unknown_code_in_a_formula_at_the_field(coordinator, framework):
    url = _url("indicator_create", framework)
    response = client_for(coordinator).post(url, _indicator_data(formula="PEOPLE / NOBODY"))
    assert response.status_code == 400
    assert "NOBODY" in str(response.context["form"].errors["formula"])
    assert not framework.indicators.filter(code="RATE").exists()


def test_coordinator_cannot_save_a_formula_that_refers_to_itself(coordinator, framework):
    response = client_for(coordinator).post(_url("indicator_create", framework), _indicator_data(formula="RATE * 2"))
    assert "its own indicator" in str(response.context["form"].errors["formula"])


def test_coordinator_cannot_save_goalposts_with_the_minimum_above_the_maximum(coordinator, framework):
    data = _indicator_data(goal_min="10", goal_max="5")
    response = client_for(coordinator).post(_url("indicator_create", framework), data)
    assert response.status_code == 400
    assert "goal_max" in response.context["form"].errors


def test_coordinator_adds_a_derived_indicator(coordinator, framework):
    data = _indicator_data(formula="PEOPLE * 2", factor="100")
    response = client_for(coordinator).post(_url("indicator_create", framework), data)
    assert response.status_code == 302
    assert framework.indicators.get(code="RATE").formula == "PEOPLE * 2"


def test_coordinator_cannot_reuse_a_code_in_the_framework(coordinator, framework):
    response = client_for(coordinator).post(_url("indicator_create", framework), _indicator_data(code="PEOPLE"))
    assert "code" in response.context["form"].errors


def test_coordinator_edits_the_dimensions(coordinator, framework):
    social = framework.dimensions.get(code="SOC")
    data = {
        "dimensions-TOTAL_FORMS": "2", "dimensions-INITIAL_FORMS": "1", "dimensions-MIN_NUM_FORMS": "0",
        "dimensions-MAX_NUM_FORMS": "1000",
        "dimensions-0-id": social.pk, "dimensions-0-code": "SOC", "dimensions-0-name": "Social",
        "dimensions-0-weight": "3", "dimensions-0-position": "0",
        "dimensions-1-code": "ECO", "dimensions-1-name": "Economic", "dimensions-1-weight": "1",
        "dimensions-1-position": "1", "dimensions-1-parent": "",
    }  # fmt: skip
    response = client_for(coordinator).post(_url("dimension_edit", framework), data)
    assert response.status_code == 302
    assert framework.dimensions.get(code="SOC").weight == 3
    assert framework.dimensions.filter(code="ECO").exists()


def test_coordinator_imports_a_framework_file(coordinator, framework):
    upload = SimpleUploadedFile("f.csv", exchange.framework_csv(framework).encode(), "text/csv")
    response = client_for(coordinator).post(reverse("indicators:framework_import"), {"file": upload})
    assert response.status_code == 302
    assert Framework.objects.filter(code="resilience", version=2, previous=framework).exists()


def test_coordinator_sees_every_problem_of_a_refused_import_and_nothing_is_saved(coordinator, framework):
    data = exchange.export_framework(framework)
    data["indicators"][0]["formula"] = "GHOST + 1"
    data["indicators"][0]["type"] = "colour"
    upload = SimpleUploadedFile("f.json", json.dumps(data).encode(), "application/json")
    response = client_for(coordinator).post(reverse("indicators:framework_import"), {"file": upload})
    assert response.status_code == 400
    assert len(response.context["errors"]) == 2
    assert "GHOST" in response.text
    assert Framework.objects.filter(code="resilience").count() == 1


def test_coordinator_makes_a_new_version_as_a_draft(coordinator, framework):
    response = client_for(coordinator).post(_url("framework_new_version", framework))
    newer = Framework.objects.get(code="resilience", version=2)
    assert response.status_code == 302
    assert newer.previous == framework
    assert not newer.published
    assert list(newer.indicators.values_list("code", flat=True)) == ["PEOPLE"]


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_visitor_downloads_a_published_framework(client, framework, fmt):
    response = client.get(_url("framework_export", framework, fmt=fmt))
    assert response.status_code == 200
    assert f"resilience-v1.{fmt}" in response["Content-Disposition"]


def test_an_unknown_download_format_is_missing(client, framework):
    assert client.get(_url("framework_export", framework, fmt="pdf")).status_code == 404


def test_the_menu_links_the_indicators(db, client):
    assert reverse("indicators:home") in client.get(reverse("indicators:home")).text


@pytest.mark.parametrize("model", ["framework", "indicator", "target", "measurement", "composite"])
def test_admin_lists_the_indicators_models(admin_user, framework, model):
    assert client_for(admin_user).get(reverse(f"admin:indicators_{model}_changelist")).status_code == 200


def test_admin_cannot_add_or_edit_a_measurement_outside_the_review_flow(admin_user, framework):
    assert client_for(admin_user).get(reverse("admin:indicators_measurement_add")).status_code == 403
