import io

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from labs.models import MembershipRole
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import make_lab, make_member

pytestmark = pytest.mark.django_db(transaction=True)


def kumu_workbook() -> bytes:
    book = Workbook()
    book.remove(book.active)
    elements = book.create_sheet("Elements")
    for row in (["Label", "Type", "Sector", "Country", "City"], ["Casa Comune", "ngo", "civic", "IT", "Palermo"],
                ["Comune di Palermo", "municipality", "public", "IT", "Palermo"]):  # fmt: skip
        elements.append(row)
    connections = book.create_sheet("Connections")
    for row in (["From", "To", "Type", "Direction"], ["Comune di Palermo", "Casa Comune", "funding", "directed"]):
        connections.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_facilitator_imports_a_kumu_workbook_after_reading_the_dry_run(page, tmp_path):
    lab = make_lab(name="CoNECT Lab Palermo")
    make_member(lab, MembershipRole.FACILITATOR, email="fabio@example.org", display_name="Fabio")
    sign_in(page, "fabio@example.org")
    workbook = tmp_path / "palermo.xlsx"
    workbook.write_bytes(kumu_workbook())

    page.goto("/en/networks/import/")
    expect(page.get_by_role("heading", name="The columns the import reads")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("File (XLSX, CSV or GraphML)").set_input_files(str(workbook))
    page.get_by_role("button", name="Read the file").click()
    expect(page.get_by_role("heading", name="Dry run")).to_be_visible()
    expect(page.get_by_role("cell", name="Comune di Palermo → Casa Comune")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Import 3 rows").click()
    expect(page.get_by_role("heading", name="Report")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Casa Comune", exact=True).click()
    expect(page.get_by_role("heading", name="Casa Comune", level=1)).to_be_visible()
