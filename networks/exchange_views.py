"""Exports of a graph (Kumu XLSX, CSV, GraphML, GEXF), its JSON feed, and the network import's pages: the upload,
then the job's page (progress, dry run, import button, paged report). They parse, call networks.exchange or
networks.import_tasks, and render; the import's work runs on the task queue."""

import json

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from labs.models import Lab
from labs.moderation import moderates
from networks import exchange, import_tasks
from networks.graph import Scope, ScopeNotFound, scope_from_query
from networks.models import GraphImportJob
from practices.import_views import MAX_UPLOAD

ROWS_PER_PAGE = 100
# ?format= : the file's extension, its content type, and what writes it.
FORMATS = {
    "kumu-xlsx": ("xlsx", exchange.XLSX),
    "csv-elements": ("csv", "text/csv; charset=utf-8"),
    "csv-connections": ("csv", "text/csv; charset=utf-8"),
    "graphml": ("graphml", "application/graphml+xml"),
    "gexf": ("gexf", "application/gexf+xml"),
    "json": ("json", "application/json"),
}


def _scope(request) -> Scope:
    try:
        return scope_from_query(request.GET, request.user)
    except ScopeNotFound:
        raise Http404 from None


def _stem(scope: Scope) -> str:
    name = slugify(scope.title)[:60] or ("selection" if scope.filters else "all")
    return f"conect-network-{name}-{timezone.now():%Y%m%d}"


