"""Demo data of the networks app: the networks, programmes and organisations described in shared/seeds/, and their
activities. Every place gets its coordinates from the offline gazetteer (never typed in here); rows are found by their
slug and updated in place.
"""

from datetime import date
from decimal import Decimal

from conect.gazetteer import find_city
from conect.text import ascii_slug
from labs.models import Activity, ActivityKind
from networks.models import Network, NetworkMembership, NetworkRole, NetworkScope, Organisation, OrganisationKind

# (name, kind, country, city or None when the seeds give no place)
ORGANISATIONS = {
    "cesie": ("CESIE", OrganisationKind.NGO, "IT", "Palermo"),
    "berlin": ("City of Berlin", OrganisationKind.MUNICIPALITY, "DE", "Berlin"),
    "palermo": ("City of Palermo", OrganisationKind.MUNICIPALITY, "IT", "Palermo"),
    "liverpool": ("City of Liverpool", OrganisationKind.MUNICIPALITY, "GB", "Liverpool"),
    "vaulx": ("City of Vaulx-en-Velin", OrganisationKind.MUNICIPALITY, "FR", "Vaulx-en-Velin"),
    "sofia": ("City of Sofia", OrganisationKind.MUNICIPALITY, "BG", "Sofia"),
    "alba-iulia": ("City of Alba Iulia", OrganisationKind.MUNICIPALITY, "RO", "Alba Iulia"),
    "brussels": ("City of Brussels", OrganisationKind.MUNICIPALITY, "BE", "Brussels"),
    "apeldoorn": ("City of Apeldoorn", OrganisationKind.MUNICIPALITY, "NL", "Apeldoorn"),
    "zabrze": ("City of Zabrze", OrganisationKind.MUNICIPALITY, "PL", "Zabrze"),
    "malmo": ("City of Malmö", OrganisationKind.MUNICIPALITY, "SE", "Malmö"),
    "gijon": ("City of Gijón", OrganisationKind.MUNICIPALITY, "ES", "Gijón"),
    "barcelona": ("City of Barcelona", OrganisationKind.MUNICIPALITY, "ES", "Barcelona"),
    "bologna": ("City of Bologna", OrganisationKind.MUNICIPALITY, "IT", "Bologna"),
    "urban-lab": ("Urban Lab", OrganisationKind.NGO, "", None),
    "ljubljana": (
        "Public Housing Fund of the Municipality of Ljubljana",
        OrganisationKind.MUNICIPALITY,
        "SI",
        "Ljubljana",
    ),
    "strasbourg": ("City of Strasbourg", OrganisationKind.MUNICIPALITY, "FR", "Strasbourg"),
    "zagreb": ("City of Zagreb", OrganisationKind.MUNICIPALITY, "HR", "Zagreb"),
    "oslo": ("City of Oslo", OrganisationKind.MUNICIPALITY, "NO", "Oslo"),
    "eindhoven": ("City of Eindhoven", OrganisationKind.MUNICIPALITY, "NL", "Eindhoven"),
    "brussels-region": ("Brussels Regional Public Service", OrganisationKind.MUNICIPALITY, "BE", "Brussels"),
    "cluj": (
        "Cluj Metropolitan Area Intercommunity Development Association",
        OrganisationKind.MUNICIPALITY,
        "RO",
        "Cluj-Napoca",
    ),
    "lyon": ("Lyon Metropolis", OrganisationKind.MUNICIPALITY, "FR", "Lyon"),
    "dresden": ("City of Dresden", OrganisationKind.MUNICIPALITY, "DE", "Dresden"),
    "amsterdam": ("City of Amsterdam", OrganisationKind.MUNICIPALITY, "NL", "Amsterdam"),
    "thessaloniki": ("City of Thessaloniki", OrganisationKind.MUNICIPALITY, "GR", "Thessaloniki"),
    "id22": ("id22: Institute for Creative Sustainability", OrganisationKind.NGO, "DE", "Berlin"),
    "south-scotland": ("South of Scotland Community Housing", OrganisationKind.NGO, "GB", None),
}

CESIE_DESCRIPTION = (
    "A European centre of studies and initiatives dedicated to research and development that improves "
    "future-oriented innovation in educational, social, economic and cultural spheres. Contact for the CoNet network."
)

CONET = {
    "name": "CoNet – Cohesion Network",
    "scope": NetworkScope.EUROPEAN,
    "programme": "URBACT II – Thematic Networks (European Regional Development Fund)",
    "start_date": date(2008, 4, 21),
    "end_date": date(2011, 5, 20),
    "description": (
        "To learn more about integrated approaches to strengthen social cohesion in disadvantaged neighbourhoods and "
        "implement this knowledge in innovative local projects. Local Support Groups work on Local Action Plans; "
        "thematic meetings take place in each partner city, with a city-to-city support scheme bringing officers "
        "and experts from one city to another for a direct transfer of know-how. Results include CoNet's Guide to "
        "Social Cohesion and the Local Action Plan of Palermo for the Ballarò area."
    ),
    "lead": ["berlin"],
    "partners": [
        "palermo",
        "liverpool",
        "vaulx",
        "sofia",
        "alba-iulia",
        "brussels",
        "apeldoorn",
        "zabrze",
        "malmo",
        "gijon",
    ],
}

