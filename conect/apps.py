from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConectConfig(AppConfig):
    name = "conect"
    verbose_name = _("CoNECT platform")
