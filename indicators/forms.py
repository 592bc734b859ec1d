from django import forms
from django.utils.translation import gettext_lazy as _

from indicators.compare import DEFAULT_LABS, MAX_LABS
from labs.models import Lab


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
