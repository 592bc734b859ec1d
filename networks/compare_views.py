"""Partnership models compared: a public page of networks, Labs and countries side by side, and its CSV."""

import csv
import io

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from networks.compare import (
    MAX_UNITS,
    Section,
    Unit,
    choosable_countries,
    choosable_labs,
    choosable_networks,
    compare,
    units_for,
)
from practices.import_views import _cell as formula_safe


class CompareForm(forms.Form):
    """Which networks, Labs and countries to set side by side, as ?network=a&lab=b&country=IT (a link to share)."""

    network = forms.MultipleChoiceField(
        label=gettext_lazy("Networks"), widget=forms.CheckboxSelectMultiple, required=False
    )
    lab = forms.MultipleChoiceField(
        label=gettext_lazy("Labs (the organisations each one mapped)"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    country = forms.MultipleChoiceField(
        label=gettext_lazy("Countries (all the organisations there)"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, data):
        super().__init__(data)
        self.networks = choosable_networks()
        self.labs = choosable_labs()
        self.fields["network"].choices = [(network.slug, network.name) for network in self.networks]
        self.fields["lab"].choices = [(lab.slug, lab.name) for lab in self.labs]
        self.fields["country"].choices = choosable_countries()
        message = gettext_lazy("There is no “%(value)s” to compare: choose among those listed.")
        for name in self.fields:
            self.fields[name].error_messages["invalid_choice"] = message

    def clean(self):
        data = super().clean()
        chosen = sum(len(data.get(name, [])) for name in self.fields)
        if chosen > MAX_UNITS:
            raise forms.ValidationError(
                gettext_lazy("Choose at most %(max)s at a time."), code="too_many", params={"max": MAX_UNITS}
            )
        return data

    def units(self) -> list[Unit]:
        """The chosen networks, Labs and countries, in the order of the form."""
        data = self.cleaned_data
        return units_for(
            [network for network in self.networks if network.slug in data["network"]],
            [lab for lab in self.labs if lab.slug in data["lab"]],
            [code for code, _name in self.fields["country"].choices if code in data["country"]],
        )


def _comparison(request: HttpRequest) -> tuple[CompareForm, list[Unit], list[Section]]:
    form = CompareForm(request.GET)
    if not form.is_valid():
        return form, [], []
    units = form.units()
    return form, units, compare(units) if units else []


@require_safe
def compare_page(request: HttpRequest) -> HttpResponse:
    form, units, sections = _comparison(request)
    query = urlencode([(unit.kind, unit.code) for unit in units])
    context = {"form": form, "units": units, "sections": sections, "query": query, "max_units": MAX_UNITS}
    return render(request, "networks/compare.html", context, status=400 if form.errors else 200)


@require_safe
def compare_csv(request: HttpRequest) -> HttpResponse:
    form, units, sections = _comparison(request)
    if not sections:
        return compare_page(request)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([formula_safe(cell) for cell in [_("Section"), _("Measure"), *(unit.name for unit in units)]])
    writer.writerow([formula_safe(cell) for cell in ["", _("Kind"), *(unit.kind_label for unit in units)]])
    for section in sections:
        for row in section.rows:
            writer.writerow([formula_safe(str(section.title)), formula_safe(str(row.label)), *row.csv()])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"conect-partnership-models-{timezone.now():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
