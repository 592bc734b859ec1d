from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConectConfig(AppConfig):
    name = "conect"
    verbose_name = _("CoNECT platform")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.utils.module_loading import autodiscover_modules

        from conect.dbsession import require_session_settings

        # Every new database connection has the session settings that decide results (conect.dbsession).
        connection_created.connect(require_session_settings, dispatch_uid="conect.dbsession")

        # Each app's schema.org builders (conect.jsonld): conect names no app.
        autodiscover_modules("jsonld")
