from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.models import Organisation
from partners.models import PartnerToken, Scope

DEFAULT_LIFETIME = timedelta(days=365)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=50,
        help_text=_("What the token is for, to recognise it later: the partner site or the script that uses it."),
    )
    organisation = forms.ModelChoiceField(
        label=_("For"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Me (a personal token)"),
        help_text=_("An organisation's token is seen and may be revoked by everyone who may edit the organisation."),
    )
    private = forms.BooleanField(label=Scope.PRIVATE.label, required=False)
    submit = forms.BooleanField(
        label=Scope.SUBMIT.label,
        required=False,
        help_text=_("Whatever it sends waits for a moderator: a token never publishes nor moderates."),
    )
    expires = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The token stops working at the end of that day. Empty: it never expires (not advised)."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["organisation"].queryset = Organisation.objects.editable_by(user).order_by("name")
        if not self.is_bound:
            self.initial["expires"] = timezone.localdate() + DEFAULT_LIFETIME

    def clean_expires(self):
        day = self.cleaned_data["expires"]
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later day."))
        return day

    def save(self) -> tuple[PartnerToken, str]:
        """The token, and its key: shown once, never stored (only its hash is)."""
        data = self.cleaned_data
        scopes = [Scope.READ] + [scope for scope in (Scope.PRIVATE, Scope.SUBMIT) if data[scope]]
        expiry = None
        if data["expires"] is not None:
            expiry = timezone.make_aware(datetime.combine(data["expires"], time.max))
        return PartnerToken.objects.create_key(
            name=data["name"], user=self.user, organisation=data["organisation"], scopes=scopes, expiry_date=expiry
        )
