"""No English where the reader chose another language: names of languages, sign-in pages."""

import re

import pytest
from django.utils import translation

from practices.vocabularies import language_choices
from tests.conftest import client_for
from tests.factories import make_lab, make_member, make_practice


def test_maltese_is_named_not_coded_among_the_text_languages():
    with translation.override("en"):
        assert dict(language_choices())["mt"] == "Maltese"


@pytest.mark.parametrize("language", ["en", "it", "ro", "fr", "de", "es"])
def test_every_text_language_has_a_name_in_every_page_language(language):
    with translation.override(language):
        assert [code for code, name in language_choices() if name == code] == []


def test_a_practice_written_in_maltese_names_its_language(client, db):
    practice = make_practice(title="Ġnien tal-komunità", original_language="mt")
    response = client.get(practice.get_absolute_url())
    assert response.status_code == 200
    assert "Shown in its original language, Maltese" in response.content.decode()


@pytest.mark.parametrize("language", ["it", "ro", "fr", "de", "es"])
def test_a_visitor_asked_to_sign_in_from_a_page_in_their_language_signs_in_in_that_language(client, db, language):
    response = client.get(f"/{language}/practices/new/", follow=True)
    assert response.request["PATH_INFO"] == f"/{language}/accounts/login/"
    title = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).split()
    with translation.override(language):
        assert title == [*translation.gettext("Sign In").split(), "·", "CoNECT"]


def test_the_form_map_gets_its_drawing_tools_words_in_the_page_language(db):
    member = make_member(make_lab())
    page = client_for(member).get("/it/practices/new/").content.decode()
    assert 'id="leaflet-i18n"' in page
    assert page.index('id="leaflet-i18n"') < page.index("js/leaflet_i18n.js")
