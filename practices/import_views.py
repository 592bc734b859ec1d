"""Import pages (upload, then the job's page: progress, dry run, column mapping, import and its paged report) and
exports of the filtered set. The work runs on the task queue: these views parse, call practices.services and render."""

import csv
import io
import json

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from conect.csvcells import formula_safe
from labs.models import Lab
from labs.moderation import moderates
from labs.roles import Role, has_role
from practices import importers, services
from practices.filters import PracticeFilter
from practices.models import ImportJob, ImportRow, Practice

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


def _export_rows(request, queryset):
    for practice in queryset.iterator(chunk_size=2000):
        yield {
            "slug": practice.slug,
            "title": practice.title,
            "summary": practice.summary,
            "original_language": practice.original_language,
            "themes": ";".join(t.slug for t in practice.themes.all()),
            "sdgs": ";".join(str(s.number) for s in practice.sdgs.all()),
            "dimensions": ";".join(practice.dimensions),
            "target_groups": ";".join(practice.target_groups),
            "scale": practice.scale,
            "status": practice.status,
            "country": practice.country.code,
            "city": practice.city,
            "latitude": round(practice.location.y, 6) if practice.location else "",
            "longitude": round(practice.location.x, 6) if practice.location else "",
            "website": practice.website,
            "lab": practice.lab.slug if practice.lab else "",
            "state": practice.state,
            "url": request.build_absolute_uri(practice.get_absolute_url()),
        }


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


class _Echo:
    def write(self, value):
        return value


def export(request, fmt: str):
    """The filtered set, as much of it as the requester may see. Private contacts are never exported."""
    practice_filter = PracticeFilter(request.GET, queryset=Practice.objects.visible_to(request.user))
    if not practice_filter.is_valid():
        return HttpResponse(
            json.dumps(practice_filter.errors.get_json_data()), status=400, content_type="application/json"
        )
    queryset = practice_filter.qs.select_related("lab").prefetch_related("themes", "sdgs").order_by("title", "pk")
    stamp = timezone.now().strftime("%Y%m%d")
    if fmt == "csv":
        writer = csv.DictWriter(_Echo(), fieldnames=EXPORT_COLUMNS)

        def lines():
            yield writer.writeheader()
            for row in _export_rows(request, queryset):
                yield writer.writerow({k: _cell(v) for k, v in row.items()})

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        rows = ([_cell(row[c]) for c in EXPORT_COLUMNS] for row in _export_rows(request, queryset))
        response = HttpResponse(_xlsx([EXPORT_COLUMNS, *rows], sheet="practices"), content_type=XLSX)
    elif fmt == "geojson":
        features = (
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]}
                if row["latitude"] != ""
                else None,
                "properties": {k: v for k, v in row.items() if k not in ("latitude", "longitude")},
            }
            for row in _export_rows(request, queryset)
        )
        response = HttpResponse(
            json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False),
            content_type="application/geo+json",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="conect-practices-{stamp}.{fmt}"'
    return response