NETCO = {
    "name": "NETCO – Network of Cities for Collaborative Housing",
    "scope": NetworkScope.EUROPEAN,
    "programme": "Citizens, Equality, Rights and Values (CERV), European Commission",
    "budget_eur": Decimal("152860"),
    "start_date": date(2022, 5, 1),
    "end_date": date(2024, 4, 30),
    "description": (
        "Mutual learning and exchange of good practice on collaborative housing at local level as a long-term policy "
        "answer to racial, gender and generational disparities. Collaborative housing means initiatives where "
        "residents take an active part in the ongoing management of their residential community; it promotes civic "
        "engagement and social cohesion, including lower-income households at risk of being pushed out of "
        "gentrifying neighbourhoods, especially young people, migrants, women and older people."
    ),
    "lead": ["barcelona"],
    "partners": [
        "bologna",
        "urban-lab",
        "ljubljana",
        "strasbourg",
        "zagreb",
        "oslo",
        "eindhoven",
        "brussels-region",
        "cluj",
        "lyon",
        "dresden",
        "amsterdam",
        "thessaloniki",
        "id22",
        "south-scotland",
    ],
}

RETI = {
    "name": "Reti solidali e competenti",
    "scope": NetworkScope.NATIONAL,
    "country": "IT",
    "programme": "Ministero del Lavoro e delle Politiche Sociali",
    "description": (
        "A 2022–2023 restart programme that strengthens local Third-sector networks in planning strategies for "
        "lasting social, economic and environmental change: capacity building of voluntary associations, "
        "sustainable and responsible consumption, and a culture of volunteering and active citizenship among young "
        "people. Its experiences are gathered in a digital library of good practices from the territories."
    ),
}
RETI_HUBS = [
    ("Reti solidali e competenti – Hub Nord", "Northern Italy"),
    ("Reti solidali e competenti – Hub Centro", "Central Italy"),
    ("Reti solidali e competenti – Hub Sud", "Southern Italy"),
]
RETI_RESIDENCIES = [("Torino", "Turin"), ("Firenze", "Florence"), ("Perugia", "Perugia"), ("Lecce", "Lecce")]


def _place(city: str | None, country: str):
    return find_city(city, country).point if city else None


def _organisations() -> dict[str, Organisation]:
    result = {}
    for key, (name, kind, country, city) in ORGANISATIONS.items():
        result[key], _ = Organisation.objects.update_or_create(
            slug=ascii_slug(name),
            defaults={
                "name": name,
                "kind": kind,
                "country": country,
                "city": city or "",
                "location": _place(city, country),
                "description": CESIE_DESCRIPTION if key == "cesie" else "",
            },
        )
    return result


def _network(spec: dict, organisations: dict[str, Organisation]) -> Network:
    fields = {k: v for k, v in spec.items() if k not in {"lead", "partners"}}
    network, _ = Network.objects.update_or_create(slug=ascii_slug(spec["name"]), defaults=fields)
    for role, keys in ((NetworkRole.LEAD, spec.get("lead", [])), (NetworkRole.PARTNER, spec.get("partners", []))):
        for key in keys:
            NetworkMembership.objects.update_or_create(
                network=network,
                organisation=organisations[key],
                defaults={"role": role, "start_date": spec.get("start_date"), "end_date": spec.get("end_date")},
            )
    return network


def _activity(title: str, *, network: Network, **fields) -> Activity:
    activity = network.activities.filter(title=title).first() or Activity(title=title)
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.save()
    network.activities.add(activity)
    return activity


def _reti(network: Network) -> None:
    for name, area in RETI_HUBS:
        Network.objects.update_or_create(
            slug=ascii_slug(name),
            defaults={
                "name": name,
                "scope": NetworkScope.REGIONAL,
                "country": "IT",
                "parent": network,
                "description": f"One of the three hubs of the programme: {area}.",
            },
        )
    _activity(
        "12 remote training modules",
        network=network,
        kind=ActivityKind.TRAINING,
        online=True,
        country="IT",
        participants_expected=2160,
        description="Twelve modules in three macro-actions, repeated in the northern, central and southern hubs.",
    )
    _activity(
        "On-demand tutoring",
        network=network,
        kind=ActivityKind.TUTORING,
        country="IT",
        participants_expected=300,
        description="For organisations that want longer paths on the module themes (decarbonisation, solidarity "
        "purchasing groups...).",
    )
    residencies = _activity(
        "Four residencies",
        network=network,
        kind=ActivityKind.PROGRAMME,
        country="IT",
        participants_expected=120,
        description="Thematic workshops where representatives of the three hubs meet initiatives that generated "
        "social innovation and impact.",
    )
    for local_name, gazetteer_name in RETI_RESIDENCIES:
        _activity(
            f"Residency in {local_name}",
            network=network,
            parent=residencies,
            kind=ActivityKind.RESIDENCY,
            city=local_name,
            country="IT",
            location=find_city(gazetteer_name, "IT").point,
        )


def load(*, with_imports: bool = True) -> None:
    organisations = _organisations()
    conet = _network(CONET, organisations)
    _network(NETCO, organisations)
    _reti(_network(RETI, organisations))
    _activity(
        "CoNet meeting on participation",
        network=conet,
        kind=ActivityKind.THEMATIC_MEETING,
        start_date=date(2010, 5, 27),
        end_date=date(2010, 5, 28),
        city="Alba Iulia",
        country="RO",
        location=find_city("Alba Iulia", "RO").point,
        description="Participants used the Future Workshop method of Robert Jungk to develop ideas and strategies.",
    )
