import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, sign_in
from tests.factories import make_dimension, make_framework, make_indicator, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def _framework():
    framework = make_framework(code="resilience", name="Community resilience")
    social = make_dimension(framework, code="SOC", name="Social", weight=2)
    make_indicator(framework, code="TRAINED", name="People trained", dimension=social, definition="Counted once.")
    make_indicator(framework, code="POPULATION", name="Population", dimension=social)
    return framework


def test_a_visitor_reads_the_indicators_home_and_a_framework_page(page):
    framework = _framework()
    page.goto("/en/indicators/")
    expect(page.get_by_role("heading", name="Frameworks")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Community resilience", exact=True).click()
    expect(page.get_by_role("rowheader", name="People trained Counted once.")).to_be_visible()
    assert page.url.endswith(framework.get_absolute_url())
    assert axe_violations(page) == []


def test_a_coordinator_fixes_a_formula_the_platform_refused(page):
    framework = _framework()
    make_user(email="cora@example.org", is_coordinator=True, display_name="Cora")
    sign_in(page, "cora@example.org")
    page.goto(framework.get_absolute_url())
    page.get_by_role("link", name="Add an indicator").click()
    page.get_by_label("Code").fill("TRAINED_RATE")
    page.locator("#id_name").fill("People trained per thousand")
    page.get_by_label("Formula").fill("TRAINED / POPULATON")
    page.get_by_label("Factor").fill("1000")
    page.get_by_role("button", name="Save the indicator").click()
    expect(page.get_by_text("Unknown code(s) in the formula: POPULATON.")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Formula").fill("TRAINED / POPULATION")
    page.get_by_role("button", name="Save the indicator").click()
    expect(page.get_by_role("rowheader", name="People trained per thousand")).to_be_visible()
    expect(page.get_by_role("cell", name="TRAINED / POPULATION × 1000")).to_be_visible()
