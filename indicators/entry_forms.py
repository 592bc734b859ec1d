"""The forms of data entry: a measurement (built for its indicator: a number, a numerator and denominator, a choice on
the 1-5 scale, yes or no, or a narrative, with the framework's disaggregations), the review's note, a baseline or
target, and the spreadsheet upload. What a value must be is the model's (indicators.values.measurement_errors): the
forms only say it at the right field."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from conect.roles import Role
from indicators.models import (
    Framework,
    Indicator,
    IndicatorType,
    Level,
    Measurement,
    MeasurementState,
    PeriodType,
    Target,
)
from indicators.periods import BAD_PERIOD, PER_TYPE, Period
from labs.models import Lab
from labs.roles import has_role

PERIOD_EXAMPLES = {
    PeriodType.YEAR: "2024",
    PeriodType.HALF_YEAR: "2024S1",
    PeriodType.QUARTER: "2024Q3",
    PeriodType.MONTH: "2024-03",
    PeriodType.RANGE: "2024-03-01/2024-06-30",
}
# Where a model field's error is said in the measurement form.
PERIOD_FIELDS = ("period_type", "period_start", "period_end")
MAX_EVIDENCE = 25 * 1024 * 1024


def period_help(frequency: str | None) -> str:
    if frequency in PERIOD_EXAMPLES:
        return _("Measured per %(type)s: write it like %(example)s.") % {
            "type": PER_TYPE[frequency],
            "example": PERIOD_EXAMPLES[frequency],
        }
    return str(BAD_PERIOD)


def indicator_choices(user, *, include_country: bool) -> list:
    """The data elements a person may enter, grouped by framework and dimension (raw indicators of visible, published
    frameworks; country-level ones for coordinators only)."""
    indicators = (
        Indicator.objects.enterable_by(user)
        .filter(framework__published=True)
        .select_related("framework", "dimension")
        .order_by("framework__name", "-framework__version", "dimension__position", "position", "code")
    )
    if not include_country:
        indicators = indicators.exclude(level=Level.COUNTRY)
    groups: dict[str, list] = {}
    for indicator in indicators:
        group = str(indicator.framework)
        if indicator.dimension_id:
            group = f"{group} · {indicator.dimension.localised_name}"
        groups.setdefault(group, []).append((indicator.pk, f"{indicator.code} · {indicator.localised_name}"))
    return [("", "—"), *groups.items()]


class IndicatorChoiceForm(forms.Form):
    """The first step of a new value: which indicator (and which Lab)."""

    indicator = forms.IntegerField(label=gettext_lazy("Indicator"), widget=forms.Select)
    lab = forms.ModelChoiceField(Lab.objects.none(), label=gettext_lazy("Lab"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.coordinator = has_role(user, Role.COORDINATOR)
        self.fields["indicator"].widget.choices = indicator_choices(user, include_country=self.coordinator)
        self.fields["lab"].queryset = Lab.objects.addable_by(user)

    def clean_indicator(self):
        pk = self.cleaned_data["indicator"]
        indicator = Indicator.objects.visible_to(self.user).select_related("framework").filter(pk=pk).first()
        if indicator is not None and not indicator.takes_measurements:
            raise ValidationError(not_entered_message(indicator))
        if indicator is None or not Indicator.objects.enterable_by(self.user).filter(pk=pk).exists():
            raise ValidationError(_("Choose an indicator of the list."))
        return indicator


def not_entered_message(indicator: Indicator) -> str:
    if indicator.feed:
        return _("This indicator's values are computed from activities (people reached): there is nothing to enter.")
    return _("This indicator is computed from other indicators by its formula: there is nothing to enter.")


class MeasurementForm(forms.Form):
    """A value of one indicator for one subject and period. Built for its indicator; checked whole by the model."""

    period = forms.CharField(label=gettext_lazy("Period"), max_length=30)
    source = forms.CharField(label=gettext_lazy("Source"), max_length=300, required=False)
    comment = forms.CharField(label=gettext_lazy("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    evidence = forms.FileField(
        label=gettext_lazy("Evidence"),
        required=False,
        help_text=gettext_lazy(
            "A document, sheet or photo that supports the value (PDF, office files, CSV, images; at most 25 MB). "
            "Only the Lab's people and the coordinators can open it."
        ),
    )

    def __init__(self, *args, indicator: Indicator, user, instance: Measurement | None = None, **kwargs):
        self.indicator, self.user = indicator, user
        self.instance = instance or Measurement(indicator=indicator)
        initial = kwargs.pop("initial", {}) or {}
        if self.instance.pk:
            initial = {**self._initial_of(self.instance), **initial}
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["period"].help_text = period_help(indicator.frequency)
        self.fields["period"].widget.attrs["placeholder"] = PERIOD_EXAMPLES.get(indicator.frequency, "")
        subject_fields = self._subject_fields()
        value_fields = self._value_fields()
        self.disaggregation_fields = self._disaggregation_fields()
        ordered = {**subject_fields, "period": self.fields.pop("period"), **value_fields}
        ordered |= self.disaggregation_fields
        self.fields = {**ordered, **self.fields}

    # --- building ---

    def _subject_fields(self) -> dict:
        fields = {}
        level = self.indicator.level
        if level == Level.COUNTRY:
            fields["country"] = forms.ChoiceField(label=_("Country"), choices=[("", "—"), *countries])
            return fields
        labs = Lab.objects.addable_by(self.user)
        fields["lab"] = forms.ModelChoiceField(labs, label=_("Lab"))
        if len(labs[:2]) == 1 and not self.instance.pk:
            fields["lab"].initial = labs.first()
        if level == Level.PRACTICE:
            from practices.models import Practice

            fields["practice"] = forms.ModelChoiceField(
                Practice.objects.filter(lab__in=labs).order_by("title"), label=_("Practice")
            )
        return fields

    def _value_fields(self) -> dict:
        indicator = self.indicator
        kind = indicator.type
        unit = f" ({indicator.unit})" if indicator.unit else ""
        if kind == IndicatorType.PERCENTAGE:
            return {
                "numerator": forms.FloatField(label=_("Numerator"), help_text=_("How many, of the denominator.")),
                "denominator": forms.FloatField(label=_("Denominator"), help_text=_("Out of how many.")),
            }
        if kind == IndicatorType.SCALE:
            labels = list(indicator.scale_labels or [])
            choices = [
                (n, f"{n} · {labels[n - 1]}" if len(labels) == 5 and labels[n - 1] else str(n)) for n in range(1, 6)
            ]
            return {
                "value": forms.TypedChoiceField(
                    label=_("Value on the scale"),
                    choices=choices,
                    coerce=float,
                    widget=forms.RadioSelect,
                    error_messages={"invalid_choice": _("Choose a value from 1 to 5.")},
                )
            }
        if kind == IndicatorType.YES_NO:
            return {
                "value": forms.TypedChoiceField(
                    label=_("Answer"),
                    choices=[(1, _("Yes")), (0, _("No"))],
                    coerce=float,
                    widget=forms.RadioSelect,
                    error_messages={"invalid_choice": _("Answer yes (1) or no (0).")},
                )
            }
        if kind == IndicatorType.NARRATIVE:
            return {"text": forms.CharField(label=_("Narrative"), widget=forms.Textarea(attrs={"rows": 6}))}
        step = "1" if kind == IndicatorType.COUNT else "any"
        return {
            "value": forms.FloatField(
                label=_("Value") + unit,
                widget=forms.NumberInput(attrs={"step": step}),
                error_messages={"invalid": _("Write a number, like 12 or 12.5.")},
            )
        }

    def _disaggregation_fields(self) -> dict:
        """`dis__<dimension>__<category>` number fields, for counts and amounts of a framework that disaggregates."""
        if self.indicator.type not in (IndicatorType.COUNT, IndicatorType.AMOUNT):
            return {}
        fields = {}
        self.disaggregation_groups = []
        for code, spec in (self.indicator.framework.disaggregations or {}).items():
            names = spec.get("names") or {}
            label = _name(names, spec.get("name") or code)
            group = {"code": code, "label": label, "fields": []}
            for category in spec.get("categories", []):
                name = f"dis__{code}__{category['code']}"
                fields[name] = forms.FloatField(
                    label=_name(category.get("names") or {}, category.get("name") or category["code"]),
                    required=False,
                    min_value=0,
                    widget=forms.NumberInput(attrs={"step": "any"}),
                )
                group["fields"].append(name)
            self.disaggregation_groups.append(group)
        return fields

    @staticmethod
    def _initial_of(m: Measurement) -> dict:
        initial = {
            "lab": m.lab_id,
            "practice": m.practice_id,
            "country": str(m.country or ""),
            "period": m.period.code,
            "value": m.value,
            "numerator": m.numerator,
            "denominator": m.denominator,
            "text": m.text,
            "source": m.source,
            "comment": m.comment,
        }
        if m.indicator.type in (IndicatorType.SCALE, IndicatorType.YES_NO) and m.value is not None:
            initial["value"] = int(m.value)
        for dimension, parts in (m.disaggregation or {}).items():
            if isinstance(parts, dict):
                for category, number in parts.items():
                    initial[f"dis__{dimension}__{category}"] = number
        return initial

    def disaggregation_bound_groups(self) -> list[dict]:
        return [
            {"label": group["label"], "code": group["code"], "fields": [self[name] for name in group["fields"]]}
            for group in getattr(self, "disaggregation_groups", [])
        ]

    def subject_and_value_fields(self) -> list:
        skip = {*self.disaggregation_fields, "source", "comment", "evidence"}
        return [self[name] for name in self.fields if name not in skip]

    # --- checking ---

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload and hasattr(upload, "content_type"):
            from library.files import check_upload

            check_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        m = self.instance
        m.indicator = self.indicator
        period = None
        if "period" in cleaned:
            try:
                period = Period.parse(cleaned["period"])
            except ValidationError as error:
                self.add_error("period", error)
        if self.errors:
            return cleaned
        m.period_type, m.period_start, m.period_end = period.type, period.start, period.end
        m.lab = cleaned.get("lab")
        m.practice = cleaned.get("practice")
        m.country = cleaned.get("country") or ""
        if self.indicator.level == Level.PRACTICE and m.practice is not None and m.lab is None:
            m.lab = m.practice.lab
        m.value = cleaned.get("value")
        m.numerator = cleaned.get("numerator")
        m.denominator = cleaned.get("denominator")
        m.text = cleaned.get("text") or ""
        m.source = cleaned.get("source") or ""
        m.comment = cleaned.get("comment") or ""
        m.disaggregation = self._disaggregation(cleaned)
        from indicators.services import prepare

        prepare(m)
        try:
            m.full_clean()
        except ValidationError as error:
            self._say(error)
        return cleaned

    def _disaggregation(self, cleaned: dict) -> dict:
        parts: dict[str, dict] = {}
        for name in self.disaggregation_fields:
            number = cleaned.get(name)
            if number is None:
                continue
            _prefix, dimension, category = name.split("__", 2)
            parts.setdefault(dimension, {})[category] = int(number) if number == int(number) else number
        return parts

    def _say(self, error: ValidationError) -> None:
        """The model's errors, each at the field that shows it (the form's period for the period's fields)."""
        for name, messages in error.message_dict.items():
            target = name
            if name in PERIOD_FIELDS:
                target = "period"
            elif name == "disaggregation":
                target = next(iter(self.disaggregation_fields), None)
            elif name == "numerator" and "numerator" not in self.fields:
                target = "value" if "value" in self.fields else None
            if target not in self.fields:
                target = None
            for message in messages:
                if target is None or message not in self.errors.get(target, []):
                    self.add_error(target, message)

    def save(self, *, by) -> Measurement:
        from indicators import services

        upload = self.cleaned_data.get("evidence")
        if upload:
            self.instance.evidence = upload
        return services.save_measurement(self.instance, by=by)


