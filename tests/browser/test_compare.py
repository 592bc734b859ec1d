from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.factories import make_activity, make_lab, make_practice

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def labs():
    palermo = make_lab(name="CoNECT Lab Palermo", city="Palermo", country="IT")
    cluj = make_lab(name="CoNECT Lab Cluj-Napoca", city="Cluj-Napoca", country="RO")
    make_lab(name="CoNECT Lab Lyon", city="Lyon", country="FR")
    make_practice(lab=palermo, themes=["food"], dimensions=["social"], target_groups=["migrants"])
    make_practice(lab=cluj, themes=["care"], dimensions=["social", "economic"])
    when = datetime(2024, 5, 10, 9, tzinfo=UTC)
    make_activity(lab=palermo, starts_at=when, time_zone="Europe/Rome", attendance_total=30, closed_at=when)
    return palermo, cluj


def test_visitor_chooses_two_labs_sees_charts_and_tables_and_downloads_the_csv(page, labs):
    page.goto("/en/labs/compare/")
    page.get_by_label("CoNECT Lab Palermo").check()
    page.get_by_label("CoNECT Lab Cluj-Napoca").check()
    page.get_by_role("button", name="Compare").click()
    expect(page).to_have_url("/en/labs/compare/?labs=conect-lab-cluj-napoca&labs=conect-lab-palermo", ignore_case=True)

    themes = page.get_by_role("table", name="Practices by theme")
    expect(themes.get_by_role("columnheader", name="CoNECT Lab Palermo")).to_be_visible()
    expect(themes.get_by_role("columnheader", name="CoNECT Lab Lyon")).to_have_count(0)
    expect(page.locator("canvas[data-chart]").first).to_be_visible()
    # Chart.js drew into every section's canvas (a drawn chart holds pixels; an empty canvas is all transparent).
    drawn = page.evaluate(
        """() => [...document.querySelectorAll('canvas[data-chart]')].map(c => Chart.getChart(c) !== undefined)"""
    )
    assert drawn and all(drawn)

    with page.expect_download() as download:
        page.get_by_role("link", name="download as CSV").click()
    assert download.value.suggested_filename.startswith("conect-labs-comparison-")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Practices by theme,Food,0,1" in text  # Cluj-Napoca comes first by name
    assert axe_violations(page) == []


def test_without_javascript_the_tables_alone_hold_the_numbers(browser, live_server, labs):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/en/labs/compare/")
    people = page.get_by_role("table", name="People reached per year")
    expect(people.get_by_role("row", name="2024")).to_contain_text("30")
    expect(page.locator(".compare-chart").first).to_be_hidden()
    context.close()