@require_safe
def export(request):
    """The scope's graph as a file, as much of it as the requester may see (a visitor: published data only)."""
    fmt = request.GET.get("format", "")
    if fmt not in FORMATS:
        raise Http404
    scope = _scope(request)
    graph = exchange.tables(scope, request.user)
    extension, content_type = FORMATS[fmt]
    name = _stem(scope) + ("-connections" if fmt == "csv-connections" else "-elements" if fmt == "csv-elements" else "")
    if fmt == "csv-elements":
        response = StreamingHttpResponse(exchange.csv_lines(graph.elements, exchange.ELEMENT_COLUMNS), content_type)
    elif fmt == "csv-connections":
        lines = exchange.csv_lines(graph.connections, exchange.CONNECTION_COLUMNS)
        response = StreamingHttpResponse(lines, content_type)
    elif fmt == "kumu-xlsx":
        response = HttpResponse(exchange.write_xlsx(graph), content_type)
    elif fmt == "graphml":
        response = HttpResponse(exchange.write_graphml(graph), content_type)
    elif fmt == "gexf":
        response = HttpResponse(exchange.write_gexf(graph), content_type)
    else:
        response = HttpResponse(json.dumps(_feed(request, scope), ensure_ascii=False), content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


def _feed(request, scope: Scope) -> dict:
    title = scope.title or (_("A selection of organisations") if scope.filters else _("All organisations"))
    return exchange.feed(scope, request.user, absolute=request.build_absolute_uri, title=str(title))


@require_safe
def feed(request):
    """The JSON feed other tools read by URL (JSON Graph Format): the same scope query as the exports."""
    response = JsonResponse(_feed(request, _scope(request)), json_dumps_params={"ensure_ascii": False})
    # Other sites' scripts may read it by URL. Never with the reader's cookies: a wildcard origin forbids credentials,
    # so a browser sends none and what it reads is what a visitor sees.
    response["Access-Control-Allow-Origin"] = "*"
    return response


# --- Import ----------------------------------------------------------------------------------------------------------


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (XLSX, CSV or GraphML)"),
        help_text=gettext_lazy(
            "A Kumu workbook with its Elements and Connections sheets, a GraphML file, or a CSV of elements "
            "(or of connections alone)."
        ),
    )
    connections = forms.FileField(
        label=gettext_lazy("Connections (CSV), with a CSV of elements"),
        required=False,
    )
    lab = forms.ModelChoiceField(Lab.objects.none(), label=gettext_lazy("Lab"))
    publish = forms.BooleanField(
        label=gettext_lazy("Publish the imported organisations and relationships at once"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        labs = Lab.objects.moderatable_by(user)
        self.fields["lab"].queryset = labs
        if labs.count() == 1:
            self.fields["lab"].initial = labs.first()

    def _checked(self, upload, suffixes: tuple[str, ...], message: str):
        if upload and not upload.name.lower().endswith(suffixes):
            raise forms.ValidationError(message)
        if upload and upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 20 MB: split it."))
        return upload

    def clean_file(self):
        return self._checked(self.cleaned_data["file"], exchange.SUFFIXES, _("Choose an XLSX, CSV or GraphML file."))

    def clean_connections(self):
        return self._checked(self.cleaned_data["connections"], (".csv",), _("Choose a CSV file of connections."))

    def clean(self):
        data = super().clean()
        if data.get("connections") and data.get("file") and not data["file"].name.lower().endswith(".csv"):
            self.add_error("connections", _("A CSV of connections comes with a CSV of elements."))
        return data


def _importer_or_404(user) -> None:
    if not moderates(user):  # coordinators, and facilitators of some Lab
        raise Http404


@login_required
def import_upload(request):
    _importer_or_404(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.GET.get("lab"):  # ?lab=<slug> chooses the Lab: a Lab the user may not import into is missing
        lab = get_object_or_404(Lab.objects.moderatable_by(request.user), slug=request.GET["lab"])
        form.fields["lab"].initial = lab
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = import_tasks.start_import(
            by=request.user,
            content=upload,
            filename=upload.name,
            lab=form.cleaned_data["lab"],
            publish=form.cleaned_data["publish"],
            connections=form.cleaned_data["connections"],
        )
        return redirect(job)
    context = {
        "form": form,
        "element_columns": exchange.ELEMENT_COLUMNS,
        "connection_columns": exchange.CONNECTION_COLUMNS,
        "required": exchange.REQUIRED,
    }
    return render(request, "networks/import_upload.html", context)


ROW_FILTERS = {
    "attention": (gettext_lazy("To look at"), Q(action="reject") | ~Q(warnings=[])),
    "create": (gettext_lazy("New"), Q(action="create")),
    "update": (gettext_lazy("Updated"), Q(action="update")),
    "unchanged": (gettext_lazy("Unchanged"), Q(action="unchanged")),
    "reject": (gettext_lazy("Refused"), Q(action="reject")),
    "all": (gettext_lazy("All rows"), Q()),
}


def _job_or_404(request, pk: int) -> GraphImportJob:
    return get_object_or_404(GraphImportJob.objects.visible_to(request.user).select_related("lab"), pk=pk)


@login_required
def import_job(request, pk: int):
    """A job's page: its progress while a step runs; then its dry run (with the import button) or its report."""
    job = _job_or_404(request, pk)
    is_owner = job.created_by_id == request.user.pk
    if request.method == "POST":
        if not is_owner:  # coordinators may look at anyone's import; only its owner runs it
            raise Http404
        import_tasks.queue_step(job, job.step if "retry" in request.POST else GraphImportJob.Step.APPLY,
                                retry="retry" in request.POST)  # fmt: skip
        return redirect(job)
    context = {"job": job, "counts": job.counts, "is_owner": is_owner}
    if job.is_under_way:
        return render(request, "networks/import_job.html", context)
    show = request.GET.get("show")
    if show not in ROW_FILTERS:
        show = "attention" if job.rows.filter(ROW_FILTERS["attention"][1]).exists() else "all"
    rows = job.rows.filter(ROW_FILTERS[show][1]).select_related("organisation", "relationship")
    rows = rows.only("job", "sheet", "number", "action", "title", "reasons", "warnings", "organisation__slug",
                     "relationship__id")  # fmt: skip
    context |= {
        "show": show,
        "filters": list(ROW_FILTERS.items()),
        "page": Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page")),
    }
    return render(request, "networks/import_job.html", context)


@login_required
def import_progress(request, pk: int):
    """Where a job has got, for the page's script (static/js/progress.js, shared with every page that follows a job)."""
    job = _job_or_404(request, pk)
    html = render_to_string("practices/_import_progress.html", {"job": job}, request)
    return JsonResponse({"under_way": job.is_under_way, "html": html})
