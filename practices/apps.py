from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    """Practices, spaces and the public map: their models arrive with the map (issue 3)."""

    name = "practices"
    verbose_name = _("Practices and spaces")
