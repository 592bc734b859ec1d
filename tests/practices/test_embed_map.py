"""The embeddable map for partner sites: its filters, what it shows, the headers that let it be framed, the cookies
it never sets, and the code to paste that cannot break the host page."""

import json
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.gis.geos import Point

from labs.moderation import ModerationState
from tests.conftest import client_for
from tests.factories import make_lab, make_practice
from tests.practices.test_embed import parse

pytestmark = pytest.mark.django_db

HOSTILE_NAMES = [
    'Lab "><script>alert(1)</script>',
    "Lab </textarea><script>alert(1)</script>",
    'Lab " onload="alert(1)',
    "Lab l'orto & <b>amici</b>",
]


def config(response) -> dict:
    assert response.status_code == 200
    text = response.content.decode()
    start = text.index('<script id="map-config" type="application/json">') + len(
        '<script id="map-config" type="application/json">'
    )
    return json.loads(text[start : text.index("</script>", start)])


def tile_count(client, query: str) -> int:
    answer = client.get(f"/tiles/practices/0/0/0.geojson?{query}")
    assert answer.status_code == 200
    return sum(feature["properties"]["count"] for feature in json.loads(answer.content)["features"])


def test_the_embed_draws_the_map_with_the_filters_of_its_address(client, lab):
    make_practice(lab=lab, themes=["food"], country="RO")
    make_practice(lab=lab, themes=["energy"], country="RO")
    make_practice(themes=["food"], country="IT")
    answer = client.get(f"/en/embed/map/?lab={lab.slug}&theme=food&country=RO&page=3&unknown=1")
    filters = config(answer)["embed"]["filters"]
    assert parse_qs(filters) == {"lab": [lab.slug], "theme": ["food"], "country": ["RO"]}
    assert tile_count(client, filters) == 1
    assert "1 practice" in answer.content.decode()


def test_a_bbox_in_the_address_filters_the_embed_and_the_view_only_places_it(client):
    make_practice(location=Point(4.84, 45.76, srid=4326))  # Lyon
    make_practice(location=Point(13.36, 38.11, srid=4326))  # Palermo
    answer = client.get("/en/embed/map/?bbox=4.5,45.5,5.2,46.0&view=6/45.7/4.8")
    filters = config(answer)["embed"]["filters"]
    assert parse_qs(filters) == {"bbox": ["4.5,45.5,5.2,46.0"]}
    assert tile_count(client, filters) == 1
    assert "1 practice" in answer.content.decode()


def test_drafts_are_never_on_the_embed_even_for_the_labs_members(lab, member):
    make_practice(lab=lab, title="Published")
    make_practice(lab=lab, title="Draft", state=ModerationState.DRAFT)
    make_practice(lab=lab, title="In review", state=ModerationState.SUBMITTED)
    client = client_for(member)
    answer = client.get(f"/en/embed/map/?lab={lab.slug}")
    assert "1 practice" in answer.content.decode()
    assert tile_count(client, config(answer)["embed"]["filters"]) == 1


@pytest.mark.parametrize(
    "query",
    [
        "bbox=abc",
        "bbox=10,10,0,0",
        "bbox=-200,0,10,10",
        "lab=nowhere",
        "theme=nothing&theme=food",
        "country=ZZ",
        "sdg=99",
        "status=sleeping",
        "view=nonsense",
        "lab=" + "x" * 5000,
        "theme=%FF%FE",
    ],
)
def test_a_malformed_address_shows_the_map_and_says_what_was_ignored(client, query):
    make_practice(themes=["food"])
    answer = client.get(f"/en/embed/map/?{query}")
    assert answer.status_code == 200
    filters = config(answer)["embed"]["filters"]
    assert tile_count(client, filters) >= 0  # whatever the embed keeps, the tiles accept
    if not query.startswith("view="):
        assert "could not be read" in answer.content.decode()


def test_the_embed_links_to_the_full_map_with_the_same_filters(client, lab):
    answer = client.get(f"/en/embed/map/?lab={lab.slug}&theme=food&view=7/45/4")
    page = parse(answer.content.decode())
    [link] = [dict(attributes) for tag, attributes in page.tags if tag == "a" and ("id", "embed-open") in attributes]
    url = urlsplit(link["href"])
    assert url.path == "/en/map/"
    assert parse_qs(url.query) == {"lab": [lab.slug], "theme": ["food"], "view": ["7/45/4"]}
    assert link["target"] == "_blank"
    assert "Data: CoNECT platform contributors, CC BY 4.0" in answer.content.decode()


