"""The composite index in a browser: a member chooses a method, the index is computed on the task queue, and its
page prints the method, draws the chart beside the table of ranks, shows the sensitivity of ranks, and passes axe."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, sign_in
from tests.factories import make_dimension, make_framework, make_indicator, make_lab, make_measurement, make_member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def member():
    framework = make_framework(name="Resilience", index_name="Resilience index")
    social = make_dimension(framework, code="social", name="Social")
    green = make_dimension(framework, code="green", name="Green")
    people = make_indicator(framework, code="people", name="People reached", dimension=social)
    trees = make_indicator(framework, code="trees", name="Trees planted", dimension=green)
    labs = [make_lab(name=f"CoNECT Lab {city}", city=city, country="IT") for city in ("Palermo", "Torino", "Bari")]
    for lab, reached, planted in zip(labs, (120, 40, 80), (30, 90, 10), strict=True):
        make_measurement(people, lab=lab, value=reached, state="approved")
        make_measurement(trees, lab=lab, value=planted, state="approved")
    return make_member(labs[0])


def test_a_member_computes_an_index_and_reads_its_ranks_chart_and_sensitivity(page, member):
    sign_in(page, member.email)
    page.goto("/en/indicators/index/")
    page.get_by_label("Year").fill("2024")
    page.get_by_label("Normalisation").select_option("minmax")
    page.get_by_role("button", name="Compute the index").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Resilience index")
    expect(page.get_by_text("Normalisation: Min-max on the sample")).to_be_visible()
    table = page.get_by_role("table", name="Resilience index: rank, index and dimension scores")
    expect(table.get_by_role("row").nth(1)).to_contain_text("CoNECT Lab Palermo")  # (1 + 0.25) / 2
    expect(page.get_by_role("table", name="Ranks under other methods")).to_be_visible()
    expect(page.locator("canvas[data-chart]")).to_be_visible()
    assert page.evaluate("() => Chart.getChart(document.querySelector('canvas[data-chart]')) !== undefined")
    assert axe_violations(page) == []


def test_a_visitor_is_asked_to_sign_in_to_compute_an_index(page, member):
    page.goto("/en/indicators/index/")
    expect(page.get_by_role("link", name="Sign in").last).to_be_visible()
    expect(page.get_by_role("button", name="Compute the index")).to_have_count(0)
    assert axe_violations(page) == []
