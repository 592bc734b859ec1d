"""Partnership models compared in the browser: CoNet against NETCO from the demo, charts drawn beside their tables."""

import pytest
from playwright.sync_api import expect

from conect.management.commands.load_demo import load_demo
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo():
    load_demo(with_imports=False)


def row(table, header: str):
    """The row of `table` whose header is exactly `header`."""
    return table.get_by_role("row").filter(has=table.page.get_by_role("rowheader", name=header, exact=True))


def test_visitor_compares_conet_and_netco_and_sees_charts_and_tables(page, demo):
    page.goto("/en/networks/compare/")
    expect(page.get_by_role("heading", name="How to compare")).to_be_visible()
    page.get_by_label("CoNet – Cohesion Network").check()
    page.get_by_label("NETCO – Network of Cities for Collaborative Housing").check()
    page.get_by_role("button", name="Compare").click()

    size = page.get_by_role("table", name="Size")
    expect(size.get_by_role("columnheader", name="CoNet – Cohesion Network")).to_be_visible()
    expect(row(size, "Organisations").get_by_role("cell")).to_have_text(["11", "16"])
    cohesion = page.get_by_role("table", name="Whole-network measures")
    expect(row(cohesion, "Density").get_by_role("cell")).to_have_text(["0.182", "0.125"])
    expect(page.locator("canvas[data-chart]").first).to_be_visible()
    drawn = page.evaluate(
        """() => [...document.querySelectorAll('canvas[data-chart]')].map(c => Chart.getChart(c) !== undefined)"""
    )
    assert drawn and all(drawn)
    assert axe_violations(page) == []


def test_without_javascript_the_tables_alone_hold_the_numbers(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/en/networks/compare/?network=conet-cohesion-network&country=IT")
    structure = page.get_by_role("table", name="Lead and partners")
    expect(row(structure, "Partner").get_by_role("cell")).to_have_text(["10", "—"])
    expect(page.locator(".compare-chart").first).to_be_hidden()
    context.close()