@pytest.mark.parametrize("url", ["/en/embed/map/", "/en/embed/map/?theme=food", "EMBED_PRACTICE"])
def test_an_embed_sets_no_cookie_even_for_a_signed_in_reader(member, url):
    practice = make_practice()
    url = f"/en/embed/practices/{practice.slug}/" if url == "EMBED_PRACTICE" else url
    for client in (client_for(None), client_for(member)):
        answer = client.get(url, HTTP_ACCEPT_LANGUAGE="it")
        assert answer.status_code == 200
        assert not answer.cookies
        assert "Set-Cookie" not in answer.headers


@pytest.mark.parametrize("url", ["/en/embed/map/", "EMBED_PRACTICE"])
def test_any_site_may_frame_an_embed_by_default(client, url):
    practice = make_practice()
    answer = client.get(f"/en/embed/practices/{practice.slug}/" if url == "EMBED_PRACTICE" else url)
    assert answer["Content-Security-Policy"] == "frame-ancestors *"
    assert "X-Frame-Options" not in answer.headers


@pytest.mark.parametrize("url", ["/en/embed/map/", "EMBED_PRACTICE"])
def test_only_the_sites_in_the_settings_may_frame_an_embed(client, settings, url):
    settings.EMBED_FRAME_ANCESTORS = ["https://city.example", "https://*.partner.example"]
    practice = make_practice()
    answer = client.get(f"/en/embed/practices/{practice.slug}/" if url == "EMBED_PRACTICE" else url)
    assert answer["Content-Security-Policy"] == "frame-ancestors https://city.example https://*.partner.example"


def test_the_sites_pages_stay_unframeable(client):
    assert client.get("/en/map/")["X-Frame-Options"] == "DENY"


def test_the_embed_script_is_javascript_at_a_stable_address(client):
    answer = client.get("/embed/map.js")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/javascript")
    assert b"data-conect-map" in answer.content
    assert not answer.cookies


def snippets(html: str) -> tuple:
    """What a visitor copies from each textarea, parsed as the host page will parse it."""
    page = parse(html)
    codes = {}
    for textarea in ("embed-map-code", "embed-map-script"):
        start = html.index(f'<textarea id="{textarea}"')
        start = html.index(">", start) + 1
        codes[textarea] = unescape(html[start : html.index("</textarea>", start)])
    assert page  # the page itself parses
    return parse(codes["embed-map-code"]), parse(codes["embed-map-script"])


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_lab_pages_embed_code_is_one_iframe_titled_with_the_labs_name_exactly(client, name):
    lab = make_lab(name=name)
    frame, script = snippets(client.get(f"/en/labs/{lab.slug}/").content.decode())
    assert [tag for tag, _ in frame.tags] == ["iframe"]
    [(_, attributes)] = frame.tags
    attributes = dict(attributes)
    assert attributes["title"] == f"Map of the practices of {name}"
    assert attributes["src"] == f"http://testserver/en/embed/map/?lab={lab.slug}"
    assert "".join(frame.text) == ""
    assert [tag for tag, _ in script.tags] == ["div", "script"]
    div, tag = dict(script.tags[0][1]), dict(script.tags[1][1])
    assert div["data-lab"] == lab.slug and div["data-title"] == f"Map of the practices of {name}"
    assert "data-conect-map" in div
    assert tag["src"] == "http://testserver/embed/map.js"
    assert "".join(script.text).strip() == ""


def test_the_map_pages_embed_code_carries_its_current_filters(client, lab):
    html = client.get(f"/en/map/?theme=food&theme=care&lab={lab.slug}&page=2&view=6/45/4").content.decode()
    frame, script = snippets(html)
    [(_, attributes)] = frame.tags
    src = urlsplit(dict(attributes)["src"])
    assert src.path == "/en/embed/map/"
    assert parse_qs(src.query) == {"theme": ["food", "care"], "lab": [lab.slug], "view": ["6/45/4"]}
    div = dict(script.tags[0][1])
    assert div["data-theme"] == "food,care" and div["data-view"] == "6/45/4"


def test_the_embed_costs_the_same_queries_for_1_and_30_practices(client, lab, django_assert_num_queries):
    make_practice(lab=lab)
    client.get(f"/en/embed/map/?lab={lab.slug}")
    with django_assert_num_queries(7):
        client.get(f"/en/embed/map/?lab={lab.slug}")
    for _ in range(29):
        make_practice(lab=lab)
    with django_assert_num_queries(7):
        client.get(f"/en/embed/map/?lab={lab.slug}")
