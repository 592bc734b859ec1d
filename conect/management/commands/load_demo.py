from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from conect.demo import ACCOUNTS, DEMO_PASSWORD


def load_demo(*, with_imports: bool = True) -> None:
    """Every app's demo data, in the order of INSTALLED_APPS (each after those it depends on), in one transaction."""
    with transaction.atomic():
        for config in apps.get_app_configs():
            if module_has_submodule(config.module, "demo"):
                import_module(f"{config.name}.demo").load(with_imports=with_imports)


class Command(BaseCommand):
    help = "Load (or refresh) the demo networks, organisations, Labs, practices and one account per role. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Load even when DEBUG is off.")
        parser.add_argument(
            "--without-practices", action="store_true", help="Skip importing the 1,794 SUSY initiatives."
        )

    def handle(self, *args, force: bool = False, without_practices: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("refusing to create demo accounts with DEBUG off: pass --force if you mean it")
        load_demo(with_imports=not without_practices)
        self.stdout.write(f"Demo data loaded. Demo accounts (password for all: {DEMO_PASSWORD}):")
        for account in ACCOUNTS:
            where = f" of {account.lab}" if account.lab else ""
            self.stdout.write(f"  {account.email:<30} {account.role.value}{where}")
