"""The spreadsheet import of measurements: the upload, then the job's page (its progress, its dry run row by row with
the import button, then its report), as the practices and networks imports work."""

import csv
import io

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from indicators import import_tasks, importers
from indicators.entry_forms import ImportForm
from indicators.models import Framework, MeasurementImportJob
from labs.models import Lab
from practices.import_views import _cell as formula_safe

ROWS_PER_PAGE = 100
ROW_FILTERS = {
    "attention": (gettext_lazy("To look at"), Q(action="reject") | ~Q(warnings=[])),
    "create": (gettext_lazy("New"), Q(action="create")),
    "update": (gettext_lazy("Updated"), Q(action="update")),
    "reject": (gettext_lazy("Refused"), Q(action="reject")),
    "all": (gettext_lazy("All rows"), Q()),
}


def _importer_or_404(user) -> None:
    if not Lab.objects.moderatable_by(user).exists():  # coordinators, and facilitators of some Lab
        raise Http404


@login_required
def import_upload(request):
    _importer_or_404(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.GET.get("framework", "").isdigit():
        form.fields["framework"].initial = request.GET["framework"]
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = import_tasks.start_import(
            by=request.user,
            content=upload,
            filename=upload.name,
            framework=form.cleaned_data["framework"],
            lab=form.cleaned_data["lab"],
            state=form.cleaned_data["state"],
            period=form.cleaned_data["period"],
        )
        return redirect(job)
    return render(request, "indicators/import_upload.html", {"form": form})


@login_required
@require_safe
def import_template(request, pk: int):
    """A CSV with the long layout's header for a framework: the columns a file of its values has."""
    _importer_or_404(request.user)
    framework = get_object_or_404(Framework.objects.visible_to(request.user), pk=pk)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in importers.template_rows(framework):
        writer.writerow([formula_safe(cell) for cell in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{framework.code}-v{framework.version}-values.csv"'
    return response


def _job_or_404(request, pk: int) -> MeasurementImportJob:
    jobs = MeasurementImportJob.objects.visible_to(request.user).select_related("lab", "framework")
    return get_object_or_404(jobs, pk=pk)


@login_required
def import_job(request, pk: int):
    """A job's page: its progress while a step runs; then its dry run (with the import button) or its report."""
    job = _job_or_404(request, pk)
    is_owner = job.created_by_id == request.user.pk
    if request.method == "POST":
        if not is_owner:  # coordinators may look at anyone's import; only its owner runs it
            raise Http404
        retry = "retry" in request.POST
        import_tasks.queue_step(job, job.step if retry else MeasurementImportJob.Step.APPLY, retry=retry)
        return redirect(job)
    context = {"job": job, "counts": job.counts, "is_owner": is_owner, "options": import_tasks.options(job)}
    if job.is_under_way:
        return render(request, "indicators/import_job.html", context)
    show = request.GET.get("show")
    if show not in ROW_FILTERS:
        show = "attention" if job.rows.filter(ROW_FILTERS["attention"][1]).exists() else "all"
    rows = job.rows.filter(ROW_FILTERS[show][1])
    context |= {
        "show": show,
        "filters": list(ROW_FILTERS.items()),
        "page": Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page")),
    }
    return render(request, "indicators/import_job.html", context)


@login_required
def import_progress(request, pk: int):
    """Where a job has got, for the page's script (static/js/progress.js, shared with every page that follows a job)."""
    job = _job_or_404(request, pk)
    html = render_to_string("practices/_import_progress.html", {"job": job}, request)
    return JsonResponse({"under_way": job.is_under_way, "html": html})
