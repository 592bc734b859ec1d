"""The composite index's pages: anyone who sees a framework reads its runs (approved values only), people with an
account start new ones on the task queue, an unpublished framework's runs are missing for all but coordinators, and
the results download as formula-safe CSV."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Composite, CompositeStatus
from tests.conftest import client_for
from tests.factories import make_dimension, make_framework, make_indicator, make_lab, make_measurement

FORM = reverse("indicators:composite_form")


def method_data(framework, **changes) -> dict:
    data = {
        "framework": framework.pk,
        "level": "lab",
        "year": 2024,
        "normalisation": "minmax",
        "cap": "on",
        "threshold": "0.1",
        "bands": "",
        "weights": "framework",
        "custom_weights": "",
        "aggregation_dimension": "arithmetic",
        "aggregation_index": "arithmetic",
        "geometric_on": "normalised",
        "missing": "exclude",
    }
    return data | changes


@pytest.fixture
def framework(lab, other_lab):
    framework = make_framework(name="Resilience", index_name="Resilience index")
    social = make_dimension(framework, code="social", name="Social")
    people = make_indicator(framework, code="people", dimension=social)
    groups = make_indicator(framework, code="groups", dimension=social)
    third = make_lab(name='=HYPERLINK("http://evil")', country="IT")
    for where, reached, count in ((lab, 40, 6), (other_lab, 10, 1), (third, 25, 3)):
        make_measurement(people, lab=where, value=reached, state="approved")
        make_measurement(groups, lab=where, value=count, state="approved")
    return framework


def start(client, framework, capture, **changes):
    with capture(execute=True):
        return client.post(FORM, method_data(framework, **changes))


def test_a_member_starts_an_index_and_reads_its_ranks(framework, member, django_capture_on_commit_callbacks):
    response = start(client_for(member), framework, django_capture_on_commit_callbacks)
    run = Composite.objects.get()
    assert response.status_code == 302 and response.url == run.get_absolute_url()
    assert run.status == CompositeStatus.DONE
    page = client_for(member).get(run.get_absolute_url()).content.decode()
    assert "Lab Alba Iulia" in page and "Min-max on the sample" in page
    assert [row["rank"] for row in run.results["subjects"]] == [1, 2, 3]


def test_a_visitor_reads_an_index_but_cannot_start_one(framework, member, django_capture_on_commit_callbacks):
    start(client_for(member), framework, django_capture_on_commit_callbacks)
    run = Composite.objects.get()
    assert client_for(None).get(run.get_absolute_url()).status_code == 200
    response = start(client_for(None), framework, django_capture_on_commit_callbacks, normalisation="rank")
    assert response.status_code == 302 and "login" in response.url
    assert Composite.objects.count() == 1


def test_the_same_request_on_the_same_values_is_computed_once(framework, member, django_capture_on_commit_callbacks):
    start(client_for(member), framework, django_capture_on_commit_callbacks)
    start(client_for(member), framework, django_capture_on_commit_callbacks)
    assert Composite.objects.count() == 1


def test_a_newly_approved_value_makes_a_new_run(framework, member, django_capture_on_commit_callbacks):
    start(client_for(member), framework, django_capture_on_commit_callbacks)
    make_measurement(framework.indicators.get(code="people"), value=7, state="approved")
    start(client_for(member), framework, django_capture_on_commit_callbacks)
    assert Composite.objects.count() == 2


def test_a_draft_value_never_enters_an_index(framework, member, django_capture_on_commit_callbacks):
    draft_lab = make_lab(name="Lab of drafts")
    make_measurement(framework.indicators.get(code="people"), lab=draft_lab, value=999)
    start(client_for(member), framework, django_capture_on_commit_callbacks)
    names = [row["name"] for row in Composite.objects.get().results["subjects"]]
    assert "Lab of drafts" not in names and len(names) == 3


def test_an_index_cannot_use_goalposts_its_indicators_lack(framework, member, django_capture_on_commit_callbacks):
    response = start(client_for(member), framework, django_capture_on_commit_callbacks, normalisation="goalposts")
    assert response.status_code == 200
    assert "These indicators have no goalposts: groups, people." in response.content.decode()
    assert not Composite.objects.exists()


def test_a_geometric_mean_of_z_scores_is_refused_in_words(framework, member, django_capture_on_commit_callbacks):
    response = start(
        client_for(member), framework, django_capture_on_commit_callbacks,
        normalisation="zscore", aggregation_index="geometric",
    )  # fmt: skip
    assert "gives negative scores, which have no geometric mean" in response.content.decode()
    assert not Composite.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("visitor", 404), ("outsider", 404), ("member", 404), ("facilitator", 404), ("coordinator", 200)],
)
def test_only_coordinators_see_indices_of_an_unpublished_framework(
    framework, who, status, request, coordinator, django_capture_on_commit_callbacks
):
    framework.published = False
    framework.save()
    start(client_for(coordinator), framework, django_capture_on_commit_callbacks)
    run = Composite.objects.get()
    user = None if who == "visitor" else request.getfixturevalue(who)
    for url in (
        run.get_absolute_url(),
        reverse("indicators:composite_status", args=[run.pk]),
        reverse("indicators:composite_csv", args=[run.pk]),
    ):
        assert client_for(user).get(url).status_code == status


def test_a_member_cannot_start_an_index_of_a_framework_they_cannot_see(
    framework, member, django_capture_on_commit_callbacks
):
    framework.published = False
    framework.save()
    response = start(client_for(member), framework, django_capture_on_commit_callbacks)
    assert response.status_code == 200 and not Composite.objects.exists()


def test_the_results_download_as_csv_with_formulas_kept_as_text(framework, member, django_capture_on_commit_callbacks):
    start(client_for(member), framework, django_capture_on_commit_callbacks)
    run = Composite.objects.get()
    response = client_for(None).get(reverse("indicators:composite_csv", args=[run.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Rank", "Subject", "Code", "Resilience index"]
    assert rows[1][:2] == ["1", "Lab Alba Iulia"]
    assert any(row[1].startswith("'=HYPERLINK") for row in rows[1:])


def test_the_status_says_when_a_run_is_done(framework, member, django_capture_on_commit_callbacks):
    start(client_for(member), framework, django_capture_on_commit_callbacks)
    run = Composite.objects.get()
    status = client_for(None).get(reverse("indicators:composite_status", args=[run.pk])).json()
    assert status == {"status": "done", "label": "Done", "under_way": False}


def test_a_waiting_run_says_so_and_offers_no_download(framework, member):
    run = Composite.objects.create(framework=framework, key="x" * 64, level="lab", year=2024, method={})
    page = client_for(None).get(run.get_absolute_url()).content.decode()
    status_url = reverse("indicators:composite_status", args=[run.pk])
    assert "The index is being computed (" in page
    assert "js/progress.js" in page and f'data-progress-url="{status_url}"' in page
    status = client_for(None).get(status_url).json()
    assert status["under_way"] is True and "The index is being computed (" in status["html"]
    assert client_for(None).get(reverse("indicators:composite_csv", args=[run.pk])).status_code == 404


def test_the_form_lists_indices_already_computed(framework, member, django_capture_on_commit_callbacks):
    start(client_for(member), framework, django_capture_on_commit_callbacks)
    page = client_for(None).get(FORM).content.decode()
    assert Composite.objects.get().get_absolute_url() in page
    assert "Sign in" in page


def test_a_labs_targets_give_the_distance_to_target(framework, lab, member, django_capture_on_commit_callbacks):
    from indicators.models import Target

    for code, value in (("people", 80), ("groups", 3)):
        Target.objects.create(
            indicator=framework.indicators.get(code=code), kind="target", value=value, lab=lab,
            period_type="year", period_start=datetime.date(2024, 1, 1), period_end=datetime.date(2024, 12, 31),
        )  # fmt: skip
    start(client_for(member), framework, django_capture_on_commit_callbacks, normalisation="target")
    subjects = Composite.objects.get().results["subjects"]
    # 40 of 80 people, 6 groups of 3 (capped at 1): (0.5 + 1) / 2. Other Labs have no target: no index.
    assert subjects[0]["name"] == "Lab Alba Iulia" and subjects[0]["index"] == 0.75
    assert [row["index"] for row in subjects[1:]] == [None, None]


def _done_runs(framework, count: int) -> None:
    Composite.objects.bulk_create(
        Composite(framework=framework, key=f"{count}-{n}", level="lab", year=2024, method={}, status="done")
        for n in range(count)
    )


def test_the_list_of_indices_costs_the_same_queries_for_1_and_50(framework):
    client = client_for(None)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(FORM).status_code == 200
        return len(captured.captured_queries)

    _done_runs(framework, 1)
    one = queries()
    _done_runs(framework, 49)
    assert queries() == one
