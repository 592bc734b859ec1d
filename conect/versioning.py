"""Edit versions (optimistic locking): each save of a row takes the next version number, and an edit made on an older
version is refused with EditConflict instead of silently overwriting what someone else saved meanwhile."""

from django import forms
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class EditConflict(Exception):
    """An edit started from version `since` of `item`, but someone else saved it meanwhile: it is at `version` now."""

    def __init__(self, item: models.Model, *, since: int, version: int):
        super().__init__(f"{item._meta.label} {item.pk}: edited from version {since}, now at version {version}")
        self.item, self.since, self.version = item, since, version


class Versioned(models.Model):
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Goes up with each save, so an edit made on an older version cannot overwrite a newer one."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding or self.pk is None:
            return super().save(*args, **kwargs)
        with transaction.atomic():
            self.version = self.locked_version() + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
            super().save(*args, **kwargs)

    def locked_version(self) -> int:
        """The stored version, with the row locked until the transaction ends (two saves never take one number)."""
        stored = type(self)._base_manager.select_for_update().filter(pk=self.pk).values_list("version", flat=True)
        return stored.first() or 0

    def check_version(self, since: int | None) -> None:
        """Raise EditConflict unless the row is still at version `since` (None: the editor did not say; no check).

        Call it inside the transaction that saves the edit: the row stays locked until it is saved."""
        if since is None or self.pk is None:
            return
        version = self.locked_version()
        if version != since:
            raise EditConflict(self, since=since, version=version)


def etag(item: Versioned) -> str:
    """The item's version as a strong HTTP entity tag, for ETag and If-Match."""
    return f'"{item.version}"'


class VersionFormMixin(forms.Form):
    """For the ModelForm of a Versioned model: the version an edit starts from travels in a hidden field."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["version"].initial = self.instance.version

    def continue_from(self, version: int) -> None:
        """After a conflict: the form, still holding the person's input, saves on `version` next time."""
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = str(version)
