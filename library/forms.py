from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from conect.text import no_markup
from conect.versioning import VersionFormMixin
from library.files import ACCEPTED_LABELS, MAX_UPLOAD_SIZE, check_upload
from library.models import DESCRIPTION_MAX_LENGTH, Resource
from practices.forms import LabChoiceMixin
from practices.models import Practice, Theme
from practices.vocabularies import language_choices

# The description is written in English in its own field; these hold it in the site's other languages.
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]


class ResourceForm(VersionFormMixin, LabChoiceMixin, forms.ModelForm):
    themes = forms.ModelMultipleChoiceField(
        Theme.objects.all(), widget=forms.CheckboxSelectMultiple, required=False, label=_("Themes")
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("Up to %(size)s. Accepted: %(kinds)s.")
        % {"size": filesizeformat(MAX_UPLOAD_SIZE), "kinds": ACCEPTED_LABELS},
    )

    class Meta:
        model = Resource
        fields = ["title", "kind", "file", "url", "reference_only", "language", "licence", "authors", "published_year",
                  "lab", "themes", "practices", "activities", "description"]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "url": _("A page or a document elsewhere, when there is no file to upload."),
            "description": _("In English; the other languages below."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_labs(user)
        self.fields["language"] = forms.ChoiceField(
            choices=[("", "—"), *language_choices()], required=False, label=_("Language of the resource")
        )
        if self.instance.pk:
            self.fields["language"].initial = self.instance.language
        linked = self.instance.practices.values("pk") if self.instance.pk else []
        self.fields["practices"].queryset = Practice.objects.linkable_by(user, linked=linked).order_by("title")
        self.fields["activities"].queryset = Activity.objects.visible_to(user).order_by("-starts_at")
        self.fields["practices"].required = self.fields["activities"].required = False
        for code in TRANSLATED:
            name = dict(settings.LANGUAGES)[code]
            self.fields[f"description_{code}"] = forms.CharField(
                label=_("Description in %(language)s") % {"language": _(name)},
                required=False,
                max_length=DESCRIPTION_MAX_LENGTH,
                validators=[no_markup],
                widget=forms.Textarea(attrs={"rows": 3, "lang": code}),
                initial=(self.instance.descriptions or {}).get(code, ""),
            )

    @property
    def translation_fields(self):
        return [self[f"description_{code}"] for code in TRANSLATED]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload is not self.initial.get("file") and hasattr(upload, "content_type"):
            # A new upload: its checked type (from its content) goes with it.
            self.file_type = check_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        descriptions = dict(self.instance.descriptions or {})
        for code in TRANSLATED:
            text = (cleaned.get(f"description_{code}") or "").strip()
            if text:
                descriptions[code] = text
            else:
                descriptions.pop(code, None)
        self.instance.descriptions = descriptions
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        if getattr(self, "file_type", None):
            upload = self.cleaned_data["file"]
            self.instance.file_type, self.instance.file_size = self.file_type, upload.size
