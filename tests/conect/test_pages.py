import pytest

from tests.conftest import client_for
from tests.factories import make_lab


def test_root_redirects_to_the_language_of_the_browser(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="it-IT,it;q=0.9")
    assert response["Location"] == "/it/"


def test_home_page_says_what_the_platform_is_for_and_leads_on(client, db):
    make_lab(name="CoNECT Lab Palermo")
    text = client.get("/en/").text
    assert "Everyday practices of community resilience" in text
    assert 'href="/en/labs/"' in text
    assert 'href="/en/networks/"' in text
    assert "CoNECT Lab Palermo" in text


def test_home_page_has_landmarks_and_a_skip_link(client, db):
    text = client.get("/en/").text
    assert 'href="#main"' in text
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in text


@pytest.mark.parametrize(
    ("language", "phrase"),
    [
        ("it", "Pratiche quotidiane di resilienza comunitaria"),
        ("ro", "Practici cotidiene de reziliență comunitară"),
        ("fr", "Pratiques quotidiennes de résilience communautaire"),
        ("de", "Alltägliche Praktiken gemeinschaftlicher Resilienz"),
        ("es", "Prácticas cotidianas de resiliencia comunitaria"),
    ],
)
def test_home_page_speaks_each_language(client, db, language, phrase):
    response = client.get(f"/{language}/")
    assert f'<html lang="{language}">' in response.text
    assert phrase in response.text


def test_language_switcher_keeps_the_visitor_on_the_same_page(client, db):
    lab = make_lab(name="Gijón")
    response = client.post("/i18n/setlang/", {"language": "es", "next": f"/en/labs/{lab.slug}/"})
    assert response["Location"] == "/es/labs/gijon/"


def test_missing_page_is_a_translated_404_without_traceback(client, db):
    response = client.get("/fr/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.text
    assert "Traceback" not in response.text


@pytest.mark.parametrize("who", ["visitor", "contributor", "member", "facilitator", "coordinator"])
def test_admin_is_closed_to_everyone_but_staff(request, who, lab):
    user = None if who == "visitor" else request.getfixturevalue(who)
    response = client_for(user).get("/en/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_adds_a_user_with_an_email_and_a_password(admin_user):
    from conect.models import User

    response = client_for(admin_user).post(
        "/en/admin/conect/user/add/",
        {
            "email": "new@example.org",
            "usable_password": "true",
            "password1": "Long-enough-2026",
            "password2": "Long-enough-2026",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="new@example.org").check_password("Long-enough-2026")


@pytest.mark.parametrize(
    "model",
    [
        "conect/user",
        "labs/lab",
        "labs/membership",
        "labs/invitation",
        "activities/activity",
        "activities/programme",
        "activities/registration",
        "library/resource",
        "networks/organisation",
        "networks/network",
        "networks/networkmembership",
    ],
)
def test_admin_manages_every_model(admin_user, lab, model):
    client = client_for(admin_user)
    assert client.get(f"/en/admin/{model}/").status_code == 200
    assert client.get(f"/en/admin/{model}/add/").status_code == 200
