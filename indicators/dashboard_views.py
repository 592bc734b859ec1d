"""The dashboards: a Lab's (/labs/<slug>/dashboard/), the Labs and countries side by side (/indicators/dashboard/),
and their CSV and XLSX downloads. Public pages of approved values; a Lab's members also see how many of its values
wait for review, coordinators how many wait for their approval in each Lab. The numbers come from
indicators.dashboards."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from conect.templatetags.conect import map_tiles
from indicators import dashboards
from indicators.models import Framework
from indicators.values import yearly
from labs.models import Lab
from practices.import_views import XLSX


def _framework(request: HttpRequest, frameworks: list[Framework]) -> Framework | None:
    """The framework asked for (?framework=<code>&version=<n> or ?framework=<code>:<n>, the latest version without
    one), else the default; one the person may not see is missing (404)."""
    code = request.GET.get("framework", "").strip()
    if not code:
        return dashboards.default_framework(frameworks)
    code, _colon, version = code.partition(":")  # the chooser's "<code>:<version>"
    versions = [f for f in frameworks if f.code == code]
    version = version or request.GET.get("version", "").strip()
    if version:
        versions = [f for f in versions if str(f.version) == version]
    if not versions:
        raise Http404
    return max(versions, key=lambda f: f.version)


def _choices(frameworks: list[Framework]) -> list[tuple[str, str, str]]:
    """(code, version, label) of each framework for the chooser."""
    return [(f.code, str(f.version), f"{f.localised_name} (v{f.version})") for f in frameworks]


def lab_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    lab = get_object_or_404(Lab.objects.visible_to(request.user), slug=slug)
    frameworks = dashboards.frameworks_for(request.user, country=False)
    framework = _framework(request, frameworks)
    context = {
        "lab": lab,
        "frameworks": _choices(frameworks),
        "framework": framework,
        "dashboard": dashboards.lab_dashboard(lab=lab, framework=framework, user=request.user) if framework else None,
    }
    return render(request, "indicators/lab_dashboard.html", context)


def lab_dashboard_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    lab = get_object_or_404(Lab.objects.visible_to(request.user), slug=slug)
    framework = _framework(request, dashboards.frameworks_for(request.user, country=False))
    if framework is None:
        raise Http404
    rows = dashboards.download_rows(framework=framework, user=request.user, lab=lab)
    return _download(rows, fmt=fmt, name=f"{lab.slug}-{framework.code}-v{framework.version}", title=lab.name)


def _int(text: str) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def dashboard(request: HttpRequest) -> HttpResponse:
    frameworks = dashboards.frameworks_for(request.user)
    framework = _framework(request, frameworks)
    context = {"frameworks": _choices(frameworks), "framework": framework, "max_subjects": dashboards.MAX_SUBJECTS}
    if framework is None:
        return render(request, "indicators/dashboard.html", context)
    indicators = dashboards.framework_indicators(framework)
    values = yearly(indicators)
    usable = dashboards.lab_indicators(indicators)
    by_code = {indicator.code: indicator for indicator in usable}
    asked = [by_code[code] for code in request.GET.getlist("indicators") if code in by_code]
    chosen = asked or usable[: dashboards.MAX_SUBJECTS]
    all_labs = list(Lab.objects.visible_to(request.user).order_by("name"))
    slugs = request.GET.getlist("labs")
    labs = [lab for lab in all_labs if lab.slug in set(slugs)] if slugs else None
    too_many = labs is not None and len(labs) > dashboards.MAX_SUBJECTS
    if too_many:
        labs = labs[: dashboards.MAX_SUBJECTS]
    year = _int(request.GET.get("year", ""))
    map_indicator = by_code.get(request.GET.get("map", "")) or (chosen[0] if chosen else None)
    view = None
    if usable:
        view = dashboards.labs_view(
            framework=framework,
            user=request.user,
            indicators=indicators,
            values=values,
            all_labs=all_labs,
            chosen=chosen,
            labs=labs,
            year=year,
            map_indicator=map_indicator,
        )
    countries = dashboards.countries_view(
        indicators=indicators,
        values=values,
        year=year,
        chosen=[code.upper() for code in request.GET.getlist("countries")],
    )
    shown = view if view is not None and view.years else countries
    context |= {
        "years": shown.years if shown else [],
        "year": shown.year if shown else None,
        "view": view,
        "countries": countries,
        "usable": usable,
        "chosen_codes": {indicator.code for indicator in chosen},
        "chosen_labs": {lab.slug for lab in view.labs} if view else set(),
        "all_labs": all_labs,
        "map_indicator": map_indicator,
        "too_many": too_many,
        "tiles": map_tiles(),
    }
    return render(request, "indicators/dashboard.html", context)


def dashboard_download(request: HttpRequest, fmt: str) -> HttpResponse:
    framework = _framework(request, dashboards.frameworks_for(request.user))
    if framework is None:
        raise Http404
    rows = dashboards.download_rows(framework=framework, user=request.user)
    name = f"conect-dashboard-{framework.code}-v{framework.version}"
    return _download(rows, fmt=fmt, name=name, title=str(framework.localised_name))


def _download(rows: list[list], *, fmt: str, name: str, title: str) -> HttpResponse:
    filename = f"{name}-{timezone.now():%Y%m%d}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(dashboards.to_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(dashboards.to_xlsx(rows, title=title or _("Values")), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
