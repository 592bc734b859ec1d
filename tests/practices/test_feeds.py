"""The feeds of newly published practices: what a feed reader gets, in which order and language, and never a draft."""

from datetime import timedelta
from xml.etree.ElementTree import Element

import pytest
from defusedxml.ElementTree import fromstring
from django.utils import timezone

from labs.moderation import ModerationState
from practices.models import PracticeTranslation
from tests.factories import make_practice

ATOM = "{http://www.w3.org/2005/Atom}"
pytestmark = pytest.mark.django_db


def rss_items(client, url: str) -> list[Element]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return fromstring(response.content).findall("./channel/item")


def titles(items: list[Element]) -> list[str]:
    return [item.findtext("title") for item in items]


def published(days_ago: int, **kwargs):
    practice = make_practice(**kwargs)
    practice.state_changed_at = timezone.now() - timedelta(days=days_ago)
    practice.save()
    return practice


def test_a_feed_reader_gets_the_newly_published_practices_newest_first(client):
    published(3, title="Orto di Ballarò")
    published(1, title="Mensa solidale")
    published(2, title="Banca del tempo")
    assert titles(rss_items(client, "/en/practices/feed.rss")) == [
        "Mensa solidale",
        "Banca del tempo",
        "Orto di Ballarò",
    ]


def test_a_draft_or_a_practice_in_review_is_never_in_a_feed(client, lab):
    published(1, title="Published one", lab=lab, themes=["food"])
    for state in (ModerationState.DRAFT, ModerationState.SUBMITTED, ModerationState.REJECTED, ModerationState.ARCHIVED):
        make_practice(title=f"Hidden {state}", state=state, lab=lab, themes=["food"])
    for url in (f"/en/labs/{lab.slug}/practices.rss", "/en/themes/food/practices.rss", "/en/practices/feed.rss"):
        assert titles(rss_items(client, url)) == ["Published one"]


def test_an_item_links_to_the_practice_page_with_its_summary_themes_and_publication_date(client):
    practice = published(1, title="Orto di Ballarò", summary="Un orto condiviso", themes=["food", "care"])
    [item] = rss_items(client, "/en/practices/feed.rss")
    page = f"http://testserver/en/practices/{practice.slug}/"
    assert item.findtext("link") == page
    assert item.findtext("guid") == page
    assert item.find("guid").get("isPermaLink") == "true"
    assert item.findtext("description") == "Un orto condiviso"
    assert sorted(category.text for category in item.findall("category")) == ["Care and health", "Food"]
    assert item.findtext("pubDate")
    assert item.find("enclosure") is None


def test_a_feed_holds_the_30_newest_practices(client):
    for n in range(32):
        published(n, title=f"Practice {n:02}")
    items = rss_items(client, "/en/practices/feed.rss")
    assert len(items) == 30
    assert titles(items)[0] == "Practice 00" and titles(items)[-1] == "Practice 29"


def test_a_labs_feed_has_its_practices_only(client, lab, other_lab):
    published(1, title="Ours", lab=lab)
    published(1, title="Theirs", lab=other_lab)
    channel = fromstring(client.get(f"/en/labs/{lab.slug}/practices.rss").content).find("channel")
    assert [item.findtext("title") for item in channel.findall("item")] == ["Ours"]
    assert lab.name in channel.findtext("title")
    assert channel.findtext("link") == f"http://testserver/en/labs/{lab.slug}/"


def test_a_themes_feed_has_the_practices_of_that_theme_only(client):
    published(1, title="Garden", themes=["food"])
    published(1, title="Solar panels", themes=["energy"])
    assert titles(rss_items(client, "/en/themes/food/practices.rss")) == ["Garden"]


def test_a_feed_of_an_unknown_lab_or_theme_is_not_found(client):
    assert client.get("/en/labs/nowhere/practices.rss").status_code == 404
    assert client.get("/en/themes/nowhere/practices.atom").status_code == 404


def test_the_atom_feed_has_the_same_entries(client, lab):
    practice = published(1, title="Orto di Ballarò", lab=lab)
    for url in ("/en/practices/feed.atom", f"/en/labs/{lab.slug}/practices.atom"):
        response = client.get(url)
        assert response["Content-Type"].startswith("application/atom+xml")
        [entry] = fromstring(response.content).findall(f"{ATOM}entry")
        assert entry.findtext(f"{ATOM}title") == "Orto di Ballarò"
        assert entry.find(f"{ATOM}link").get("href") == f"http://testserver/en/practices/{practice.slug}/"


def test_the_feed_speaks_the_language_of_its_address(client):
    practice = published(1, title="Community canteen", original_language="en", themes=["food"])
    PracticeTranslation.objects.create(practice=practice, language="it", title="Mensa di comunità", summary="Pasti")
    channel = fromstring(client.get("/it/practices/feed.rss").content).find("channel")
    assert channel.findtext("language") == "it"
    item = channel.find("item")
    assert item.findtext("title") == "Mensa di comunità"
    assert item.findtext("link") == f"http://testserver/it/practices/{practice.slug}/"
    assert [category.text for category in item.findall("category")] == ["Cibo"]


@pytest.mark.parametrize(
    "title",
    ["Orto <b>&</b> \"amici\" ]]> 'vicini'", "Bell\x07 and \x1b[31mescape\x01 codes", "Form\x0cfeed \ufffe end"],
)
def test_special_and_control_characters_in_a_title_never_break_the_feed(client, title):
    published(1, title=title, summary=f"Summary: {title}")
    for url in ("/en/practices/feed.rss", "/en/practices/feed.atom"):
        response = client.get(url)
        assert response.status_code == 200
        fromstring(response.content)  # well-formed XML, or this raises
    [item] = rss_items(client, "/en/practices/feed.rss")
    kept = "".join(c for c in title if c >= " " or c in "\t\n\r").replace("\ufffe", "")
    assert item.findtext("title") == kept


def test_a_feed_costs_the_same_queries_for_1_and_30_practices(client, django_assert_num_queries):
    published(1, themes=["food"])
    client.get("/en/practices/feed.rss")
    with django_assert_num_queries(4) as one:
        client.get("/en/practices/feed.rss")
    for n in range(29):
        published(n, themes=["food", "care"])
    with django_assert_num_queries(len(one.captured_queries)):
        client.get("/en/practices/feed.rss")


def test_the_map_and_a_lab_page_advertise_their_feeds(client, lab):
    page = client.get("/en/map/").content.decode()
    assert 'type="application/rss+xml" title="New practices on CoNECT (RSS)" href="/en/practices/feed.rss">' in page
    themed = client.get("/en/map/?theme=food").content.decode()
    assert 'type="application/rss+xml" title="New practices: Food (RSS)" href="/en/themes/food/practices.rss"' in themed
    lab_page = client.get(f"/en/labs/{lab.slug}/").content.decode()
    atom = f'title="New practices of {lab.name} (Atom)" href="/en/labs/{lab.slug}/practices.atom"'
    assert atom in lab_page
    assert f'<a href="/en/labs/{lab.slug}/practices.rss" type="application/rss+xml">' in lab_page
