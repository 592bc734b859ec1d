import pytest
from django.urls import reverse
from playwright.sync_api import expect

from library import services
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import make_lab, make_member
from tests.library.helpers import PDF, make_resource, pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def guide():
    lab = make_lab(name="CoNECT Lab Palermo")
    resource = make_resource(
        title="Guide to shared kitchens",
        lab=lab,
        description="How neighbours cook together.",
        language="en",
        content=("kitchens.pdf", pdf_bytes("Foreword", "The quinoa cooperative of Ballaro feeds forty families"), PDF),
        themes=["food"],
    )
    services.extract_text(resource.pk)  # the worker's job, here and now
    return resource


def test_visitor_finds_a_resource_by_words_only_inside_its_pdf_and_opens_it(page, guide):
    page.goto(reverse("library:list"))
    assert axe_violations(page) == []
    page.get_by_label("Words to look for, in any language").fill("quinoa cooperative")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(".passage mark").first).to_have_text("quinoa")
    page.get_by_role("link", name="Guide to shared kitchens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Guide to shared kitchens")
    expect(page.get_by_role("link", name="Download kitchens.pdf")).to_be_visible()
    expect(page.locator(".resource-excerpt")).to_contain_text("quinoa")
    assert axe_violations(page) == []


def test_member_form_and_history_pages_are_accessible(page, live_server, guide):
    member = make_member(guide.lab)
    sign_in(page, member.email)
    page.goto(reverse("library:create"))
    expect(page.get_by_role("heading", level=1)).to_have_text("New library resource")
    assert axe_violations(page) == []
    page.goto(reverse("library:history", args=[guide.slug]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("History of")
    assert axe_violations(page) == []
