"""The site search in a browser: a visitor types words, reads the practices best first, excludes a word, pages
through the results without meeting one twice, and never sees a draft; the page passes axe."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.factories import make_practice

pytestmark = pytest.mark.django_db(transaction=True)


def search(page, words: str) -> None:
    page.goto("/en/search/")
    page.get_by_label("Words to look for, in any language").fill(words)
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url(re.compile(r"/en/search/\?q="))
    expect(page.locator("#search-q")).to_have_value(words)  # the words kept in the box


def test_a_visitor_searches_excludes_a_word_and_never_sees_a_draft(page):
    make_practice(title="Community garden", summary="Neighbours grow vegetables together.", original_language="en")
    make_practice(title="Garden kitchen", summary="A kitchen cooks what the garden grows.", original_language="en")
    make_practice(title="Orto condiviso", summary="Un giardino per il quartiere.", original_language="it")
    make_practice(title="Secret garden", summary="Not yet published.", state="draft", original_language="en")

    search(page, "garden")
    results = page.locator(".result-list")
    expect(results).to_contain_text("Community garden")
    expect(results).to_contain_text("Garden kitchen")
    expect(page.locator("main")).not_to_contain_text("Secret garden")
    assert axe_violations(page) == []

    search(page, "garden -kitchen")
    expect(results).to_contain_text("Community garden")
    expect(results).not_to_contain_text("Garden kitchen")

    search(page, "giardino")  # the Italian summary, found from its own language
    expect(results).to_contain_text("Orto condiviso")


def test_a_visitor_pages_through_many_results_without_meeting_a_practice_twice(page):
    for n in range(30):
        make_practice(title=f"Garden {n:02}", summary="A shared garden.", original_language="en")
    search(page, "garden")
    first = set(page.locator(".result-list > li").all_inner_texts())
    page.get_by_role("navigation", name="Pages of results").get_by_role("link", name="Next").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    second = set(page.locator(".result-list > li").all_inner_texts())
    assert len(first) == 20 and len(second) == 10 and not first & second
    assert axe_violations(page) == []
