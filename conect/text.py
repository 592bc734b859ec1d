"""Text helpers shared by every app."""

from anyascii import anyascii
from django.db import models
from django.utils.text import slugify


def ascii_slug(value: str, max_length: int = 80) -> str:
    """A URL-safe slug for any script: "София" gives "sofiya", "Gijón" gives "gijon"."""
    return slugify(anyascii(value))[:max_length].strip("-")


def unique_slug(instance: models.Model, value: str, field: str = "slug") -> str:
    """ascii_slug(value), with -2, -3... appended when another row of the same model already has it."""
    max_length = instance._meta.get_field(field).max_length
    base = ascii_slug(value, max_length - 6) or instance._meta.model_name
    others = type(instance)._default_manager.exclude(pk=instance.pk)
    candidate, n = base, 2
    while others.filter(**{field: candidate}).exists():
        candidate, n = f"{base}-{n}", n + 1
    return candidate
