"""The comparison of Labs: a public page of aggregates, and the same numbers as CSV and XLSX."""

import csv
import io

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from indicators.compare import MAX_LABS, Section, all_labs, compare
from indicators.forms import CompareForm
from practices.import_views import XLSX
from practices.import_views import _cell as formula_safe


def _chosen(request: HttpRequest) -> tuple[CompareForm, list]:
    """The form, and the Labs it chose (on bad input, the known Labs among those asked for, to keep them ticked)."""
    form = CompareForm(request.GET, labs=all_labs())
    if form.is_valid():
        return form, form.cleaned_data["labs"]
    asked = set(request.GET.getlist("labs"))
    return form, [lab for lab in form.all_labs if lab.slug in asked]


def compare_view(request: HttpRequest) -> HttpResponse:
    form, labs = _chosen(request)
    valid = form.is_valid()
    context = {
        "form": form,
        "all_labs": form.all_labs,
        # Ticked: what the person chose. Before any choice the page shows the first Labs, with nothing ticked, so that
        # ticking two compares those two.
        "chosen": {lab.slug for lab in labs} if request.GET.getlist("labs") else set(),
        "labs": labs if valid else [],
        "sections": compare(labs) if valid and labs else [],
        "query": urlencode({"labs": [lab.slug for lab in labs]}, doseq=True),
        "max_labs": MAX_LABS,
    }
    return render(request, "indicators/compare.html", context, status=200 if valid else 400)


def download(request: HttpRequest, fmt: str) -> HttpResponse:
    form, labs = _chosen(request)
    if not form.is_valid() or not labs:
        return compare_view(request)
    sections = compare(labs)
    name = f"conect-labs-comparison-{timezone.now():%Y%m%d}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(_csv(sections, labs), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(_xlsx(sections, labs), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _header(labs: list) -> list[str]:
    return [_("Category"), *(lab.name for lab in labs)]


def _csv(sections: list[Section], labs: list) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([formula_safe(cell) for cell in [_("Comparison"), *_header(labs)]])
    for section in sections:
        for category, values in section.table():
            writer.writerow([formula_safe(str(section.title)), formula_safe(str(category)), *values])
    return out.getvalue()


def _xlsx(sections: list[Section], labs: list) -> bytes:
    """One sheet per section, laid out as the page's table."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for number, section in enumerate(sections, start=1):
        sheet = workbook.create_sheet(_sheet_name(number, str(section.title)))
        sheet.append([formula_safe(str(section.title))])
        sheet.append([formula_safe(cell) for cell in _header(labs)])
        for category, values in section.table():
            sheet.append([formula_safe(str(category)), *values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_name(number: int, title: str) -> str:
    # Excel refuses these characters and names over 31 characters; the number keeps names unique once cut.
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in title)
    return f"{number}. {cleaned}"[:31]
