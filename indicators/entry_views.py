"""Data entry: a person's values with the review queue, a value's page with its review buttons and history, the forms
of values and of baselines and targets, and the evidence file. Every value is found through Measurement's access path
(visible_to, editable_by, submittable_by, approvable_by): what a person may not touch is missing (404)."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from conect.roles import Role
from indicators.entry_forms import (
    IndicatorChoiceForm,
    MeasurementFilterForm,
    MeasurementForm,
    ReviewForm,
    TargetForm,
    editable_targets,
)
from indicators.models import Indicator, Measurement, MeasurementError, MeasurementState
from labs.models import Lab
from labs.roles import has_role

M = MeasurementState
PER_PAGE = 50


def _related(queryset):
    return queryset.select_related("indicator__framework", "lab", "practice", "created_by")


def queue_of(user):
    """The values waiting for this person: submitted ones for coordinators, drafts and returned ones of their Labs for
    facilitators (to submit), their Labs' returned ones for members (to correct)."""
    if has_role(user, Role.COORDINATOR):
        return Measurement.objects.approvable_by(user).filter(state=M.SUBMITTED)
    submittable = Measurement.objects.submittable_by(user).filter(state__in=[M.DRAFT, M.RETURNED])
    if submittable.exists():
        return submittable
    return Measurement.objects.editable_by(user).filter(state=M.RETURNED)


@login_required
@require_safe
def measurement_list(request):
    """The person's Labs' values (all for coordinators), with filters, and the review queue."""
    user = request.user
    values = Measurement.objects.visible_to(user)
    if not has_role(user, Role.COORDINATOR):
        values = values.filter(lab__in=Lab.objects.addable_by(user))
    form = MeasurementFilterForm(request.GET or None, user=user)
    queue = request.GET.get("queue") == "1"
    if queue:
        values = queue_of(user)
    if form.is_bound and form.is_valid():
        if form.cleaned_data["state"]:
            values = values.filter(state=form.cleaned_data["state"])
        if form.cleaned_data["lab"]:
            values = values.filter(lab=form.cleaned_data["lab"])
        if form.cleaned_data["framework"]:
            values = values.filter(indicator__framework=form.cleaned_data["framework"])
    values = _related(values).order_by("-updated_at", "-pk")
    page = Paginator(values, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "queue": queue,
        "queue_count": queue_of(user).count(),
        "is_coordinator": has_role(user, Role.COORDINATOR),
        "query": query.urlencode(),
        "can_import": Lab.objects.moderatable_by(user).exists(),
    }
    return render(request, "indicators/measurement_list.html", context)


