from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from activities.models import ActivityKind
from conect.text import no_markup
from indicators.compare import DEFAULT_LABS, MAX_LABS
from indicators.models import Dimension, Framework, Indicator, is_identifier
from labs.models import Lab
from practices.import_views import MAX_UPLOAD


class CompareForm(forms.Form):
    """Which Labs to set side by side, by slug, as ?labs=a&labs=b (a link that can be shared)."""

    labs = forms.MultipleChoiceField(
        label=_("Labs to compare"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("There is no Lab called “%(value)s”: choose among the Labs listed.")},
    )

    def __init__(self, data, *, labs: list[Lab]):
        if "labs" in data:  # an empty ?labs= is no choice, not a Lab without a name
            data = data.copy()
            data.setlist("labs", [slug for slug in data.getlist("labs") if slug.strip()])
        super().__init__(data)
        self.all_labs = labs
        self.fields["labs"].choices = [(lab.slug, lab.name) for lab in labs]

    def clean_labs(self) -> list[Lab]:
        slugs = list(dict.fromkeys(self.cleaned_data["labs"]))  # a slug given twice counts once
        if "labs" not in self.data:
            return self.all_labs[:DEFAULT_LABS]
        if len(slugs) < 2:
            raise forms.ValidationError(_("Choose at least two Labs to compare."), code="too_few")
        if len(slugs) > MAX_LABS:
            raise forms.ValidationError(
                _("Choose at most %(max)s Labs at a time."), code="too_many", params={"max": MAX_LABS}
            )
        return [lab for lab in self.all_labs if lab.slug in slugs]


# --- Frameworks (coordinators) ---------------------------------------------------------------------------------------

TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# The default method of the framework's index, as simple choices (indicators.composite reads Framework.method).
NORMALISATIONS = [
    ("goalposts", _("Min-max against the goalposts (capped)")),
    ("minmax", _("Min-max on the sample")),
    ("zscore", _("Z-score")),
    ("rank", _("Rank")),
    ("percentile", _("Percentile")),
    ("ratio_mean", _("Ratio to the mean")),
    ("ratio_best", _("Ratio to the best")),
    ("ratio_worst", _("Ratio to the worst")),
    ("reldiff_mean", _("Relative difference to the mean")),
    ("reldiff_worst", _("Relative difference to the worst")),
    ("above_below_mean", _("Above or below the mean")),
    ("bands", _("Categorical bands")),
    ("target", _("Distance to target")),
]
WEIGHTS = [("framework", _("The framework's weights")), ("equal", _("Equal weights"))]
AGGREGATIONS = [("arithmetic", _("Weighted arithmetic mean")), ("geometric", _("Weighted geometric mean"))]
MISSING = [
    ("exclude", _("Left out, the other weights rescaled")),
    ("mean", _("Imputed with the mean")),
    ("median", _("Imputed with the median")),
    ("minimum", _("Imputed with the minimum")),
    ("zero", _("Imputed with zero")),
]


class TranslatedFieldsMixin:
    """One text field per language for a model's English text and its translations JSON (names, descriptions...)."""

    translated: list[tuple[str, str, str, bool]] = []  # (English field, JSON field, label with %(language)s, long)

    def add_translation_fields(self) -> None:
        for _english, texts, label, long in self.translated:
            for code in TRANSLATED:
                language = dict(settings.LANGUAGES)[code]
                widget = forms.Textarea(attrs={"rows": 2, "lang": code}) if long else forms.TextInput({"lang": code})
                self.fields[f"{texts}_{code}"] = forms.CharField(
                    label=label % {"language": _(language)},
                    required=False,
                    validators=[no_markup],
                    widget=widget,
                    initial=(getattr(self.instance, texts) or {}).get(code, ""),
                )

    def translation_fields(self, texts: str) -> list:
        return [self[f"{texts}_{code}"] for code in TRANSLATED if f"{texts}_{code}" in self.fields]

    # For templates, which cannot pass an argument.
    @property
    def translation_fields_names(self) -> list:
        return self.translation_fields("names")

    @property
    def translation_fields_descriptions(self) -> list:
        return self.translation_fields("descriptions")

    @property
    def translation_fields_definitions(self) -> list:
        return self.translation_fields("definitions")

    def keep_translations(self, cleaned: dict) -> None:
        for _english, texts, _label, _long in self.translated:
            values = {code: (cleaned.get(f"{texts}_{code}") or "").strip() for code in TRANSLATED}
            setattr(self.instance, texts, {code: text for code, text in values.items() if text})


