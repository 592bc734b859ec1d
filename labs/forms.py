import json

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon
from django.core.exceptions import ValidationError
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from leaflet.forms.widgets import LeafletWidget

from conect.text import no_markup
from conect.validators import validate_area
from labs import services
from labs.models import Invitation, Lab, MembershipRole

TERRITORY_FILE_MAX_BYTES = 5 * 1024 * 1024


class TerritoryWidget(LeafletWidget):
    """django-leaflet's widget with its drawing tools: the territory is drawn as one or more polygons."""

    include_media = True


def territory_from_geojson(data: bytes) -> MultiPolygon:
    """A GeoJSON Polygon, MultiPolygon, Feature or FeatureCollection of those, as one multipolygon; or a translated
    ValidationError saying what is wrong."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ValidationError(_("This file is not GeoJSON: it cannot be read as JSON."), code="json") from None
    geometries = _geometries(document)
    polygons = []
    for geometry in geometries:
        if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise ValidationError(
                _("The territory must be made of polygons: this file holds other shapes."), code="geom_type"
            )
        try:
            shape = GEOSGeometry(json.dumps(geometry), srid=4326)
        except (GEOSException, GDALException, ValueError, TypeError):
            raise ValidationError(_("A shape in this file cannot be read."), code="invalid") from None
        polygons.extend(shape if shape.geom_type == "MultiPolygon" else [shape])
    if not polygons:
        raise ValidationError(_("This file holds no polygon."), code="empty")
    territory = MultiPolygon(*[GEOSGeometry(polygon.wkb, srid=4326) for polygon in polygons], srid=4326)
    validate_area(territory)
    return territory


def _geometries(document) -> list:
    if not isinstance(document, dict):
        raise ValidationError(_("This file is not GeoJSON: it holds no geometry."), code="geojson")
    kind = document.get("type")
    if kind == "FeatureCollection" and isinstance(document.get("features"), list):
        return [feature.get("geometry") if isinstance(feature, dict) else None for feature in document["features"]]
    if kind == "Feature":
        return [document.get("geometry")]
    if kind in ("Polygon", "MultiPolygon", "Point", "LineString", "MultiPoint", "MultiLineString"):
        return [document]
    raise ValidationError(_("This file is not GeoJSON: it holds no geometry."), code="geojson")


def _translation_fields() -> dict[str, forms.CharField]:
    fields = {}
    for code, _name in settings.LANGUAGES:
        if code == settings.LANGUAGE_CODE:
            continue
        fields[f"description_{code}"] = forms.CharField(
            label=_("Description in %(language)s") % {"language": get_language_info(code)["name_translated"]},
            required=False,
            widget=forms.Textarea(attrs={"rows": 3, "lang": code}),
        )
    return fields


class LabForm(forms.ModelForm):
    """A Lab's own page: names, place, translations of its description, cover, period, territory."""

    cover_file = forms.FileField(
        label=_("Cover image (JPEG, PNG or WebP, up to 5 MB)"), required=False, widget=forms.ClearableFileInput
    )
    remove_cover = forms.BooleanField(label=_("Remove the cover image"), required=False)
    territory_file = forms.FileField(
        label=_("Or upload the territory as a GeoJSON file"),
        required=False,
        help_text=_(
            "A Polygon, MultiPolygon, Feature or FeatureCollection in longitude and latitude; it replaces "
            "the shape drawn on the map."
        ),  # fmt: skip
    )

    class Meta:
        model = Lab
        fields = ["name", "country", "city", "description", "start_date", "end_date", "cover_description", "territory"]
        widgets = {
            "territory": TerritoryWidget(attrs={"geom_type": "MULTIPOLYGON"}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        labels = {"description": _("Description in English")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].validators.append(no_markup)
        self.fields["city"].validators.append(no_markup)
        self.fields.update(_translation_fields())
        for code, text in (self.instance.descriptions or {}).items():
            if f"description_{code}" in self.fields:
                self.fields[f"description_{code}"].initial = text
        self.fields["territory"].required = False
        self.fields["territory"].help_text = _("Draw one or more polygons on the map.")
        self.cover_image = None

    def clean_cover_file(self):
        upload = self.cleaned_data.get("cover_file")
        if upload:
            self.cover_image = services.clean_cover(upload)
        return upload

    def clean_territory_file(self):
        upload = self.cleaned_data.get("territory_file")
        if not upload:
            return None
        if upload.size > TERRITORY_FILE_MAX_BYTES:
            raise ValidationError(_("The file is larger than 5 MB."), code="too_big")
        return territory_from_geojson(upload.read())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("territory_file") is not None:
            cleaned["territory"] = cleaned["territory_file"]
        territory = cleaned.get("territory")
        if territory is not None and territory.geom_type == "Polygon":
            territory = cleaned["territory"] = MultiPolygon(territory, srid=4326)
        if territory is not None and not territory.valid and all(part.valid for part in territory):
            # Shapes drawn one after another that overlap or touch are one territory: merged, not refused.
            merged = territory.unary_union
            cleaned["territory"] = merged if merged.geom_type == "MultiPolygon" else MultiPolygon(merged, srid=4326)
        has_cover = self.cover_image is not None or (self.instance.cover and not cleaned.get("remove_cover"))
        if has_cover and not cleaned.get("cover_description", "").strip():
            self.add_error("cover_description", _("Say what the image shows, for people who cannot see it."))
        return cleaned

    def _post_clean(self):
        self.instance.territory = self.cleaned_data.get("territory")
        self.instance.descriptions = {
            code: text.strip()
            for code, _name in settings.LANGUAGES
            if (text := self.cleaned_data.get(f"description_{code}") or "").strip()
        }
        super()._post_clean()


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "role", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"message": _("Optional: a few words that go with the invitation.")}

    def __init__(self, *args, lab: Lab, **kwargs):
        super().__init__(*args, **kwargs)
        self.lab = lab

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if self.lab.memberships.filter(user__email__iexact=email).exists():
            raise ValidationError(_("This person is already a member of the Lab."), code="member")
        if self.lab.invitations.pending().filter(email__iexact=email).exists():
            raise ValidationError(
                _("An invitation to this address is pending: withdraw it first to send a new one."), code="pending"
            )
        return email


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)


class AcceptSignUpForm(forms.Form):
    """An account for the invited address: the link proved the address, so only a password is needed."""

    display_name = forms.CharField(
        label=_("Your name, as other members see it"), max_length=150, required=False, validators=[no_markup]
    )
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password (again)"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["password1"].help_text = password_validation.password_validators_help_text_html()

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                password_validation.validate_password(first)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned
