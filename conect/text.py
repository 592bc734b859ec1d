"""Text helpers shared by every app."""

import re

from anyascii import anyascii
from django.db import models
from django.utils.text import slugify


def ascii_slug(value: str, max_length: int = 80) -> str:
    """A URL-safe slug for any script: "София" gives "sofiya", "Gijón" gives "gijon"."""
    return slugify(anyascii(value))[:max_length].strip("-")


# Path segments that pages use next to the slugs (/practices/new/, /practices/suggest/...).
RESERVED_SLUGS = {
    "new", "suggest", "import", "export", "edit", "history", "moderation", "calendar", "registrations",
    # The networks app's own pages, beside network slugs.
    "organisations", "relationships", "graph", "analysis", "compare", "practice", "feed",
}  # fmt: skip


def unique_slug(instance: models.Model, value: str, field: str = "slug") -> str:
    """ascii_slug(value), with -2, -3... appended when another row of the same model already has it."""
    max_length = instance._meta.get_field(field).max_length
    base = ascii_slug(value, max_length - 6) or instance._meta.model_name
    others = type(instance)._default_manager.exclude(pk=instance.pk)
    candidate, n = base, 2
    while candidate in RESERVED_SLUGS or others.filter(**{field: candidate}).exists():
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def json_ld(data: dict) -> str:
    """A <script type="application/ld+json"> element, escaped like Django's json_script so text cannot close it."""
    import json

    from django.utils.html import format_html
    from django.utils.safestring import mark_safe

    escaped = json.dumps(data, ensure_ascii=False).translate(
        {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
    )
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(escaped))  # noqa: S308


# A tag opens with "<" and a letter; Markdown autolinks (<info@example.org>, <https://example.org>) are not tags.
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?](?![^<>\s]*[@:][^<>\s]*>)|javascript\s*:", re.IGNORECASE)


# C0 controls except tab, line feed and carriage return, DEL and C1 controls: invisible, never typed on purpose, and
# not allowed in XML, so a cell holding one breaks the XLSX export.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def no_control_characters(value: str) -> None:
    """Text without invisible control characters; tabs and line breaks are kept."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    found = _CONTROL.search(value) if isinstance(value, str) else None
    if found:
        raise ValidationError(
            _("Remove the invisible control character %(character)s from the text."),
            code="control_character",
            params={"character": f"U+{ord(found.group()):04X}"},
        )


def no_markup(value: str) -> None:
    """Plain text and Markdown only: HTML tags, script links and control characters are refused at the field, never
    stored (free-text fields name it, so forms, the API and imports all run it)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    no_control_characters(value)
    if value and _MARKUP.search(value):
        raise ValidationError(
            _("Write plain text (Markdown in descriptions): HTML tags and script links are not allowed."),
            code="markup",
        )


class AutoSlugMixin:
    """Gives a model its slug from another field on first save (`slug_from`, "name" by default)."""

    slug_from = "name"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, getattr(self, self.slug_from))
        super().save(*args, **kwargs)
