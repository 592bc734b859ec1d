from django import forms
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from leaflet import PLUGIN_FORMS, PLUGINS
from leaflet.forms.widgets import LeafletWidget

from conect.gazetteer import country_at
from conect.validators import validate_point
from conect.versioning import VersionFormMixin
from labs.models import Lab
from practices.models import SDG, Practice, Space, Theme
from practices.vocabularies import ResilienceDimension, ResourceKind, TargetGroup


class AreaWidget(LeafletWidget):
    """django-leaflet's widget with its drawing tools, for the area of a space."""

    include_media = True


class ClickPointWidget(LeafletWidget):
    """django-leaflet's widget, where one click on the map places the point."""

    geometry_field_class = "L.ClickPointField"
    include_media = True

    @property
    def media(self):
        # Naming leaflet.forms.js again makes Django order our scripts after it.
        after = PLUGINS[PLUGIN_FORMS]["js"][-1]
        return super().media + forms.Media(js=[after, "js/point_field.js", "js/practice_form.js"])


def _checkboxes(choices, label):
    return forms.MultipleChoiceField(choices=choices, required=False, widget=forms.CheckboxSelectMultiple, label=label)


class LocationFormMixin(forms.Form):
    """Typed coordinates, as an alternative to the map and the place finder; they win when both are given."""

    latitude = forms.FloatField(label=_("Latitude"), required=False)
    longitude = forms.FloatField(label=_("Longitude"), required=False)

    def clean(self):
        cleaned = super().clean()
        lat, lng = cleaned.get("latitude"), cleaned.get("longitude")
        if (lat is None) != (lng is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        if lat is not None:
            cleaned["location"] = Point(lng, lat, srid=4326)
        location = cleaned.get("location")
        try:
            validate_point(location)  # the model's own rule, checked first to find the country of a sound place only
        except ValidationError as error:
            self.add_error("location", error)  # once, at the place (the model then skips the field)
            return cleaned
        if "country" in self.fields and not cleaned.get("country"):
            # The country of a place clicked on the map: that of the nearest city in the gazetteer.
            country = country_at(location) if location is not None else None
            if country is None:
                self.add_error("country", _("Choose the country, or place it on the map."))
            else:
                cleaned["country"] = self.instance.country = country
        return cleaned


class LabChangeMixin:
    """The Lab field refuses a move its editor may not make (Moderated.check_lab_change): site forms and the admin."""

    editor = None

    def clean_lab(self):
        lab = self.cleaned_data.get("lab")
        try:
            self.instance.check_lab_change(lab.pk if lab else None, by=self.editor)
        except ValidationError as error:
            raise ValidationError(error.message_dict["lab"]) from None
        return lab


class LabChoiceMixin(LabChangeMixin):
    """The Lab field offers the Labs the person may add to (Lab.objects.addable_by), preselected when there is one."""

    def limit_labs(self, user) -> None:
        labs = Lab.objects.addable_by(user)
        self.fields["lab"].queryset = labs
        self.fields["lab"].required = False
        self.fields["lab"].help_text = _(
            "Without a Lab, it goes to the moderators of the Lab whose territory contains it, or to the coordinators."
        )
        if not self.instance.pk and len(labs[:2]) == 1:
            self.fields["lab"].initial = labs.first()
        self.editor = user


class PracticeForm(VersionFormMixin, LabChoiceMixin, LocationFormMixin, forms.ModelForm):
    field_order = ["title", "summary", "description", "original_language", "lab", "primary_theme", "themes", "sdgs",
                   "dimensions", "target_groups", "resources", "scale", "status", "start_date", "end_date", "spaces",
                   "country", "city", "location", "latitude", "longitude"]  # fmt: skip

    dimensions = _checkboxes(ResilienceDimension.choices, _("Resilience dimensions"))
    target_groups = _checkboxes(TargetGroup.choices, _("Who it is for"))
    resources = _checkboxes(ResourceKind.choices, _("Relies on"))
    themes = forms.ModelMultipleChoiceField(
        Theme.objects.all(), widget=forms.CheckboxSelectMultiple, required=False, label=_("Themes")
    )
    sdgs = forms.ModelMultipleChoiceField(
        SDG.objects.all(), widget=forms.CheckboxSelectMultiple, required=False, label=_("Sustainable Development Goals")
    )

    class Meta:
        model = Practice
        fields = [
            "title", "summary", "description", "original_language", "lab", "primary_theme", "themes", "sdgs",
            "dimensions", "target_groups", "resources", "scale", "status", "start_date", "end_date", "spaces",
            "country", "city", "location", "website", "contact_email", "contact_phone",
        ]  # fmt: skip
        widgets = {
            "location": ClickPointWidget(attrs={"geom_type": "POINT"}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 8}),
            "summary": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, suggestion: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].required = False
        self.fields["country"].required = False
        self.fields["country"].help_text = _("Found from the map when left empty.")
        if not self.instance.pk:
            self.fields["original_language"].initial = (get_language() or "en").split("-")[0]
        if suggestion or not Lab.objects.addable_by(user).exists():
            # A suggestion goes to the Lab whose territory contains it, chosen by the platform; a contributor editing
            # their own suggestion keeps that choice.
            del self.fields["lab"]
        else:
            self.limit_labs(user)
        self.fields["spaces"].queryset = Space.objects.visible_to(user)
        self.fields["spaces"].required = False
        if not self.fields["spaces"].queryset.exists():
            del self.fields["spaces"]  # nothing to choose from yet: spaces are added on their own page
        if self.instance.location and not self.is_bound:
            self.fields["latitude"].initial = round(self.instance.location.y, 6)
            self.fields["longitude"].initial = round(self.instance.location.x, 6)


class SpaceForm(VersionFormMixin, LabChoiceMixin, LocationFormMixin, forms.ModelForm):
    field_order = ["name", "kind", "lab", "description", "address", "city", "country", "location", "latitude",
                   "longitude", "area"]  # fmt: skip

    class Meta:
        model = Space
        fields = [
            "name", "kind", "lab", "description", "address", "city", "country", "location", "area", "tenure",
            "step_free", "accessibility",
        ]  # fmt: skip
        widgets = {
            "location": ClickPointWidget(attrs={"geom_type": "POINT"}),
            "area": AreaWidget(),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_labs(user)
        self.fields["location"].required = False
        self.fields["country"].required = False
        self.fields["country"].help_text = _("Found from the map when left empty.")
        if self.instance.pk and self.instance.location and not self.is_bound:
            self.fields["latitude"].initial = round(self.instance.location.y, 6)
            self.fields["longitude"].initial = round(self.instance.location.x, 6)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("location") is None and "location" not in self.errors:
            self.add_error("location", _("Place the space on the map, find it by name or type its coordinates."))
        return cleaned


class ModerationForm(forms.Form):
    # The version the moderator read: a decision never applies to text they did not see.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    action = forms.ChoiceField(
        choices=[("publish", _("Publish")), ("request_changes", _("Ask for changes")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason, for the author"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") in ("request_changes", "reject") and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say why: the author reads the reason."))
        return cleaned
