"""The embeddable card's code on a practice page: pasted into any site, it must be an iframe and nothing else."""

from html.parser import HTMLParser

import pytest

from tests.factories import make_practice

HOSTILE_TITLES = [
    'Orto "><script>alert(1)</script> di Ballarò',
    'Mensa " onmouseover="alert(1)',
    'L\'orto "dei vicini" & <b>amici</b>',
]


class Elements(HTMLParser):
    """Every start tag with its attributes, and any text outside tags."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self._in_embed_code = False
        self.embed_code = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self._in_embed_code = tag == "textarea" and ("id", "embed-code") in attrs

    def handle_endtag(self, tag):
        self._in_embed_code = False

    def handle_data(self, data):
        self.text.append(data)
        if self._in_embed_code:
            self.embed_code += data


def parse(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_the_embed_code_is_one_iframe_whose_title_is_the_practice_title_exactly(client, db, title):
    practice = make_practice(title=title)
    page = parse(client.get(practice.get_absolute_url()).content.decode())
    # What a visitor copies is the textarea's text; the host page parses it as HTML.
    pasted = parse(page.embed_code)
    assert [tag for tag, _ in pasted.tags] == ["iframe"]
    [(_, attributes)] = pasted.tags
    assert [name for name, _ in attributes] == ["src", "title", "width", "height", "style", "loading"]
    assert dict(attributes)["title"] == title
    assert dict(attributes)["src"] == f"http://testserver/en/embed/practices/{practice.slug}/"
    assert "".join(pasted.text) == ""
