"""A partner's page on another origin embeds the map, by the iframe code or the script, as a visitor copies them."""

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, _wait_for_the_live_server_to_finish, axe_violations
from tests.factories import make_lab, make_practice

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def lab():
    lab = make_lab(name='Lab "Ballarò" </textarea>', city="Palermo")
    make_practice(lab=lab, title="Orto di Ballarò", location=Point(13.36, 38.11, srid=4326), themes=["food"])
    make_practice(lab=lab, title="Mensa solidale", location=Point(13.37, 38.12, srid=4326), themes=["care"])
    make_practice(lab=lab, title="Bozza", location=Point(13.35, 38.10, srid=4326), state="draft")
    make_practice(title="Elsewhere", location=Point(4.84, 45.76, srid=4326))
    return lab


class PartnerSite(ThreadingHTTPServer):
    """A partner's site on its own origin (127.0.0.1 and another port; the live server is localhost): a real server,
    so that the browser treats it as the local site it is (a route for a public name is refused by Chrome's local
    network access checks when its page frames localhost)."""

    body = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


class PartnerPage(BaseHTTPRequestHandler):
    def do_GET(self):
        html = (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Our city</title></head>'
            f"<body><h1>Our city's community map</h1>{self.server.body}</body></html>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(html)))
        self.end_headers()
        self.wfile.write(html)

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    server = PartnerSite(("127.0.0.1", 0), PartnerPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def partner(browser, live_server, site, request):
    """The browser, with a page of the CoNECT live server and, later, of the partner's site."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1100, "height": 800})
    page = context.new_page()
    tiles = urlsplit(settings.MAP_TILES_URL)
    page.route(f"{tiles.scheme}://{tiles.netloc}/**", lambda route: route.abort())
    outside = []
    allowed = (live_server.url, site.url, "data:", f"{tiles.scheme}://{tiles.netloc}/")
    page.on("request", lambda r: None if r.url.startswith(allowed) else outside.append(r.url))
    yield page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    context.close()
    _wait_for_the_live_server_to_finish()
    assert outside == [], f"third-party requests: {outside}"


def copied(page, lab, textarea: str) -> str:
    page.goto(f"/en/labs/{lab.slug}/")
    page.get_by_text("Show the Lab’s map on your site").click()
    return page.locator(f"#{textarea}").input_value()


def test_a_partner_page_shows_a_labs_map_with_the_pasted_iframe_code(partner, site, lab):
    site.body = copied(partner, lab, "embed-map-code")
    partner.goto(site.url)
    frame = partner.frame_locator("iframe")
    expect(partner.locator("iframe")).to_have_attribute("title", 'Map of the practices of Lab "Ballarò" </textarea>')
    expect(frame.locator("#practice-map")).to_have_attribute("data-practices", "2", timeout=15000)
    expect(frame.locator(".leaflet-interactive").first).to_be_visible()
    expect(frame.get_by_role("link", name="Open on CoNECT")).to_have_attribute("href", re.compile(f"lab={lab.slug}"))


def test_a_partner_page_shows_a_labs_map_with_the_pasted_script(partner, site, lab):
    site.body = copied(partner, lab, "embed-map-script")
    partner.goto(site.url)
    iframe = partner.locator("[data-conect-map] iframe")
    expect(iframe).to_have_attribute("title", 'Map of the practices of Lab "Ballarò" </textarea>')
    expect(iframe).to_have_attribute("height", "480")
    expect(partner.frame_locator("iframe").locator("#practice-map")).to_have_attribute(
        "data-practices", "2", timeout=15000
    )


def test_the_map_pages_embed_code_follows_its_filters(page, lab):
    page.goto("/en/map/")
    page.get_by_label("Food").check()
    page.get_by_text("Show this map on your site", exact=True).click()
    expect(page.locator("#embed-map-code")).to_have_value(re.compile(r"/en/embed/map/\?theme=food&amp;view="))
    expect(page.locator("#embed-map-script")).to_have_value(re.compile(r'data-theme="food"'))


def test_the_embedded_map_passes_axe(page, lab):
    page.goto(f"/en/embed/map/?lab={lab.slug}&bbox=abc")
    expect(page.locator("#practice-map")).to_have_attribute("data-practices", "2")
    expect(page.get_by_role("status")).to_contain_text("could not be read")
    assert axe_violations(page) == []
