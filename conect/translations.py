"""Texts kept in several languages on one row: English in the field itself, the others in a JSON field beside it.

Like practices.Theme.names: a Lab, a network or an activity is described once by whoever enters it, and translated by
anyone later, without a table per model. The reader gets their language, else English, and the page marks which.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class InLanguage:
    """A text and the language it is written in (for the page's lang attribute)."""

    text: str
    language: str

    def __str__(self) -> str:
        return self.text


def in_language(texts: dict[str, str], english: str, language: str | None = None) -> InLanguage:
    """The text for readers of `language` (the active one by default): theirs, else English, else any there is."""
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    texts = {code: text.strip() for code, text in texts.items() if isinstance(text, str) and text.strip()}
    if language in texts:
        return InLanguage(texts[language], language)
    if english.strip() or not texts:
        return InLanguage(english, settings.LANGUAGE_CODE)
    code = min(texts)  # no English: any translation, the same one every time
    return InLanguage(texts[code], code)


def validate_translations(value) -> None:
    """{language code of the site: text}: anything else would be silently never shown."""
    codes = {code for code, _name in settings.LANGUAGES}
    if not isinstance(value, dict) or not all(isinstance(text, str) for text in value.values()):
        raise ValidationError(_('Write the translations as {"it": "…", "fr": "…"}.'), code="translations")
    unknown = sorted(set(value) - codes)
    if unknown:
        raise ValidationError(
            _("Unknown language codes: %(codes)s. Use %(known)s.")
            % {"codes": ", ".join(unknown), "known": ", ".join(sorted(codes))},
            code="translations",
        )


def translations_field() -> models.JSONField:
    """The JSON field of a description's translations, declared right after the (English) description."""
    return models.JSONField(
        _("description in other languages"),
        default=dict,
        blank=True,
        validators=[validate_translations],
        help_text=_('By language code, e.g. {"it": "…", "fr": "…"}. Readers of other languages see the English one.'),
    )


class TranslatedDescription:
    """For a model with an English `description` and its `descriptions = translations_field()`."""

    description: str
    descriptions: dict

    @property
    def localised_description(self) -> InLanguage:
        return in_language(self.descriptions if isinstance(self.descriptions, dict) else {}, self.description)
