"""Partner sites: API tokens (personal and organisation, scoped, hashed), their throttles, and their account pages."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")

    def ready(self) -> None:
        from corsheaders.signals import check_request_enabled

        from partners import authentication  # noqa: F401 (its OpenAPI extension declares the bearer scheme)
        from partners.cors import read_from_anywhere

        check_request_enabled.connect(read_from_anywhere, dispatch_uid="partners.cors.read_from_anywhere")
