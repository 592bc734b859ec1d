"""The forms of organisations, their people, relationships and the organisations involved in a practice. They parse
and check; writes go through the models' write path (save_new/save_edit) and networks.services."""

import contextlib

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from conect.gazetteer import PlaceNotFound, find_city
from conect.text import no_markup
from conect.versioning import VersionFormMixin
from labs.models import Lab
from networks.models import (
    TEXT_MAX_LENGTH,
    Network,
    Organisation,
    OrganisationPerson,
    PracticeOrganisation,
    Relationship,
)
from practices.forms import ClickPointWidget, LabChoiceMixin, LocationFormMixin
from practices.models import Practice

# The description is written in English in its own field; these hold it in the site's other languages.
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrganisationForm(VersionFormMixin, LabChoiceMixin, LocationFormMixin, forms.ModelForm):
    field_order = ["name", "kind", "sector", "size", "lab", "description", "website", "city", "country", "location",
                   "latitude", "longitude"]  # fmt: skip

    class Meta:
        model = Organisation
        fields = ["name", "kind", "sector", "size", "lab", "description", "website", "city", "country", "location"]
        widgets = {
            "location": ClickPointWidget(attrs={"geom_type": "POINT"}),
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {"description": _("In English; the other languages below.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].required = False
        self.fields["country"].required = False
        self.fields["country"].help_text = _("Found from the map when left empty.")
        self.fields["city"].help_text = _("Without a place on the map, the organisation is put at this city.")
        if Lab.objects.addable_by(user).exists():
            self.limit_labs(user)
        else:
            del self.fields["lab"]  # a suggestion: the platform chooses who reviews it
        if self.instance.location and not self.is_bound:
            self.fields["latitude"].initial = round(self.instance.location.y, 6)
            self.fields["longitude"].initial = round(self.instance.location.x, 6)
        for code in TRANSLATED:
            name = dict(settings.LANGUAGES)[code]
            self.fields[f"description_{code}"] = forms.CharField(
                label=_("Description in %(language)s") % {"language": _(name)},
                required=False,
                max_length=TEXT_MAX_LENGTH,
                validators=[no_markup],
                widget=forms.Textarea(attrs={"rows": 3, "lang": code}),
                initial=(self.instance.descriptions or {}).get(code, ""),
            )

    @property
    def translation_fields(self):
        return [self[f"description_{code}"] for code in TRANSLATED]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("location") is None and not self.errors and cleaned.get("city") and cleaned.get("country"):
            # No point given: the city's, from the offline gazetteer, when it knows the city.
            with contextlib.suppress(PlaceNotFound):
                cleaned["location"] = find_city(cleaned["city"], str(cleaned["country"])).point
        descriptions = dict(self.instance.descriptions or {})
        for code in TRANSLATED:
            text = (cleaned.get(f"description_{code}") or "").strip()
            if text:
                descriptions[code] = text
            else:
                descriptions.pop(code, None)
        self.instance.descriptions = descriptions
        return cleaned


class RelationshipForm(VersionFormMixin, LabChoiceMixin, forms.ModelForm):
    class Meta:
        model = Relationship
        fields = ["source", "target", "kind", "direction", "strength", "start_date", "end_date", "network", "lab",
                  "evidence", "description"]  # fmt: skip
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "direction": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.visible_to(user).only("name", "city").order_by("name", "pk")
        self.fields["source"].queryset = self.fields["target"].queryset = organisations
        self.fields["network"].queryset = Network.objects.visible_to(user).order_by("name")
        self.fields["strength"].widget = forms.Select(choices=[("", _("Unknown")), *((n, str(n)) for n in range(1, 6))])
        if Lab.objects.addable_by(user).exists():
            self.limit_labs(user)
        else:
            del self.fields["lab"]
        self.user = user

    def _post_clean(self):
        super()._post_clean()
        relationship = self.instance
        if not self.errors and relationship.source_id and relationship.target_id and relationship.twins(self.user):
            self.add_error(
                None, _("This relationship is already recorded; edit it instead, or give a different start date.")
            )


class PersonForm(forms.ModelForm):
    class Meta:
        model = OrganisationPerson
        fields = ["name", "role", "email", "phone", "consent_date", "consent_note"]
        widgets = {"consent_date": DATE}


PersonFormSet = forms.inlineformset_factory(
    Organisation, OrganisationPerson, form=PersonForm, extra=1, can_delete=True, can_delete_extra=False
)


class InvolvementForm(forms.ModelForm):
    class Meta:
        model = PracticeOrganisation
        fields = ["organisation", "role"]


class BaseInvolvementFormSet(forms.BaseInlineFormSet):
    """The organisations involved in a practice, among those the editor may see (others stay as they are)."""

    def __init__(self, *args, user, **kwargs):
        self.organisations = Organisation.objects.visible_to(user).only("name").order_by("name", "pk")
        super().__init__(*args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().filter(organisation__in=self.organisations).select_related("organisation")

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["organisation"].queryset = self.organisations


InvolvementFormSet = forms.inlineformset_factory(
    Practice,
    PracticeOrganisation,
    form=InvolvementForm,
    formset=BaseInvolvementFormSet,
    extra=2,
    can_delete=True,
    can_delete_extra=False,
)
