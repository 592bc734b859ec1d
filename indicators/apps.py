from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    """Indicator frameworks, measurements and dashboards: their models arrive with the indicators issue."""

    name = "indicators"
    verbose_name = _("Indicators")
