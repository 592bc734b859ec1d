"""Import pages (upload, then the job's page: progress, dry run, column mapping, import and its paged report) and
exports of the filtered set. The work runs on the task queue: these views parse, call practices.services and render."""

import csv
import io
import itertools
import json
import tempfile

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.postgres.expressions import ArraySubquery
from django.core.paginator import Paginator
from django.db.models import F, FloatField, Func, OuterRef, Q, TextField, Value
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from conect import fastjson
from conect.csvcells import formula_safe
from labs.models import Lab
from labs.moderation import moderates
from labs.roles import Role, has_role
from practices import importers, services
from practices.filters import PracticeFilter
from practices.models import ImportJob, ImportRow, Practice, Theme

MAX_UPLOAD = 20 * 1024 * 1024
ROWS_PER_PAGE = 100


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (CSV, XLSX or GeoJSON)"))
    source = forms.CharField(
        label=gettext_lazy("Name of the source"),
        max_length=100,
        required=False,
        help_text=gettext_lazy(
            "Importing again from the same source updates the practices instead of duplicating them."
        ),
    )
    lab = forms.ModelChoiceField(Lab.objects.none(), label=gettext_lazy("Lab"), required=False)
    publish = forms.BooleanField(label=gettext_lazy("Publish the imported practices at once"), required=False)
    europe_only = forms.BooleanField(label=gettext_lazy("Refuse places outside Europe"), required=False, initial=True)
    strict = forms.BooleanField(label=gettext_lazy("Import nothing if any row is refused"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        labs = Lab.objects.moderatable_by(user)
        self.fields["lab"].queryset = labs
        # Only coordinators import without a Lab (the practices then belong to none).
        self.fields["lab"].required = not has_role(user, Role.COORDINATOR)
        if labs.count() == 1:
            self.fields["lab"].initial = labs.first()

    def clean_file(self):
        # Only what costs nothing: the file is read on a worker, and its page says what is wrong with it.
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(importers.SUFFIXES):
            raise forms.ValidationError(_("Choose a CSV, XLSX or GeoJSON file."))
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 20 MB: split it."))
        return upload


def _importer_or_404(user) -> None:
    if not moderates(user):  # the rule the menu follows: coordinators, and facilitators of some Lab
        raise Http404


@login_required
def import_upload(request):
    _importer_or_404(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = services.start_import(
            by=request.user,
            content=upload,
            filename=upload.name,
            lab=form.cleaned_data["lab"],
            source=form.cleaned_data["source"],
            publish=form.cleaned_data["publish"],
            europe_only=form.cleaned_data["europe_only"],
            strict=form.cleaned_data["strict"],
        )
        return redirect(job)
    columns = []  # the expected columns: label, name in the template, other names the guess knows, example
    for target, label in importers.TARGETS.items():
        name, example = importers.TEMPLATE[target]
        columns.append((label, name, [other for other in importers.GUESSES[target] if other != name][:5], example))
    return render(request, "practices/import_upload.html", {"form": form, "columns": columns})


@login_required
def import_template(request, fmt: str):
    """The template file: the columns the import reads, and one example row."""
    _importer_or_404(request.user)
    rows = importers.template_rows()
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        # With a byte order mark, spreadsheets open it as UTF-8.
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(_xlsx(rows), content_type=XLSX)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="conect-import-template.{fmt}"'
    return response


class MappingForm(forms.Form):
    def __init__(self, *args, columns, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *[(c, c) for c in columns]]
        for target, label in importers.TARGETS.items():
            self.fields[target] = forms.ChoiceField(choices=choices, label=label, required=False)


# The report's views of the rows (?show=), each a filter: its label and the rows it keeps.
ROW_FILTERS = {
    "attention": (gettext_lazy("To look at"), Q(action=ImportRow.Action.REJECT) | ~Q(warnings=[])),
    "create": (gettext_lazy("New"), Q(action=ImportRow.Action.CREATE)),
    "update": (gettext_lazy("Updated"), Q(action=ImportRow.Action.UPDATE)),
    "unchanged": (gettext_lazy("Unchanged"), Q(action=ImportRow.Action.UNCHANGED)),
    "reject": (gettext_lazy("Refused"), Q(action=ImportRow.Action.REJECT)),
    "all": (gettext_lazy("All rows"), Q()),
}


def _job_or_404(request, pk: int) -> ImportJob:
    return get_object_or_404(ImportJob.objects.visible_to(request.user).select_related("lab"), pk=pk)


@login_required
def import_job(request, pk: int):
    """A job's page: its progress while a step runs; then its dry run (columns, import button) or its report."""
    job = _job_or_404(request, pk)
    if request.method == "POST":
        return _act(request, job)
    context = {"job": job, "counts": job.counts, "is_owner": job.created_by_id == request.user.pk}
    if job.is_under_way:
        return render(request, "practices/import_job.html", context)
    if job.columns and job.status in (ImportJob.Status.PLANNED, ImportJob.Status.REFUSED) and context["is_owner"]:
        context["form"] = MappingForm(initial=job.mapping, columns=job.columns)
    show = request.GET.get("show")
    if show not in ROW_FILTERS:  # the rows to look at first, when there are any
        show = "attention" if job.rows.filter(ROW_FILTERS["attention"][1]).exists() else "all"
    rows = (
        job.rows.filter(ROW_FILTERS[show][1])
        .select_related("practice")
        .only("job", "number", "action", "title", "reasons", "warnings", "practice__slug")
    )
    context |= {
        "show": show,
        "filters": [
            (key, label)
            for key, (label, _rows) in ROW_FILTERS.items()
            if key != "unchanged" or job.status == ImportJob.Status.IMPORTED  # only an import tells
        ],
        "page": Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page")),
    }
    return render(request, "practices/import_job.html", context)


def _act(request, job: ImportJob):
    # Coordinators may look at anyone's import; only its owner runs it (the history names them as the author).
    if job.created_by_id != request.user.pk:
        raise Http404
    if "retry" in request.POST:
        services.retry_import(job)
    elif job.columns:
        form = MappingForm(request.POST, columns=job.columns)
        if form.is_valid():
            mapping = {target: column for target, column in form.cleaned_data.items() if column}
            step = ImportJob.Step.APPLY if "import" in request.POST else ImportJob.Step.PLAN
            services.queue_step(job, step, mapping=mapping)
    return redirect(job)


@login_required
def import_progress(request, pk: int):
    """Where a job has got, for the page's script: whether it still runs, and its progress box to show."""
    job = _job_or_404(request, pk)
    html = render_to_string("practices/_import_progress.html", {"job": job}, request)
    return JsonResponse({"under_way": job.is_under_way, "html": html})


EXPORT_COLUMNS = [
    "slug", "title", "summary", "original_language", "themes", "sdgs", "dimensions", "target_groups", "scale",
    "status", "country", "city", "latitude", "longitude", "website", "lab", "state", "url",
]  # fmt: skip

# Rows go out in chunks read from a server-side cursor: one query whatever the number of rows, and memory bounded by
# a chunk (a million practices export like ten).
EXPORT_CHUNK = 2000
# XLSX is written whole before it goes out (about 2,500 rows a second here): beyond this, CSV.
XLSX_MAX_ROWS = 50_000


def _joined(expression) -> Func:
    """An array (a column or a subquery) as text joined by ";", as the exports write lists."""
    return Func(expression, Value(";"), function="array_to_string", output_field=TextField())


def _export_values(request) -> dict:
    """Each export column as an SQL expression: themes, SDGs and the URL assembled by PostgreSQL, so a row costs no
    model instance, no prefetch and no reverse()."""
    themes = Theme.objects.filter(practices=OuterRef("pk")).order_by("slug").values("slug")
    sdgs = Practice.sdgs.through.objects.filter(practice=OuterRef("pk")).order_by("sdg_id").values("sdg_id")
    return {
        "slug": F("slug"),
        "title": F("title"),
        "summary": F("summary"),
        "original_language": F("original_language"),
        "themes": _joined(ArraySubquery(themes)),
        "sdgs": _joined(ArraySubquery(sdgs)),
        "dimensions": _joined(F("dimensions")),
        "target_groups": _joined(F("target_groups")),
        "scale": F("scale"),
        "status": F("status"),
        "country": F("country"),
        "city": F("city"),
        "latitude": Func("location", function="ST_Y", output_field=FloatField()),
        "longitude": Func("location", function="ST_X", output_field=FloatField()),
        "website": F("website"),
        "lab": Coalesce(F("lab__slug"), Value("")),
        "state": F("state"),
        "url": fastjson.url("practices:practice_detail", prefix=request.build_absolute_uri("/")[:-1]),
    }


def _export_rows(request, queryset):
    """The export's rows as lists in EXPORT_COLUMNS order, chunk by chunk; coordinates to 6 decimals, as in GeoJSON."""
    values = _export_values(request)
    rows = queryset.annotate(**{f"export_{k}": v for k, v in values.items()}).values_list(
        *(f"export_{k}" for k in EXPORT_COLUMNS)
    )
    lat, lon = EXPORT_COLUMNS.index("latitude"), EXPORT_COLUMNS.index("longitude")
    for row in rows.iterator(chunk_size=EXPORT_CHUNK):
        row = list(row)
        row[lat] = "" if row[lat] is None else round(row[lat], 6)
        row[lon] = "" if row[lon] is None else round(row[lon], 6)
        yield row


def _export_csv(request, queryset):
    """The export as CSV text, a chunk of rows at a time; cells that a spreadsheet would run are kept as text."""
    writer = csv.writer(_Echo())
    yield writer.writerow(EXPORT_COLUMNS)
    lines = []
    for row in _export_rows(request, queryset):
        lines.append(writer.writerow([_cell(v) for v in row]))
        if len(lines) == EXPORT_CHUNK:
            yield "".join(lines)
            lines = []
    yield "".join(lines)


def _export_features(request, queryset):
    """The export as GeoJSON text, chunk by chunk: each Feature built by PostgreSQL (json_build_object,
    ST_AsGeoJSON), joined into one RFC 7946 FeatureCollection without being parsed here."""
    values = _export_values(request)
    properties = {k: v for k, v in values.items() if k not in ("latitude", "longitude")}
    feature = fastjson.obj(type="Feature", geometry=fastjson.geojson("location"), properties=fastjson.obj(**properties))
    rows = queryset.annotate(export_feature=fastjson.as_text(feature)).values_list("export_feature", flat=True)
    yield b'{"type":"FeatureCollection","features":['
    chunk, separator = [], b""
    for text in rows.iterator(chunk_size=EXPORT_CHUNK):
        chunk.append(text)
        if len(chunk) == EXPORT_CHUNK:
            yield separator + ",".join(chunk).encode()
            chunk, separator = [], b","
    if chunk:
        yield separator + ",".join(chunk).encode()
    yield b"]}"


_cell = formula_safe  # the one rule, in conect.csvcells (other modules import it from here too)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(rows, *, sheet: str = "Sheet1") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    for row in rows:
        worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_file(rows, *, sheet: str):
    """A workbook of `rows` in a temporary file, for a FileResponse: openpyxl's write-only mode writes each row to
    disk as it comes (strings inline), so memory stays flat however many rows there are."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    for row in rows:
        worksheet.append(row)
    file = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    workbook.save(file)
    file.seek(0)
    return file


class _Echo:
    def write(self, value):
        return value


def export(request, fmt: str):
    """The filtered set, as much of it as the requester may see, streamed. Private contacts are never exported."""
    practice_filter = PracticeFilter(request.GET, queryset=Practice.objects.visible_to(request.user))
    if not practice_filter.is_valid():
        return HttpResponse(
            json.dumps(practice_filter.errors.get_json_data()), status=400, content_type="application/json"
        )
    queryset = practice_filter.qs.order_by("title", "pk")
    stamp = timezone.now().strftime("%Y%m%d")
    if fmt == "csv":
        response = StreamingHttpResponse(_export_csv(request, queryset), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        if queryset[: XLSX_MAX_ROWS + 1].count() > XLSX_MAX_ROWS:
            message = _(
                "A spreadsheet holds at most %(count)s practices here: narrow the filters, or download CSV instead."
            ) % {"count": number_format(XLSX_MAX_ROWS, force_grouping=True)}
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        rows = itertools.chain([EXPORT_COLUMNS], ([_cell(v) for v in row] for row in _export_rows(request, queryset)))
        response = FileResponse(_xlsx_file(rows, sheet="practices"), content_type=XLSX)
    elif fmt == "geojson":
        response = StreamingHttpResponse(_export_features(request, queryset), content_type="application/geo+json")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="conect-practices-{stamp}.{fmt}"'
    return response
