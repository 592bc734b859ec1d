"""Demo data of the core: one account per role. Each app loads its own part (its `demo` module, with a `load()`),
called in the order of INSTALLED_APPS by `manage.py load_demo`; loading twice changes nothing.

The seeds (shared/seeds/) describe the networks, programmes and organisations that the networks app loads; the labs app
places the six CoNECT Labs in cities the seeds name, one per country; the practices app imports the SUSY initiatives.
"""

from dataclasses import dataclass

from conect.models import User
from conect.roles import Role

DEMO_PASSWORD = "conect-demo"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    display_name: str
    role: Role
    lab: str | None = None  # the slug of the demo Lab the labs app makes them a member of

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_superuser(self) -> bool:
        return self.role == Role.ADMIN


ACCOUNTS = [
    DemoAccount("admin@conect.example", "Demo administrator", Role.ADMIN),
    DemoAccount("coordinator@conect.example", "Demo coordinator", Role.COORDINATOR),
    DemoAccount("facilitator@conect.example", "Demo facilitator", Role.FACILITATOR, "palermo"),
    DemoAccount("member@conect.example", "Demo member", Role.MEMBER, "palermo"),
    DemoAccount("outsider@conect.example", "Demo member of Cluj", Role.MEMBER, "cluj-napoca"),
    DemoAccount("contributor@conect.example", "Demo contributor", Role.CONTRIBUTOR),
]


def load(*, with_imports: bool = True) -> None:
    for account in ACCOUNTS:
        user = User.objects.filter(email=account.email).first() or User(email=account.email)
        user.display_name = account.display_name
        user.is_coordinator = account.is_coordinator
        user.is_superuser = user.is_staff = account.is_superuser
        user.set_password(DEMO_PASSWORD)
        user.save()
        # allauth needs a verified primary address to let the account sign in.
        user.emailaddress_set.update_or_create(email=account.email, defaults={"verified": True, "primary": True})
