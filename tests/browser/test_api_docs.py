"""The API reference at /api/docs/: served from our own static files, readable by everyone (axe-core)."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def docs_page(page, live_server):
    """The page, refusing (and remembering) any request to another host than the live server."""
    elsewhere = []
    here = urlsplit(live_server.url).netloc

    def only_here(route):
        if urlsplit(route.request.url).netloc == here:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_here)
    page.goto("/api/docs/")
    # Redoc draws the page once it has read the whole schema, generated on the first request: give it time.
    expect(page.get_by_role("heading", name="CoNECT API", level=1)).to_be_visible(timeout=30_000)
    yield page
    assert elsewhere == []


def test_a_partner_reads_the_practices_endpoints_in_an_accessible_api_reference(docs_page):
    expect(docs_page).to_have_title("API reference · CoNECT")
    expect(docs_page.locator("html")).to_have_attribute("lang", "en")
    expect(docs_page.get_by_role("menuitem", name="practices", exact=True)).to_be_visible()
    expect(docs_page.get_by_text("/api/v1/practices/", exact=True).first).to_be_attached()
    assert axe_violations(docs_page) == []
