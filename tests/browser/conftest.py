"""Playwright driving Debian's chromium (never a browser downloaded by Playwright)."""

import importlib
import os
import re
import shutil
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CONECT_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: make test installs Debian's chromium package")
    # Playwright's sync API runs an event loop in the test thread, where the tests' ORM calls stay synchronous:
    # allow them for the browser tests only.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture(autouse=True)
def vocabularies(transactional_db):
    """Browser tests flush the database after each test, data migrations included: put the themes and SDGs back."""
    from django.apps import apps

    importlib.import_module("practices.migrations.0002_themes_and_sdgs").load(apps, None)


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    outside = []
    # The site makes no third-party request but the base-map tiles, which tests refuse (no network): the maps
    # must still show their markers on a plain background.
    tiles = urlsplit(settings.MAP_TILES_URL)
    page.route(f"{tiles.scheme}://{tiles.netloc}/**", lambda route: route.abort())
    allowed = (live_server.url, "data:", f"{tiles.scheme}://{tiles.netloc}/")
    page.on("request", lambda r: None if r.url.startswith(allowed) else outside.append(r.url))
    yield page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    context.close()
    _wait_for_the_live_server_to_finish()
    assert outside == [], f"third-party requests: {outside}"


def _wait_for_the_live_server_to_finish(seconds: float = 10) -> None:
    """The page is closed, but the live server may still be answering its last requests (map tiles, lists): the
    database flush that follows each browser test would deadlock with a query still running. Wait until no other
    connection to the test database runs one, twice in a row."""
    from django.db import connection

    quiet, deadline = 0, time.monotonic() + seconds
    while quiet < 2 and time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state = 'active'"
            )
            busy = cursor.fetchone()[0]
        quiet = 0 if busy else quiet + 1
        time.sleep(0.05)


def axe_violations(page, impacts=("serious", "critical")) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def sign_in(page, email: str, password: str | None = None) -> None:
    """Sign in through the real form, as a person would, and wait for the signed-in menu."""
    from playwright.sync_api import expect

    from tests.factories import PASSWORD

    page.goto("/en/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password or PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_text("Signed in as", exact=False).first).to_be_visible()