class FrameworkForm(TranslatedFieldsMixin, forms.ModelForm):
    translated = [
        ("name", "names", _("Name in %(language)s"), False),
        ("description", "descriptions", _("Description in %(language)s"), True),
    ]
    method_normalisation = forms.ChoiceField(label=_("Normalisation"), choices=NORMALISATIONS, initial="goalposts")
    method_weights = forms.ChoiceField(label=_("Weights"), choices=WEIGHTS, initial="framework")
    method_dimension = forms.ChoiceField(
        label=_("Aggregation of indicators into dimensions"), choices=AGGREGATIONS, initial="arithmetic"
    )
    method_index = forms.ChoiceField(
        label=_("Aggregation of dimensions into the index"), choices=AGGREGATIONS, initial="arithmetic"
    )
    method_missing = forms.ChoiceField(label=_("Missing values"), choices=MISSING, initial="exclude")
    disaggregations_text = forms.CharField(
        label=_("Disaggregations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One dimension a line: its code, a colon, then its categories' codes separated by commas, e.g. "
            "“gender: women, men, other” or “age: 0_17, 18_29, 30_64, 65_plus”."
        ),
    )

    class Meta:
        model = Framework
        fields = ["code", "name", "description", "index_name", "source", "starts_on", "ends_on", "published"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"name": _("In English; the other languages below.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["code"]  # the code names all the versions: it never changes
        self.add_translation_fields()
        method = self.instance.method or {}
        aggregation = method.get("aggregation") or {}
        if not self.is_bound:
            self.fields["method_normalisation"].initial = method.get("normalisation", "goalposts")
            self.fields["method_weights"].initial = method.get("weights", "framework")
            self.fields["method_dimension"].initial = aggregation.get("dimension", "arithmetic")
            self.fields["method_index"].initial = aggregation.get("index", "arithmetic")
            self.fields["method_missing"].initial = method.get("missing", "exclude")
            self.fields["disaggregations_text"].initial = disaggregations_as_text(self.instance.disaggregations)

    def clean_code(self):
        code = self.cleaned_data["code"]
        if Framework.objects.filter(code=code).exists():
            raise forms.ValidationError(
                _("A framework with this code exists: open it and make a new version instead."), code="taken"
            )
        return code

    def clean_disaggregations_text(self):
        try:
            return disaggregations_from_text(self.cleaned_data["disaggregations_text"], self.instance.disaggregations)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="disaggregations") from None

    def clean(self):
        cleaned = super().clean()
        self.keep_translations(cleaned)
        method = dict(self.instance.method or {})
        method["normalisation"] = cleaned.get("method_normalisation") or "goalposts"
        method["weights"] = cleaned.get("method_weights") or "framework"
        method["aggregation"] = {
            "dimension": cleaned.get("method_dimension") or "arithmetic",
            "index": cleaned.get("method_index") or "arithmetic",
        }
        method["missing"] = cleaned.get("method_missing") or "exclude"
        self.instance.method = method
        if "disaggregations_text" in cleaned:
            self.instance.disaggregations = cleaned["disaggregations_text"]
        return cleaned


def disaggregations_as_text(disaggregations: dict) -> str:
    lines = []
    for code, dimension in (disaggregations or {}).items():
        categories = [c.get("code", "") for c in (dimension or {}).get("categories", [])]
        lines.append(f"{code}: {', '.join(categories)}")
    return "\n".join(lines)


def disaggregations_from_text(text: str, previous: dict) -> dict:
    """The disaggregations from their lines, keeping the names (and translations) already given to known codes."""
    previous = previous or {}
    result = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        code, colon, rest = line.partition(":")
        code = code.strip()
        categories = [c.strip() for c in rest.split(",") if c.strip()]
        if not colon or not is_identifier(code) or not categories or not all(map(is_identifier, categories)):
            raise ValueError(
                _("Line %(line)s: write a code, a colon and the categories' codes (letters, digits, underscores).")
                % {"line": number}
            )
        old = previous.get(code) or {}
        old_categories = {c.get("code"): c for c in old.get("categories", [])}
        result[code] = {
            "name": old.get("name") or code.replace("_", " ").capitalize(),
            "names": old.get("names") or {},
            "categories": [
                old_categories.get(c) or {"code": c, "name": c.replace("_", " ").capitalize(), "names": {}}
                for c in categories
            ],
        }
    return result


class DimensionForm(TranslatedFieldsMixin, forms.ModelForm):
    translated = [("name", "names", _("Name in %(language)s"), False)]

    class Meta:
        model = Dimension
        fields = ["code", "name", "parent", "weight", "position"]

    def __init__(self, *args, framework: Framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.framework = framework
        others = framework.dimensions.all()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = others
        self.fields["parent"].required = False
        self.add_translation_fields()

    def clean_code(self):
        code = self.cleaned_data["code"]
        if self.framework.dimensions.filter(code=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This framework already has a dimension with this code."), code="taken")
        return code

    def clean(self):
        cleaned = super().clean()
        self.keep_translations(cleaned)
        parent = cleaned.get("parent")
        while parent is not None:
            if parent.pk == self.instance.pk and self.instance.pk:
                self.add_error("parent", _("A dimension cannot be inside itself."))
                break
            parent = parent.parent
        return cleaned


DimensionFormSet = forms.inlineformset_factory(
    Framework, Dimension, form=DimensionForm, extra=2, can_delete=True, fields=DimensionForm.Meta.fields
)


class IndicatorForm(TranslatedFieldsMixin, forms.ModelForm):
    translated = [
        ("name", "names", _("Name in %(language)s"), False),
        ("definition", "definitions", _("Definition in %(language)s"), True),
    ]
    scale_text = forms.CharField(
        label=_("Labels of the scale"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For a scale from 1 to 5: five labels, one a line, lowest first."),
    )
    feed_activity_kind = forms.ChoiceField(
        label=_("activity kind"), required=False, help_text=_("Only activities of this kind count.")
    )

    class Meta:
        model = Indicator
        fields = ["code", "name", "definition", "dimension", "type", "unit", "direction", "level", "frequency",
                  "cumulative", "time_aggregation", "child_aggregation", "goal_min", "goal_max", "weight", "formula",
                  "factor", "feed", "feed_activity_kind", "feed_programme", "data_source", "position"]  # fmt: skip
        widgets = {"definition": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"name": _("In English; the other languages below.")}

    def __init__(self, *args, framework: Framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.framework = framework
        self.fields["dimension"].queryset = framework.dimensions.all()
        self.fields["feed_activity_kind"].choices = [("", _("Any kind")), *ActivityKind.choices]
        self.add_translation_fields()
        if not self.is_bound:
            self.fields["scale_text"].initial = "\n".join(self.instance.scale_labels or [])

    def clean_code(self):
        code = self.cleaned_data["code"]
        if self.instance.framework.indicators.filter(code=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This framework already has an indicator with this code."), code="taken")
        return code

    def clean(self):
        cleaned = super().clean()
        self.keep_translations(cleaned)
        labels = [line.strip() for line in (cleaned.get("scale_text") or "").splitlines() if line.strip()]
        self.instance.scale_labels = labels
        return cleaned

    def _post_clean(self):
        # The model's clean() checks the formula among the framework's other indicators (unknown codes, itself,
        # cycles) and the goalposts; a new code must be in place first for a formula to refer to itself.
        super()._post_clean()
        if "scale_labels" in self.errors:
            self.add_error("scale_text", self.errors.pop("scale_labels"))


class FrameworkImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (JSON, CSV or XLSX)"),
        help_text=_("A framework exported from this platform, or a COINr iMeta table with the columns listed below."),
    )
    publish = forms.BooleanField(label=_("Publish it at once"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".json", ".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a JSON, CSV or XLSX file."), code="format")
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is too large."), code="size")
        return upload
