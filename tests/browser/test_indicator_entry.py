"""Data entry in a browser: a facilitator enters a value and submits it, a coordinator approves it, and the Lab's
dashboard shows it in its table; the form and the list are axe-core clean."""

import pytest
from playwright.sync_api import expect

from indicators.models import Measurement
from labs.models import MembershipRole
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import make_dimension, make_framework, make_indicator, make_lab, make_member, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def entry_data():
    framework = make_framework(
        name="CoNECT resilience",
        disaggregations={
            "gender": {
                "name": "Gender",
                "categories": [{"code": "women", "name": "Women"}, {"code": "men", "name": "Men"}],
            }
        },
    )
    social = make_dimension(framework, code="social", name="Social")
    make_indicator(framework, code="trained", name="People trained", dimension=social, unit="people")
    lab = make_lab(name="CoNECT Lab Alba Iulia", city="Alba Iulia", country="RO")
    facilitator = make_member(lab, MembershipRole.FACILITATOR, display_name="Fabio Facilitator")
    coordinator = make_user(is_coordinator=True, display_name="Cora Coordinator")
    return lab, facilitator, coordinator


def test_facilitator_enters_a_value_a_coordinator_approves_it_and_the_lab_dashboard_shows_it(
    page, browser, live_server, entry_data
):
    lab, facilitator, coordinator = entry_data
    sign_in(page, facilitator.email)
    page.goto("/en/indicators/measurements/new/")
    page.get_by_label("Indicator").select_option(label="trained · People trained")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Enter a value")).to_be_visible()
    page.locator("#id_period").fill("2024")
    page.get_by_label("Value (people)").fill("42")
    page.locator("#id_dis__gender__women").fill("25")
    page.locator("#id_dis__gender__men").fill("17")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_text("Saved as a draft.")).to_be_visible()
    expect(page.locator("#measurement-value")).to_contain_text("42")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("Submitted for approval: the coordinators will review it.")).to_be_visible()
    page.goto("/en/indicators/measurements/")
    expect(page.get_by_role("table")).to_contain_text("Submitted for approval")
    assert axe_violations(page) == []

    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    other = context.new_page()
    try:
        sign_in(other, coordinator.email)
        other.goto("/en/indicators/measurements/?queue=1")
        other.get_by_role("link", name="trained").click()
        other.get_by_role("button", name="Approve").click()
        expect(other.get_by_text("Approved: the value now counts on the dashboards.")).to_be_visible()
        assert Measurement.objects.get().state == "approved"
        other.goto(f"/en/labs/{lab.slug}/dashboard/")
        table = other.get_by_role("table", name="People trained (people)")
        expect(table.get_by_role("row", name="2024")).to_contain_text("42")
    finally:
        context.close()