def _name(names: dict, default: str) -> str:
    from conect.translations import in_language

    return str(in_language(names if isinstance(names, dict) else {}, default))


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What needs to change"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=gettext_lazy("Required to return a value; the author reads it in an e-mail."),
    )


class MeasurementFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=gettext_lazy("State"), choices=[("", gettext_lazy("Any")), *MeasurementState.choices], required=False
    )
    lab = forms.ModelChoiceField(Lab.objects.none(), label=gettext_lazy("Lab"), required=False)
    framework = forms.ModelChoiceField(Framework.objects.none(), label=gettext_lazy("Framework"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lab"].queryset = Lab.objects.addable_by(user).order_by("name")
        self.fields["framework"].queryset = Framework.objects.visible_to(user)


# --- Baselines and targets --------------------------------------------------------------------------------------------


class TargetForm(forms.ModelForm):
    period = forms.CharField(label=gettext_lazy("Period"), max_length=30, help_text=BAD_PERIOD)

    class Meta:
        model = Target
        fields = ["indicator", "kind", "lab", "practice", "country", "value", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}

    field_order = ["indicator", "kind", "lab", "practice", "country", "period", "value", "comment"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        coordinator = has_role(user, Role.COORDINATOR)
        indicators = Indicator.objects.visible_to(user).select_related("framework")
        if not coordinator:
            indicators = indicators.exclude(level=Level.COUNTRY)
        self.fields["indicator"].queryset = indicators.order_by("framework__name", "-framework__version", "code")
        self.fields["indicator"].label_from_instance = lambda i: f"{i.framework} · {i.code} · {i.localised_name}"
        labs = Lab.objects.moderatable_by(user)
        self.fields["lab"].queryset = labs
        self.fields["lab"].required = not coordinator
        if not self.instance.pk and len(labs[:2]) == 1:
            self.fields["lab"].initial = labs.first()
        from practices.models import Practice

        self.fields["practice"].queryset = Practice.objects.filter(lab__in=labs).order_by("title")
        self.fields["practice"].help_text = _("Only for indicators measured per practice.")
        if coordinator:
            self.fields["country"].help_text = _("Only for indicators measured per country.")
        else:
            del self.fields["country"]
        if self.instance.pk:
            self.fields["period"].initial = self.instance.period.code

    def _get_validation_exclusions(self):
        # The period and subject are set by clean(): the constraint that a subject has one baseline per period is
        # checked with them (once the period could be read).
        checked = {"country", "lab", "practice"}
        if self.instance.period_start is not None:
            checked |= {"period_type", "period_start", "period_end"}
        return super()._get_validation_exclusions() - checked

    def clean(self):
        cleaned = super().clean()
        target = self.instance
        if cleaned.get("period"):
            try:
                period = Period.parse(cleaned["period"])
            except ValidationError as error:
                self.add_error("period", error)
            else:
                target.period_type, target.period_start, target.period_end = period.type, period.start, period.end
        indicator = cleaned.get("indicator")
        if indicator is not None:
            target.lab = cleaned.get("lab")
            target.practice = cleaned.get("practice")
            target.country = cleaned.get("country") or ""
            if target.practice is not None and target.lab is None:
                target.lab = target.practice.lab
            if indicator.level == Level.COUNTRY:
                target.lab = target.practice = None
            for name, message in target.clean_subject(indicator).items():
                self.add_error(name if name in self.fields else None, message)
        return cleaned

    def save(self, commit=True, *, by=None):
        target = super().save(commit=False)
        if target.pk is None and by is not None:
            target.created_by = by
        if commit:
            target.save()
        return target


def editable_targets(user):
    return Target.objects.editable_by(user).select_related("indicator__framework", "lab", "practice")


# --- The spreadsheet upload -------------------------------------------------------------------------------------------


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        help_text=gettext_lazy("One row per value (long layout), or one row per subject and a column per indicator."),
    )
    framework = forms.ModelChoiceField(Framework.objects.none(), label=gettext_lazy("Framework"))
    lab = forms.ModelChoiceField(
        Lab.objects.none(),
        label=gettext_lazy("Lab"),
        required=False,
        help_text=gettext_lazy("The Lab of rows that name none; rows may name Labs you facilitate."),
    )
    period = forms.CharField(
        label=gettext_lazy("Period of the values"),
        max_length=30,
        required=False,
        help_text=gettext_lazy("For columns headed by a plain indicator code, when the file has no period column."),
    )
    state = forms.ChoiceField(label=gettext_lazy("After the import"), widget=forms.RadioSelect)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        coordinator = has_role(user, Role.COORDINATOR)
        self.fields["framework"].queryset = Framework.objects.visible_to(user).filter(
            Q(published=True) | Q(pk__in=Framework.objects.editable_by(user))
        )
        labs = Lab.objects.moderatable_by(user)
        self.fields["lab"].queryset = labs
        self.fields["lab"].required = not coordinator
        if len(labs[:2]) == 1:
            self.fields["lab"].initial = labs.first()
        choices = [
            (MeasurementState.DRAFT, _("Keep the values as drafts")),
            (MeasurementState.SUBMITTED, _("Submit them for approval")),
        ]
        if coordinator:
            choices.append((MeasurementState.APPROVED, _("Approve them")))
        self.fields["state"].choices = choices
        self.fields["state"].initial = MeasurementState.DRAFT

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx")):
            raise ValidationError(_("Choose a CSV or XLSX file."))
        if upload.size > 20 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 20 MB: split it."))
        return upload

    def clean_period(self):
        code = self.cleaned_data.get("period", "").strip()
        if code:
            Period.parse(code)  # its ValidationError says how to write one
        return code
