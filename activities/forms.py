"""The forms of the activities: the activity itself (times typed in its own time zone), the closing report, and a
registration."""

import datetime
import zoneinfo
from functools import cache
from importlib import resources

from django import forms
from django.contrib.gis.geos import Point
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from activities.models import AGE_GROUPS, GENDERS, Activity, Programme, time_zone_choices
from conect.text import no_markup
from conect.validators import validate_point
from conect.versioning import VersionFormMixin
from labs.models import Lab
from labs.roles import Role, has_role
from networks.models import Network, Organisation
from practices.forms import ClickPointWidget, LabChangeMixin
from practices.models import Practice, Space


@cache
def _country_zones() -> dict[str, str]:
    """The main time zone of each country, from the tz database's zone.tab (its first zone for the country)."""
    zones: dict[str, str] = {}
    text = resources.files("tzdata").joinpath("zoneinfo/zone.tab").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            code, _coordinates, name = line.split("\t")[:3]
            zones.setdefault(code, name)
    return zones


def country_time_zone(country_code: str) -> str:
    return _country_zones().get(str(country_code or "").upper(), "")


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
# Where the model's rules about the stored moments are shown: at the fields the person typed them in.
MOMENT_FIELDS = {"starts_at": "start_date", "ends_at": "end_date"}


# Years an activity may be dated in: the calendar's range (a year 1 or 9999 would break the conversions to UTC).
YEARS = (1900, 2200)


