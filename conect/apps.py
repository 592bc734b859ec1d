from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConectConfig(AppConfig):
    name = "conect"
    verbose_name = _("CoNECT platform")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Each app's schema.org builders (conect.jsonld): conect names no app.
        autodiscover_modules("jsonld")
