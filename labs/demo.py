"""Demo data of the labs app: the six CoNECT Labs and the demo accounts' memberships.

The seeds say that CoNECT runs Labs in six EU countries without naming the cities; the six demo Labs sit in cities
the seeds do name (CoNet and NETCO partners, CESIE's Palermo), one per country. Places come from the offline gazetteer.
"""

from conect.demo import ACCOUNTS
from conect.gazetteer import find_city
from conect.models import User
from conect.text import ascii_slug
from labs.models import Lab, MembershipRole

LABS = [
    ("Palermo", "IT", "Palermo", "Home of CESIE and of the CoNet Local Action Plan for the Ballarò neighbourhood."),
    (
        "Cluj-Napoca",
        "RO",
        "Cluj-Napoca",
        "Works with the Cluj Metropolitan Area, a NETCO partner on collaborative housing.",
    ),
    ("Lyon", "FR", "Lyon", "Works with the Lyon Metropolis (NETCO) and Vaulx-en-Velin (CoNet)."),
    ("Berlin", "DE", "Berlin", "In the city that led CoNet and is home to id22, a NETCO partner."),
    ("Barcelona", "ES", "Barcelona", "In the city that leads NETCO, the Network of Cities for Collaborative Housing."),
    ("София", "BG", "Sofia", "In Sofia, a CoNet partner city, with the Bulgarian solidarity-economy initiatives."),
]


def _labs() -> dict[str, Lab]:
    labs = {}
    for name, country, city, description in LABS:
        lab, _ = Lab.objects.update_or_create(
            slug=ascii_slug(name),
            defaults={
                "name": f"CoNECT Lab {name}",
                "country": country,
                "city": name,
                "location": find_city(city, country).point,
                "description": description,
            },
        )
        labs[lab.slug] = lab
    return labs


def load(*, with_imports: bool = True) -> None:
    labs = _labs()
    for account in ACCOUNTS:
        if account.lab:
            user = User.objects.get(email=account.email)
            labs[account.lab].add_member(user, MembershipRole(account.role.value))