class ActivityForm(VersionFormMixin, LabChangeMixin, forms.ModelForm):
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DATE)
    start_time = forms.TimeField(label=_("Start time"), required=False, widget=TIME)
    end_date = forms.DateField(label=_("End date"), required=False, widget=DATE)
    end_time = forms.TimeField(label=_("End time"), required=False, widget=TIME)
    latitude = forms.FloatField(label=_("Latitude"), required=False)
    longitude = forms.FloatField(label=_("Longitude"), required=False)

    field_order = [
        "title", "kind", "lab", "other_labs", "networks", "programme", "description", "agenda",
        "all_day", "start_date", "start_time", "end_date", "end_time", "time_zone",
        "mode", "space", "venue", "city", "country", "location", "latitude", "longitude", "online_url",
        "registration_open", "capacity", "participants_expected", "practices",
    ]  # fmt: skip

    class Meta:
        model = Activity
        fields = [
            "title", "kind", "lab", "other_labs", "networks", "programme", "description", "agenda", "all_day",
            "time_zone", "mode", "space", "venue", "city", "country", "location", "online_url", "registration_open",
            "capacity", "participants_expected", "practices",
        ]  # fmt: skip
        widgets = {
            "location": ClickPointWidget(attrs={"geom_type": "POINT"}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "agenda": forms.Textarea(attrs={"rows": 5}),
            "other_labs": forms.CheckboxSelectMultiple,
            "networks": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.editor = user
        labs = Lab.objects.addable_by(user)
        self.fields["lab"].queryset = labs
        self.fields["lab"].required = True
        if not self.instance.pk and len(labs[:2]) == 1:
            self.fields["lab"].initial = labs.first()
        # Another Lab or a programme is joined only by someone who may add to it: an activity never lands on the page
        # of a Lab whose people did not put it there (what is linked already stays on offer).
        current = self.instance.pk is not None
        self.fields["other_labs"].queryset = Lab.objects.filter(
            Q(pk__in=labs) | Q(pk__in=self.instance.other_labs.values("pk") if current else [])
        )
        self.fields["networks"].queryset = Network.objects.visible_to(user)
        programmes = Programme.objects.all()
        if not has_role(user, Role.COORDINATOR):
            programmes = programmes.filter(Q(lab__in=labs) | Q(pk=self.instance.programme_id))
        self.fields["programme"].queryset = programmes
        self.fields["space"].queryset = Space.objects.visible_to(user).order_by("name")  # published, or its Labs'

        linked = self.instance.practices.values("pk") if self.instance.pk else []
        self.fields["practices"].queryset = Practice.objects.linkable_by(user, linked=linked).order_by("title")
        self.fields["practices"].required = False
        self.fields["location"].required = False
        self.fields["time_zone"].choices = [("", "---------"), *time_zone_choices()]
        self.fields["time_zone"].help_text = _("The times are those of this zone. Required when a start is given.")
        if not self.is_bound:
            self._initial_moments()

    def lab_time_zones(self) -> dict[str, str]:
        """Each offered Lab's country zone, suggested by the page's script when the Lab changes."""
        return {str(lab.pk): country_time_zone(lab.country.code) for lab in self.fields["lab"].queryset}

    def _initial_moments(self) -> None:
        instance = self.instance
        if instance.starts_at:
            start = instance.local_starts_at
            self.initial |= {"start_date": start.date(), "start_time": None if instance.all_day else start.time()}
        if instance.ends_at:
            end = instance.local_ends_at
            self.initial |= {"end_date": end.date(), "end_time": None if instance.all_day else end.time()}
        if not instance.pk and not instance.time_zone:
            lab = self.fields["lab"].initial
            self.initial["time_zone"] = country_time_zone(lab.country.code) if lab else ""
        if instance.location:
            self.initial |= {"latitude": round(instance.location.y, 6), "longitude": round(instance.location.x, 6)}

    def clean(self):
        cleaned = super().clean()
        self._clean_location(cleaned)
        zone = cleaned.get("time_zone")
        all_day = cleaned.get("all_day")
        for prefix in ("start", "end"):
            day, hour = cleaned.get(f"{prefix}_date"), cleaned.get(f"{prefix}_time")
            if day is not None and not YEARS[0] <= day.year <= YEARS[1]:
                first, last = YEARS
                self.add_error(
                    f"{prefix}_date", _("Give a date between %(first)s and %(last)s.") % {"first": first, "last": last}
                )
                cleaned[f"{prefix}_date"] = day = None
            if hour is not None and day is None and f"{prefix}_date" not in self.errors:
                self.add_error(f"{prefix}_date", _("Give the date too."))
            if day is not None and hour is None and not all_day and prefix == "start":
                self.add_error("start_time", _("Give the start time, or tick “all day”."))
        self.instance.starts_at = self._moment(cleaned.get("start_date"), cleaned.get("start_time"), zone, all_day)
        end_time = cleaned.get("end_time")
        if cleaned.get("end_date") and end_time is None and not all_day and cleaned.get("start_time"):
            end_time = datetime.time(23, 59)  # an end date without a time: until the end of that day
        self.instance.ends_at = self._moment(cleaned.get("end_date"), end_time, zone, all_day)
        return cleaned

    @staticmethod
    def _moment(day, hour, zone: str | None, all_day: bool) -> datetime.datetime | None:
        """The moment typed in the activity's zone, made aware (stored in UTC)."""
        if day is None:
            return None
        if all_day or hour is None:
            hour = datetime.time(0)
        if not zone:
            # The model says a zone is missing (at the time zone field); the moment only has to exist meanwhile.
            return datetime.datetime.combine(day, hour, datetime.UTC)
        return datetime.datetime.combine(day, hour, zoneinfo.ZoneInfo(zone))

    def _clean_location(self, cleaned: dict) -> None:
        lat, lng = cleaned.get("latitude"), cleaned.get("longitude")
        if (lat is None) != (lng is None):
            self.add_error("latitude", _("Give both latitude and longitude, or neither."))
            return
        if lat is not None:
            cleaned["location"] = Point(lng, lat, srid=4326)
        try:
            validate_point(cleaned.get("location"))
        except ValidationError as error:
            self.add_error("location", error)

    def _update_errors(self, errors):
        # The model checks starts_at and ends_at, which the person typed as dates and times.
        if hasattr(errors, "error_dict"):
            errors = ValidationError(
                {MOMENT_FIELDS.get(name, name): messages for name, messages in errors.error_dict.items()}
            )
            for name in list(errors.error_dict):
                if name != NON_FIELD_ERRORS and name not in self.fields:
                    errors.error_dict.setdefault(NON_FIELD_ERRORS, []).extend(errors.error_dict.pop(name))
        super()._update_errors(errors)


class ReportForm(VersionFormMixin, forms.ModelForm):
    """The closing report: how many took part (totals only, never who), outcomes, organisations present."""

    class Meta:
        model = Activity
        fields = ["attendance_total", *(name for name, _label in GENDERS), *(name for name, _label in AGE_GROUPS),
                  "outcomes", "organisations"]  # fmt: skip
        widgets = {"outcomes": forms.Textarea(attrs={"rows": 5}), "organisations": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.visible_to(user).order_by("name")
        self.fields["attendance_total"].required = True
        # Organisations present that the editor may not see stay as they are: the checkboxes offer only the others.
        self.hidden_organisations = (
            list(self.instance.organisations.exclude(pk__in=self.fields["organisations"].queryset.values("pk")))
            if self.instance.pk
            else []
        )

    def clean_organisations(self):
        return [*self.cleaned_data["organisations"], *self.hidden_organisations]

    gender_fields = [name for name, _label in GENDERS]
    age_fields = [name for name, _label in AGE_GROUPS]


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Your e-mail address"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].validators.append(no_markup)
        if user is not None and user.is_authenticated:
            self.fields["name"].initial = user.public_name
            self.fields["email"].initial = user.email
            self.fields["email"].disabled = True  # the account's address
            self.fields["email"].help_text = _("The address of your account.")