@login_required
def measurement_create(request):
    """A new value: first its indicator (and Lab), then the form built for it."""
    user = request.user
    if not Lab.objects.addable_by(user).exists():
        raise Http404
    chooser = IndicatorChoiceForm(request.GET or None, user=user)
    indicator = None
    if request.GET.get("indicator") and chooser.is_valid():
        indicator = chooser.cleaned_data["indicator"]
    if indicator is None:
        return render(request, "indicators/measurement_choose.html", {"chooser": chooser})
    initial = {"lab": chooser.cleaned_data.get("lab")} if chooser.cleaned_data.get("lab") else {}
    form = MeasurementForm(request.POST or None, request.FILES or None, indicator=indicator, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        measurement = form.save(by=user)
        messages.success(request, _("Saved as a draft."))
        return redirect(measurement)
    return render(request, "indicators/measurement_form.html", {"form": form, "indicator": indicator})


def _visible(request, pk: int) -> Measurement:
    return get_object_or_404(_related(Measurement.objects.visible_to(request.user)), pk=pk)


@require_safe
def measurement_detail(request, pk: int):
    measurement = _visible(request, pk)
    user = request.user
    context = {
        "m": measurement,
        "indicator": measurement.indicator,
        "can_edit": Measurement.objects.editable_by(user).filter(pk=pk).exists(),
        "can_submit": measurement.state in (M.DRAFT, M.RETURNED)
        and Measurement.objects.submittable_by(user).filter(pk=pk).exists(),
        "can_review": measurement.state in (M.SUBMITTED, M.APPROVED)
        and Measurement.objects.approvable_by(user).filter(pk=pk).exists(),
        "is_member": Measurement.objects.internal_to(user).filter(pk=pk).exists(),
        "review_form": ReviewForm(),
        "disaggregation": _disaggregation_rows(measurement),
    }
    return render(request, "indicators/measurement_detail.html", context)


def _disaggregation_rows(m: Measurement) -> list[dict]:
    from conect.translations import in_language

    defined = m.indicator.framework.disaggregations or {}
    rows = []
    for code, parts in (m.disaggregation or {}).items():
        spec = defined.get(code) or {}
        names = {
            c["code"]: in_language(c.get("names") or {}, c.get("name") or c["code"]) for c in spec.get("categories", [])
        }
        rows.append({
            "label": in_language(spec.get("names") or {}, spec.get("name") or code),
            "parts": [(names.get(category, category), number) for category, number in (parts or {}).items()],
        })  # fmt: skip
    return rows


@login_required
def measurement_edit(request, pk: int):
    measurement = get_object_or_404(_related(Measurement.objects.editable_by(request.user)), pk=pk)
    form = MeasurementForm(
        request.POST or None, request.FILES or None, indicator=measurement.indicator, user=request.user,
        instance=measurement,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        form.save(by=request.user)
        messages.success(request, _("Saved."))
        return redirect(measurement)
    context = {"form": form, "indicator": measurement.indicator, "m": measurement}
    return render(request, "indicators/measurement_form.html", context)


@login_required
@require_POST
def measurement_submit(request, pk: int):
    measurement = get_object_or_404(Measurement.objects.submittable_by(request.user), pk=pk)
    try:
        measurement.submit(by=request.user)
    except MeasurementError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Submitted for approval: the coordinators will review it."))
    return redirect(measurement)


@login_required
@require_POST
def measurement_review(request, pk: int):
    """Approve, or return with a note (coordinators)."""
    measurement = get_object_or_404(Measurement.objects.approvable_by(request.user), pk=pk)
    form = ReviewForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        if "approve" in request.POST:
            measurement.approve(by=request.user)
            messages.success(request, _("Approved: the value now counts on the dashboards."))
        else:
            measurement.return_for_changes(by=request.user, note=note)
            messages.success(request, _("Returned for changes, with your note."))
    except MeasurementError as error:
        messages.error(request, str(error))
    return redirect(measurement)


@require_safe
def measurement_history(request, pk: int):
    """Every saved version of a value: who, when, what changed (the same table as practices' history)."""
    # The public sees approved values, not who changed them nor the reviews' notes.
    measurement = get_object_or_404(Measurement.objects.internal_to(request.user), pk=pk)
    records = list(measurement.history.select_related("history_user").order_by("-history_date", "-history_id")[:100])
    labels = {f.name: str(f.verbose_name) for f in Measurement._meta.fields}
    rows = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        changes = newer.diff_against(older).changes if older else []
        shown = [labels.get(c.field, c.field) for c in changes if c.field not in ("updated_at", "state_changed_at")]
        if newer.state and (older is None or older.state != newer.state):
            shown = [s for s in shown if s != labels["state"]]
            shown.append(_("state: %(state)s") % {"state": M(newer.state).label})
        returned = older is not None and older.state != newer.state and newer.state == M.RETURNED
        rows.append({"record": newer, "changes": shown, "reason": newer.review_note if returned else ""})
    section = {"url": _list_url(), "name": _("Values")}
    return render(request, "practices/history.html", {"item": measurement, "rows": rows, "section": section})


def _list_url() -> str:
    from django.urls import reverse

    return reverse("indicators:measurements")


@require_safe
def measurement_evidence(request, pk: int):
    """The evidence file, for those who may see the value's Lab's own work: its people and the coordinators."""
    user = request.user
    measurement = get_object_or_404(Measurement.objects.internal_to(user), pk=pk)
    if not measurement.evidence:
        raise Http404
    try:
        handle = measurement.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    from library.files import served_type

    name = measurement.evidence.name.rsplit("/", 1)[-1]
    content_type = served_type(mimetypes.guess_type(name)[0] or "")
    response = FileResponse(handle, content_type=content_type, as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- Baselines and targets --------------------------------------------------------------------------------------------


@login_required
@require_safe
def target_list(request):
    """The baselines and targets a person manages (their Labs' as facilitator; all as coordinator)."""
    if not Lab.objects.moderatable_by(request.user).exists():
        raise Http404
    targets = editable_targets(request.user).order_by("lab__name", "indicator__code", "period_start", "kind")
    lab = request.GET.get("lab")
    if lab:
        targets = targets.filter(lab__slug=lab)
    page = Paginator(targets, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "indicators/target_list.html", {"page": page, "lab": lab})


@login_required
def target_create(request):
    if not Lab.objects.moderatable_by(request.user).exists():
        raise Http404
    initial = {}
    if request.GET.get("indicator", "").isdigit():
        initial["indicator"] = Indicator.objects.visible_to(request.user).filter(pk=request.GET["indicator"]).first()
    if request.GET.get("lab"):
        initial["lab"] = Lab.objects.moderatable_by(request.user).filter(slug=request.GET["lab"]).first()
    form = TargetForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.save(by=request.user)
        messages.success(request, _("Saved."))
        return redirect("indicators:targets")
    return render(request, "indicators/target_form.html", {"form": form})


@login_required
def target_edit(request, pk: int):
    target = get_object_or_404(editable_targets(request.user), pk=pk)
    form = TargetForm(request.POST or None, user=request.user, instance=target)
    if request.method == "POST" and form.is_valid():
        form.save(by=request.user)
        messages.success(request, _("Saved."))
        return redirect("indicators:targets")
    return render(request, "indicators/target_form.html", {"form": form, "target": target})
