import re

from django.core import mail

from conect.models import User
from tests.factories import PASSWORD, make_user


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def test_visitor_can_sign_up_and_must_confirm_the_email_address(client, db):
    response = client.post(
        "/en/accounts/signup/",
        {"email": "ana@example.org", "password1": "Solidarity-2026!", "password2": "Solidarity-2026!"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/confirm-email/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ana@example.org"]
    assert not client.get("/en/").context["user"].is_authenticated


def test_following_the_confirmation_link_verifies_the_address_and_signs_in(client, db):
    client.post(
        "/en/accounts/signup/",
        {"email": "ana@example.org", "password1": "Solidarity-2026!", "password2": "Solidarity-2026!"},
    )
    link = _link(mail.outbox[0])
    client.post(link)
    assert User.objects.get(email="ana@example.org").emailaddress_set.get().verified
    assert client.get("/en/").context["user"].email == "ana@example.org"


def test_sign_up_with_mismatched_passwords_shows_a_field_error_in_italian(client, db):
    response = client.post(
        "/it/accounts/signup/",
        {"email": "ana@example.org", "password1": "Solidarity-2026!", "password2": "Other-2026!"},
    )
    assert response.status_code == 200
    assert "Devi digitare la stessa password" in response.text
    assert not User.objects.exists()


def test_member_can_sign_in_with_email_and_password(client, db):
    user = make_user()
    response = client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/en/").context["user"] == user


def test_wrong_password_is_refused_with_a_message(client, db):
    user = make_user()
    response = client.post("/en/accounts/login/", {"login": user.email, "password": "wrong"})
    assert response.status_code == 200
    assert "not correct" in response.text


def test_signed_in_user_signs_out_with_a_post(client, db):
    client.force_login(make_user())
    client.post("/en/accounts/logout/")
    assert not client.get("/en/").context["user"].is_authenticated


def test_forgotten_password_sends_a_reset_link_that_sets_a_new_one(client, db):
    user = make_user()
    client.post("/en/accounts/password/reset/", {"email": user.email})
    assert len(mail.outbox) == 1
    link = _link(mail.outbox[0])
    form_url = client.get(link)["Location"]
    client.post(form_url, {"password1": "A-new-password-2026", "password2": "A-new-password-2026"})
    user.refresh_from_db()
    assert user.check_password("A-new-password-2026")


def test_signed_in_user_can_change_password(client, db):
    user = make_user()
    client.force_login(user)
    client.post(
        "/en/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "Another-pass-2026", "password2": "Another-pass-2026"},
    )
    user.refresh_from_db()
    assert user.check_password("Another-pass-2026")


def test_user_menu_shows_the_signed_in_users_display_name(client, db):
    client.force_login(make_user(display_name="Ioana"))
    assert "Signed in as Ioana" in client.get("/en/").text


def test_a_users_name_never_falls_back_to_the_email_address(db):
    user = make_user(display_name="")
    assert user.email not in str(user)
