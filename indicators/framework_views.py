"""Frameworks: the public index of the indicators part and each framework's page, the coordinators' forms (framework,
dimensions, indicators), its downloads, its import and its next version. They parse, call indicators.exchange or the
forms' models, and render. A framework a person may not see (a draft, to anyone but coordinators) answers 404."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from conect.roles import Role
from indicators import exchange
from indicators.forms import DimensionFormSet, FrameworkForm, FrameworkImportForm, IndicatorForm
from indicators.models import Framework, Indicator
from labs.roles import has_role


def _visible(request: HttpRequest, code: str, version: int) -> Framework:
    return get_object_or_404(Framework.objects.visible_to(request.user), code=code, version=version)


def _editable(request: HttpRequest, code: str, version: int) -> Framework:
    return get_object_or_404(Framework.objects.editable_by(request.user), code=code, version=version)


def _may_create(request: HttpRequest) -> None:
    # Creating and importing frameworks is the coordinators' (the same rule as Framework.objects.editable_by).
    if not has_role(request.user, Role.COORDINATOR):
        raise Http404


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    frameworks = (
        Framework.objects.visible_to(request.user)
        .latest_versions()
        .annotate(
            indicator_count=Count("indicators", distinct=True), dimension_count=Count("dimensions", distinct=True)
        )
        .order_by("-published", "name")
    )
    context = {"frameworks": frameworks, "can_manage": has_role(request.user, Role.COORDINATOR)}
    return render(request, "indicators/home.html", context)


@require_safe
def framework_detail(request: HttpRequest, code: str, version: int) -> HttpResponse:
    framework = _visible(request, code, version)
    indicators = framework.indicators.select_related("dimension")
    dimensions = list(
        framework.dimensions.select_related("parent").prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("position", "code"))
        )
    )
    context = {
        "framework": framework,
        "dimensions": dimensions,
        "indicators": indicators,
        "outside": [i for i in indicators if i.dimension_id is None],
        "versions": Framework.objects.visible_to(request.user).filter(code=code).exclude(pk=framework.pk),
        "can_edit": Framework.objects.editable_by(request.user).filter(pk=framework.pk).exists(),
        "method_text": _method_text(framework),
    }
    return render(request, "indicators/framework_detail.html", context)


def _method_text(framework: Framework) -> str:
    """The framework's default method in words, as every index prints it."""
    from indicators import composite
    from indicators.composite_services import default_method

    try:
        return default_method(framework).describe() if framework.method else ""
    except composite.MethodError:
        return ""


@require_safe
def framework_export(request: HttpRequest, code: str, version: int, fmt: str) -> HttpResponse:
    framework = _visible(request, code, version)
    name = f"{framework.code}-v{framework.version}"
    if fmt == "json":
        body = json.dumps(exchange.export_framework(framework), ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json")
    elif fmt == "csv":
        response = HttpResponse(exchange.framework_csv(framework), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(exchange.framework_xlsx(framework), content_type=exchange.XLSX)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def framework_create(request: HttpRequest) -> HttpResponse:
    _may_create(request)
    form = FrameworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.created_by = request.user
        framework = form.save()
        messages.success(request, _("The framework is saved. Add its dimensions and indicators."))
        return redirect(framework)
    context = {"form": form, "heading": _("New framework")}
    return render(request, "indicators/framework_form.html", context, status=400 if form.errors else 200)


@login_required
def framework_edit(request: HttpRequest, code: str, version: int) -> HttpResponse:
    framework = _editable(request, code, version)
    form = FrameworkForm(request.POST or None, instance=framework)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The framework is saved."))
        return redirect(framework)
    context = {"form": form, "framework": framework, "heading": _("Edit the framework")}
    return render(request, "indicators/framework_form.html", context, status=400 if form.errors else 200)


@login_required
def dimension_edit(request: HttpRequest, code: str, version: int) -> HttpResponse:
    framework = _editable(request, code, version)
    formset = DimensionFormSet(
        request.POST or None,
        instance=framework,
        queryset=framework.dimensions.select_related("parent"),
        form_kwargs={"framework": framework},
    )
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            formset.save()
        messages.success(request, _("The dimensions are saved."))
        return redirect(framework)
    context = {"formset": formset, "framework": framework}
    return render(request, "indicators/framework_dimensions.html", context, status=400 if formset.errors else 200)


@login_required
def indicator_create(request: HttpRequest, code: str, version: int) -> HttpResponse:
    framework = _editable(request, code, version)
    return _indicator_form(request, framework, Indicator(framework=framework), _("New indicator"))


@login_required
def indicator_edit(request: HttpRequest, code: str, version: int, indicator: str) -> HttpResponse:
    framework = _editable(request, code, version)
    instance = get_object_or_404(framework.indicators, code=indicator)
    return _indicator_form(request, framework, instance, _("Edit the indicator"))


def _indicator_form(request: HttpRequest, framework: Framework, instance: Indicator, heading: str) -> HttpResponse:
    form = IndicatorForm(request.POST or None, instance=instance, framework=framework)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The indicator is saved."))
        return redirect(f"{framework.get_absolute_url()}#indicator-{form.instance.code}")
    context = {"form": form, "framework": framework, "heading": heading}
    return render(request, "indicators/framework_indicator_form.html", context, status=400 if form.errors else 200)


@login_required
def framework_import(request: HttpRequest) -> HttpResponse:
    _may_create(request)
    form = FrameworkImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            framework = exchange.import_framework(
                form.cleaned_data["file"], by=request.user, publish=form.cleaned_data["publish"]
            )
        except exchange.FrameworkImportError as error:
            errors = error.errors
        else:
            messages.success(
                request, _("Imported as version %(version)s of “%(code)s”.") % {"version": framework.version,
                                                                               "code": framework.code}
            )  # fmt: skip
            return redirect(framework)
    context = {"form": form, "errors": errors, "columns": exchange.COLUMNS}
    return render(request, "indicators/framework_import.html", context, status=400 if form.errors or errors else 200)


@login_required
@require_POST
def framework_new_version(request: HttpRequest, code: str, version: int) -> HttpResponse:
    framework = _editable(request, code, version)
    copy = exchange.new_version(framework, by=request.user)
    messages.success(
        request,
        _("Version %(version)s is a draft copy of version %(previous)s: adapt it, then publish it.")
        % {"version": copy.version, "previous": framework.version},
    )
    return redirect(copy)
