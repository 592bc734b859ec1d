"""Import pages (upload, column mapping with a dry run, the all-or-nothing import) and exports of the filtered set."""

import csv
import io
import json
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from labs.models import Lab, MembershipRole
from labs.roles import Role, has_role
from practices import importers
from practices.filters import PracticeFilter
from practices.models import ImportJob, Practice

MAX_UPLOAD = 20 * 1024 * 1024


def _importable_labs(user):
    if has_role(user, Role.COORDINATOR):
        return Lab.objects.all()
    return Lab.objects.filter(memberships__user=user, memberships__role=MembershipRole.FACILITATOR)


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
        labs = _importable_labs(user)
        self.fields["lab"].queryset = labs
        self.fields["lab"].required = not has_role(user, Role.COORDINATOR)
        if labs.count() == 1:
            self.fields["lab"].initial = labs.first()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 20 MB: split it."))
        data = upload.read()
        try:
            self.table = importers.read_table(data, upload.name)
        except importers.ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        self.data_bytes = data
        return upload


def _check_importer(user):
    if not _importable_labs(user).exists():
        raise Http404


@login_required
def import_upload(request):
    _check_importer(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        source = form.cleaned_data["source"] or form.table.source_hint or Path(upload.name).stem
        job = ImportJob(
            created_by=request.user,
            lab=form.cleaned_data["lab"],
            filename=upload.name,
            source=source[:100],
            mapping=importers.guess_mapping(form.table),
            publish=form.cleaned_data["publish"],
            europe_only=form.cleaned_data["europe_only"],
            strict=form.cleaned_data["strict"],
        )
        job.file.save(upload.name, ContentFile(form.data_bytes), save=False)
        job.save()
        return redirect("practices:import_job", pk=job.pk)
    return render(request, "practices/import_upload.html", {"form": form})


class MappingForm(forms.Form):
    def __init__(self, *args, columns, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *[(c, c) for c in columns]]
        for target, label in importers.TARGETS.items():
            self.fields[target] = forms.ChoiceField(choices=choices, label=label, required=False)


def _job(request, pk):
    jobs = (
        ImportJob.objects.all()
        if has_role(request.user, Role.COORDINATOR)
        else ImportJob.objects.filter(created_by=request.user)
    )
    return get_object_or_404(jobs, pk=pk)


@login_required
def import_job(request, pk: int):
    _check_importer(request.user)
    job = _job(request, pk)
    with job.file.open("rb") as handle:
        table = importers.read_table(handle.read(), job.filename)
    if request.method == "POST" and job.status == ImportJob.Status.PLANNED:
        form = MappingForm(request.POST, columns=table.columns)
        if form.is_valid():
            job.mapping = {k: v for k, v in form.cleaned_data.items() if v}
            job.save(update_fields=["mapping"])
            if "import" in request.POST:
                return _run(request, job, table)
        return redirect("practices:import_job", pk=job.pk)
    rows = importers.plan(table, job.mapping, source=job.source, lab=job.lab, europe_only=job.europe_only)
    counts = {action: sum(1 for r in rows if r.action == action) for action in ("create", "update", "reject")}
    context = {
        "job": job,
        "form": MappingForm(initial=job.mapping, columns=table.columns),
        "counts": counts,
        "attention": [r for r in rows if r.action == "reject" or r.warnings][:500],
        "sample": [r for r in rows if r.action != "reject" and not r.warnings][:50],
        "total": len(rows),
    }
    return render(request, "practices/import_job.html", context)


def _run(request, job: ImportJob, table):
    with transaction.atomic():
        # One import per job, even if the button is pressed twice.
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != ImportJob.Status.PLANNED:
            return redirect("practices:import_job", pk=job.pk)
        return _import(request, locked, table)


def _import(request, job: ImportJob, table):
    rows = importers.plan(table, job.mapping, source=job.source, lab=job.lab, europe_only=job.europe_only)
    try:
        summary = importers.apply(
            rows, source=job.source, lab=job.lab, by=request.user, publish=job.publish, strict=job.strict
        )
    except importers.StrictImportRefused:
        job.status = ImportJob.Status.REFUSED
        messages.error(request, _("Nothing was imported: some rows are refused and you asked for all or nothing."))
    else:
        job.status = ImportJob.Status.IMPORTED
        job.report = {"created": summary.created, "updated": summary.updated, "unchanged": summary.unchanged,
                      "rejected": summary.rejected,
                      "rows": [r.as_report() for r in rows if r.action == "reject"]}  # fmt: skip
        messages.success(
            request,
            _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, %(rejected)s refused.")
            % {
                "created": summary.created,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
                "rejected": summary.rejected,
            },
        )
    job.finished_at = timezone.now()
    job.save()
    return redirect("practices:import_job", pk=job.pk)


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


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """Text that a spreadsheet would run as a formula is kept as text (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


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
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("practices")
        sheet.append(EXPORT_COLUMNS)
        for row in _export_rows(request, queryset):
            sheet.append([_cell(row[c]) for c in EXPORT_COLUMNS])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
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
