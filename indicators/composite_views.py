"""The composite index's pages: the form that chooses a framework, a level, a year and the method (and starts or finds
the run), the run's page (index, dimensions, ranks, the method printed, sensitivity of ranks, chart and table), its
status while it runs, and its results as CSV.

Who may do what: a run uses approved values only, so anyone who sees the framework sees its runs (an unpublished
framework's runs are its coordinators', and missing for everyone else). Starting a run asks for an account, since it
takes a worker's time; visitors read the runs already made, including each framework's default one."""

import csv
import io

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from django_countries import countries

from indicators import composite, composite_services
from indicators.models import CompositeStatus, Framework, Level
from practices.import_views import _cell as formula_safe

UNDER_WAY = (CompositeStatus.WAITING, CompositeStatus.RUNNING)


class CompositeForm(forms.Form):
    framework = forms.ModelChoiceField(queryset=Framework.objects.none(), label=gettext_lazy("Framework"))
    level = forms.ChoiceField(
        label=gettext_lazy("Subjects"),
        choices=[(Level.LAB, gettext_lazy("Labs")), (Level.COUNTRY, gettext_lazy("Countries"))],
    )
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=1900, max_value=2200)
    normalisation = forms.ChoiceField(label=gettext_lazy("Normalisation"))
    cap = forms.BooleanField(
        label=gettext_lazy("Cap scores against goalposts to 0 and 1"), required=False, initial=True
    )
    threshold = forms.FloatField(
        label=gettext_lazy("Threshold of above or below the mean"),
        initial=0.1,
        min_value=0,
        max_value=0.99,
        help_text=gettext_lazy("A share: 0.1 means 10% above or below the mean."),
    )
    bands = forms.CharField(
        label=gettext_lazy("Cut points of the bands"),
        required=False,
        help_text=gettext_lazy("Ascending numbers separated by commas, e.g. 10, 50, 100."),
    )
    weights = forms.ChoiceField(label=gettext_lazy("Weights"))
    custom_weights = forms.CharField(
        label=gettext_lazy("Chosen weights"),
        required=False,
        help_text=gettext_lazy("Code and weight pairs, e.g. health=2, education=1 (others keep the framework's)."),
    )
    aggregation_dimension = forms.ChoiceField(label=gettext_lazy("Indicators into dimensions"))
    aggregation_index = forms.ChoiceField(label=gettext_lazy("Dimensions into the index"))
    geometric_on = forms.ChoiceField(
        label=gettext_lazy("Geometric mean of"),
        choices=[("normalised", gettext_lazy("Normalised scores")), ("raw", gettext_lazy("Raw values"))],
    )
    missing = forms.ChoiceField(label=gettext_lazy("Missing values"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = Framework.objects.visible_to(user)
        self.fields["normalisation"].choices = list(composite.normalisation_labels().items())
        self.fields["weights"].choices = list(composite.weights_labels().items())
        means = list(composite.aggregation_labels().items())
        self.fields["aggregation_dimension"].choices = means
        self.fields["aggregation_index"].choices = means
        self.fields["missing"].choices = list(composite.missing_labels().items())

    def clean_bands(self) -> list[float]:
        text = self.cleaned_data["bands"]
        try:
            return [float(part) for part in text.replace(";", ",").split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(_("Write numbers separated by commas.")) from None

    def clean_custom_weights(self) -> dict[str, float]:
        weights = {}
        for part in self.cleaned_data["custom_weights"].replace(";", ",").split(","):
            if not part.strip():
                continue
            code, sep, number = part.partition("=")
            try:
                weights[code.strip()] = float(number)
            except ValueError:
                raise forms.ValidationError(_("Write code=weight pairs, e.g. health=2.")) from None
            if not sep or not code.strip():
                raise forms.ValidationError(_("Write code=weight pairs, e.g. health=2."))
        return weights

    def method_json(self) -> dict:
        data = self.cleaned_data
        return {
            "normalisation": data["normalisation"],
            "cap": data["cap"],
            "threshold": data["threshold"],
            "bands": data["bands"],
            "weights": data["weights"],
            "custom_weights": data["custom_weights"],
            "aggregation": {"dimension": data["aggregation_dimension"], "index": data["aggregation_index"]},
            "geometric_on": data["geometric_on"],
            "missing": data["missing"],
        }

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.method = composite.Method.from_json(self.method_json())
        except composite.MethodError as error:
            raise forms.ValidationError(str(error)) from None
        return data


def initial_of(framework: Framework | None, year: int | None) -> dict:
    """The form's first values: the framework's own method."""
    if framework is None:
        return {}
    method = composite_services.default_method(framework)
    levels = set(framework.indicators.values_list("level", flat=True))
    return {
        "framework": framework,
        "level": Level.COUNTRY if levels == {Level.COUNTRY} else Level.LAB,
        "year": year,
        "normalisation": method.normalisation,
        "cap": method.cap,
        "threshold": method.threshold,
        "bands": ", ".join(f"{b:g}" for b in method.bands),
        "weights": method.weights,
        "custom_weights": ", ".join(f"{code}={w:g}" for code, w in method.custom_weights.items()),
        "aggregation_dimension": method.aggregation_dimension,
        "aggregation_index": method.aggregation_index,
        "geometric_on": method.geometric_on,
        "missing": method.missing,
    }


def composite_form(request: HttpRequest) -> HttpResponse:
    visible = Framework.objects.visible_to(request.user)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        form = CompositeForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                run = composite_services.request_composite(
                    framework=form.cleaned_data["framework"],
                    level=form.cleaned_data["level"],
                    year=form.cleaned_data["year"],
                    method=form.method,
                    by=request.user,
                )
            except composite.MethodError as error:
                form.add_error(None, str(error))
            else:
                return redirect(run)
        framework = form.cleaned_data.get("framework")
    else:
        chosen = request.GET.get("framework", "")
        framework = visible.filter(pk=chosen).first() if chosen.isdigit() else visible.latest_versions().first()
        years = composite_services.years_with_data(framework) if framework else []
        form = CompositeForm(initial=initial_of(framework, years[0] if years else None), user=request.user)
    years = composite_services.years_with_data(framework) if framework else []
    runs = (
        composite_services.visible_composites(request.user)
        .filter(status=CompositeStatus.DONE)
        .select_related("framework")
        .order_by("-finished_at")[:20]
    )
    context = {
        "form": form,
        "framework": framework,
        "years": years,
        "runs": [(run, composite.Method.from_json(run.method).describe()) for run in runs],
    }
    return render(request, "indicators/composite_form.html", context)


def _run(request: HttpRequest, pk: int):
    return get_object_or_404(composite_services.visible_composites(request.user).select_related("framework"), pk=pk)


def _rows(run) -> list[dict]:
    """The results' rows with the subject's name in the reader's language and the missing report in words."""
    rows = []
    for row in run.results.get("subjects", []):
        name = countries.name(row["id"]) or row["name"] if row["kind"] == "country" else row["name"]
        rows.append(
            {
                **row,
                "label": name,
                "dimension_scores": [row["dimensions"].get(d["code"]) for d in run.results.get("dimensions", [])],
                "missing_text": composite.describe_missing(row["missing"]) if row.get("missing") else "",
            }
        )
    return rows


def composite_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    method = composite.Method.from_json(run.method)
    rows = _rows(run) if run.status == CompositeStatus.DONE else []
    alternatives = [composite.Method.from_json(m) for m in run.results.get("alternatives", [])]
    context = {
        "run": run,
        "framework": run.framework,
        "method_text": method.describe(),
        "level_label": _("Countries") if run.level == Level.COUNTRY else _("Labs"),
        "rows": rows,
        "dimensions": run.results.get("dimensions", []),
        "alternatives": [composite.change_label(method, other) for other in alternatives],
        "notes": run.results.get("notes", []),
        "under_way": run.status in UNDER_WAY,
        "chart": {
            "labels": [row["label"] for row in rows if row["index"] is not None],
            "values": [round(row["index"], 3) for row in rows if row["index"] is not None],
            "label": run.framework.index_name or _("Index"),
        },
        "missing_count": sum(1 for row in rows if row["missing_text"]),
    }
    return render(request, "indicators/composite_detail.html", context)


@require_GET
def composite_status(request: HttpRequest, pk: int) -> JsonResponse:
    run = _run(request, pk)
    under_way = run.status in UNDER_WAY
    answer = {"status": run.status, "label": run.get_status_display(), "under_way": under_way}
    if under_way:  # what the page's script (static/js/progress.js) shows
        answer["html"] = render_to_string("indicators/_composite_progress.html", {"run": run}, request=request)
    return JsonResponse(answer)


@require_GET
def composite_csv(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    if run.status != CompositeStatus.DONE:
        raise Http404
    dimensions = run.results.get("dimensions", [])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [_("Rank"), _("Subject"), _("Code"), run.framework.index_name or _("Index")]
        + [formula_safe(d["name"]) for d in dimensions]
        + [_("Median rank shift"), _("Largest rank shift"), _("Missing")]
    )
    for row in _rows(run):
        writer.writerow(
            [
                "" if row["rank"] is None else row["rank"],
                formula_safe(row["label"]),
                formula_safe(str(row["id"])),
                _number(row["index"]),
                *(_number(score) for score in row["dimension_scores"]),
                _number(row["median_shift"]),
                _number(row["max_shift"]),
                formula_safe(row["missing_text"]),
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{run.framework.code}-index-{run.pk}.csv"'
    return response


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.6g}"
