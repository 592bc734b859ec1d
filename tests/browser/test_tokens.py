"""A member makes an API token from the account menu, copies its key (shown once), then revokes it. The pages are
axe-core clean."""

import pytest
from playwright.sync_api import expect

from labs.models import MembershipRole
from partners.models import PartnerToken
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import make_lab, make_member

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_member_makes_a_token_sees_its_key_once_and_revokes_it(page):
    make_member(make_lab(name="CoNECT Lab Palermo"), MembershipRole.MEMBER, email="mara@example.org")
    sign_in(page, "mara@example.org")
    page.get_by_text("Signed in as", exact=False).first.click()
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    assert axe_violations(page) == []

    page.get_by_label("Name").fill("City portal")
    page.get_by_label("Read the unpublished content of my Labs").check()
    page.get_by_role("button", name="Create the token").click()
    expect(page.get_by_text("Copy this key now: it is shown only once.")).to_be_visible()
    key = page.get_by_label("Key of “City portal”").input_value()
    token = PartnerToken.objects.get()
    assert key.startswith(f"{token.prefix}.") and token.is_valid(key)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy the key").click()
    expect(page.get_by_role("button", name="✓ Copy the key")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Back to your tokens").click()
    expect(page.get_by_role("cell", name="City portal", exact=True)).to_be_visible()
    expect(page.get_by_text(key)).to_have_count(0)
    page.get_by_role("link", name="Revoke City portal").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Revoke the token").click()
    expect(page.get_by_text("The token “City portal” is revoked: it no longer works.")).to_be_visible()
    expect(page.get_by_role("cell", name="Revoked", exact=True)).to_be_visible()
    token.refresh_from_db()
    assert token.revoked
