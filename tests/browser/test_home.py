import pytest
from playwright.sync_api import expect

from conect.demo import DEMO_PASSWORD
from conect.management.commands.load_demo import load_demo
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo():
    load_demo(with_imports=False)


def test_visitor_switches_the_home_page_from_english_to_italian(page, demo):
    page.goto("/en/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Everyday practices of community resilience")
    page.get_by_label("Language").select_option("it")
    page.get_by_role("button", name="Change").click()
    page.wait_for_url("**/it/")
    expect(page.locator("html")).to_have_attribute("lang", "it")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pratiche quotidiane di resilienza comunitaria")


def test_keyboard_user_can_skip_to_the_main_content(page, demo):
    page.goto("/en/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()


def test_demo_facilitator_signs_in_and_out(page, demo):
    page.goto("/en/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill("facilitator@conect.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_text("Signed in as Demo facilitator", exact=True)).to_be_visible()
    page.goto("/en/labs/palermo/")
    expect(page.get_by_role("cell", name="Demo member")).to_be_visible()
    page.get_by_text("Signed in as Demo facilitator", exact=True).click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_a_wrong_password_shows_an_error_on_the_sign_in_page(page, demo):
    page.goto("/en/accounts/login/")
    page.get_by_label("Email").fill("facilitator@conect.example")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_text("not correct")).to_be_visible()


@pytest.mark.parametrize(
    "path",
    [
        "/en/",
        "/it/",
        "/en/accounts/login/",
        "/en/accounts/signup/",
        "/en/accounts/password/reset/",
        "/en/labs/",
        "/en/labs/sofiya/",
        "/en/networks/",
        "/en/networks/reti-solidali-e-competenti/",
        "/ro/networks/netco-network-of-cities-for-collaborative-housing/",
    ],
)
def test_page_has_no_serious_accessibility_violation(page, demo, path):
    page.goto(path)
    assert axe_violations(page) == []


def test_signed_in_pages_have_no_serious_accessibility_violation(page, demo):
    page.goto("/en/accounts/login/")
    page.get_by_label("Email").fill("member@conect.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    for path in ["/en/", "/en/labs/palermo/", "/en/accounts/password/change/", "/en/accounts/email/"]:
        page.goto(path)
        assert axe_violations(page) == [], path
