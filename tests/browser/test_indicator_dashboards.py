"""The indicator dashboards in a browser: charts drawn, tables beside them, the map's Lab shapes, axe-core clean."""

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from playwright.sync_api import expect

from indicators.models import Target
from indicators.periods import Period
from tests.browser.conftest import axe_violations
from tests.factories import make_dimension, make_framework, make_indicator, make_lab, make_measurement

pytestmark = pytest.mark.django_db(transaction=True)

CHARTS_DRAWN = "() => [...document.querySelectorAll('canvas[data-chart]')].map(c => Chart.getChart(c) !== undefined)"


def square(x: float, y: float, size: float = 0.3) -> MultiPolygon:
    return MultiPolygon(Polygon(((x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y))))


@pytest.fixture
def dashboard_data():
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
    economic = make_dimension(framework, code="economic", name="Economic", position=1)
    trained = make_indicator(framework, code="trained", name="People trained", dimension=social, unit="people")
    jobs = make_indicator(framework, code="jobs", name="Local jobs supported", dimension=economic, unit="jobs")
    alba = make_lab(name="CoNECT Lab Alba Iulia", city="Alba Iulia", country="RO", territory=square(23.4, 46.0))
    palermo = make_lab(name="CoNECT Lab Palermo", city="Palermo", country="IT", territory=square(13.2, 38.0))
    make_lab(name="CoNECT Lab Lyon", city="Lyon", country="FR", territory=square(4.7, 45.6))
    for year, value in ((2022, 40), (2023, 65), (2024, 90)):
        gender = {"gender": {"women": value // 2 + 5, "men": value // 2 - 5}}
        make_measurement(trained, lab=alba, period=str(year), state="approved", value=value, disaggregation=gender)
        make_measurement(trained, lab=palermo, period=str(year), state="approved", value=value // 2)
        make_measurement(jobs, lab=alba, period=str(year), state="approved", value=year - 2019)
    for kind, period, value in (("baseline", "2022", 40), ("target", "2025", 150)):
        parsed = Period.parse(period)
        Target.objects.create(
            indicator=trained,
            lab=alba,
            kind=kind,
            value=value,
            period_type=parsed.type,
            period_start=parsed.start,
            period_end=parsed.end,
        )
    return alba


def test_visitor_sees_a_labs_charts_against_its_target_and_the_tables_beside_them(page, dashboard_data):
    page.goto(f"/en/labs/{dashboard_data.slug}/")
    page.get_by_role("link", name="The Lab’s indicators").click()
    expect(page.get_by_role("heading", name="Indicators of CoNECT Lab Alba Iulia")).to_be_visible()
    table = page.get_by_role("table", name="People trained (people)")
    expect(table.get_by_role("row", name="2023")).to_contain_text("65")
    expect(table.get_by_role("row", name="2023")).to_contain_text("23 %")  # (65 - 40) / (150 - 40)
    expect(table.get_by_role("row", name="2025")).to_contain_text("not reported yet")
    expect(page.get_by_role("table", name="By Gender, 2024")).to_contain_text("50")
    expect(page.locator("canvas[data-chart]").first).to_be_visible()
    drawn = page.evaluate(CHARTS_DRAWN)
    assert drawn and all(drawn)
    assert axe_violations(page) == []


def test_visitor_compares_labs_in_small_multiples_a_map_and_a_table(page, dashboard_data):
    page.goto("/en/indicators/dashboard/")
    expect(page.get_by_role("heading", name="The Labs in 2024")).to_be_visible()
    table = page.get_by_role("table", name="Approved values in 2024, Lab by Lab")
    expect(table.get_by_role("row", name="CoNECT Lab Palermo")).to_contain_text("45")
    drawn = page.evaluate(CHARTS_DRAWN)
    assert len(drawn) == 2 and all(drawn)
    page.get_by_label("Indicator on the map").select_option(label="People trained")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="People trained in 2024, on the map")).to_be_visible()
    # Every Lab's territory on the map: two coloured by their value, Lyon grey ("not reported").
    expect(page.locator("#dashboard-map path.leaflet-interactive")).to_have_count(3)
    assert page.locator("#dashboard-map").get_attribute("data-shapes") == "3"
    expect(page.get_by_role("table", name="People trained in 2024")).to_contain_text("not reported yet")
    page.get_by_text("Numbers of this chart").first.click()
    expect(page.get_by_role("table", name="People trained").first).to_contain_text("90")
    assert axe_violations(page) == []
