"""Demo data of the labs app: the six CoNECT Labs and the demo accounts' memberships.

The seeds say that CoNECT runs Labs in six EU countries without naming the cities; the six demo Labs sit in cities
the seeds do name (CoNet and NETCO partners, CESIE's Palermo), one per country. Places come from the offline gazetteer.
The seeds draw no territories either: each demo Lab's territory is the land within TERRITORY_KM of its city, the
reach of a metropolitan area (the Cluj Metropolitan Area and the Lyon Metropolis, NETCO partners, span some 20 km
from their centres; Berlin's suburbs and Potsdam lie within 30 km). Practices placed there belong to the Lab.
"""

from django.contrib.gis.geos import MultiPolygon, Point

from conect.demo import ACCOUNTS
from conect.gazetteer import find_city
from conect.models import User
from conect.text import ascii_slug
from labs.models import Lab, MembershipRole

TERRITORY_KM = 30
EUROPE_EQUAL_AREA = 3035  # ETRS89-LAEA, in metres: a buffer there is a true distance anywhere in Europe

# (name, country, gazetteer name, descriptions by language: English first, then the five others of the site)
LABS = [
    (
        "Palermo",
        "IT",
        "Palermo",
        {
            "en": "Home of CESIE and of the CoNet Local Action Plan for the Ballarò neighbourhood.",
            "it": "La città del CESIE e del Piano d'azione locale di CoNet per il quartiere di Ballarò.",
            "ro": "Orașul CESIE și al Planului de acțiune local al CoNet pentru cartierul Ballarò.",
            "fr": "La ville du CESIE et du plan d'action local de CoNet pour le quartier de Ballarò.",
            "de": "Sitz von CESIE und Ort des lokalen Aktionsplans von CoNet für das Viertel Ballarò.",
            "es": "La ciudad de CESIE y del plan de acción local de CoNet para el barrio de Ballarò.",
        },
    ),
    (
        "Cluj-Napoca",
        "RO",
        "Cluj-Napoca",
        {
            "en": "Works with the Cluj Metropolitan Area, a NETCO partner on collaborative housing.",
            "it": "Lavora con l'Area metropolitana di Cluj, partner di NETCO sull'abitare collaborativo.",
            "ro": "Lucrează cu Asociația de Dezvoltare Intercomunitară Zona Metropolitană Cluj, partener NETCO pentru "
            "locuințele colaborative.",
            "fr": "Travaille avec la zone métropolitaine de Cluj, partenaire de NETCO pour l'habitat participatif.",
            "de": "Arbeitet mit dem Metropolraum Cluj zusammen, einem NETCO-Partner für gemeinschaftliches Wohnen.",
            "es": "Trabaja con el Área Metropolitana de Cluj, socia de NETCO en vivienda colaborativa.",
        },
    ),
    (
        "Lyon",
        "FR",
        "Lyon",
        {
            "en": "Works with the Lyon Metropolis (NETCO) and Vaulx-en-Velin (CoNet).",
            "it": "Lavora con la Metropoli di Lione (NETCO) e con Vaulx-en-Velin (CoNet).",
            "ro": "Lucrează cu orașul metropolitan Lyon (NETCO) și cu Vaulx-en-Velin (CoNet).",
            "fr": "Travaille avec la Métropole de Lyon (NETCO) et Vaulx-en-Velin (CoNet).",
            "de": "Arbeitet mit der Metropole Lyon (NETCO) und Vaulx-en-Velin (CoNet) zusammen.",
            "es": "Trabaja con la Metrópolis de Lyon (NETCO) y con Vaulx-en-Velin (CoNet).",
        },
    ),
    (
        "Berlin",
        "DE",
        "Berlin",
        {
            "en": "In the city that led CoNet and is home to id22, a NETCO partner.",
            "it": "Nella città che ha guidato CoNet e dove ha sede id22, partner di NETCO.",
            "ro": "În orașul care a condus CoNet și unde își are sediul id22, partener NETCO.",
            "fr": "Dans la ville qui a coordonné CoNet et où est établi id22, partenaire de NETCO.",
            "de": "In der Stadt, die CoNet geleitet hat und in der id22 sitzt, ein Partner von NETCO.",
            "es": "En la ciudad que lideró CoNet y donde tiene su sede id22, socio de NETCO.",
        },
    ),
    (
        "Barcelona",
        "ES",
        "Barcelona",
        {
            "en": "In the city that led NETCO, the Network of Cities for Collaborative Housing.",
            "it": "Nella città che ha guidato NETCO, la rete di città per l'abitare collaborativo.",
            "ro": "În orașul care a condus NETCO, rețeaua orașelor pentru locuințe colaborative.",
            "fr": "Dans la ville qui a coordonné NETCO, le réseau de villes pour l'habitat participatif.",
            "de": "In der Stadt, die NETCO geleitet hat, das Städtenetzwerk für gemeinschaftliches Wohnen.",
            "es": "En la ciudad que lideró NETCO, la red de ciudades por la vivienda colaborativa.",
        },
    ),
    (
        "София",
        "BG",
        "Sofia",
        {
            "en": "In Sofia, a CoNet partner city, with the Bulgarian solidarity-economy initiatives.",
            "it": "A Sofia, città partner di CoNet, con le iniziative bulgare di economia solidale.",
            "ro": "La Sofia, oraș partener CoNet, împreună cu inițiativele bulgare de economie solidară.",
            "fr": "À Sofia, ville partenaire de CoNet, avec les initiatives bulgares d'économie solidaire.",
            "de": "In Sofia, einer Partnerstadt von CoNet, mit den bulgarischen Initiativen solidarischer Ökonomie.",
            "es": "En Sofía, ciudad socia de CoNet, con las iniciativas búlgaras de economía solidaria.",
        },
    ),
]


def territory_around(point: Point, km: float = TERRITORY_KM) -> MultiPolygon:
    """The land within `km` of `point`, as a WGS 84 multipolygon."""
    disc = point.transform(EUROPE_EQUAL_AREA, clone=True).buffer(km * 1000, quadsegs=16)
    disc.transform(4326)
    return MultiPolygon(disc, srid=4326)


def _labs() -> dict[str, Lab]:
    labs = {}
    for name, country, city, descriptions in LABS:
        point = find_city(city, country).point
        lab, _ = Lab.objects.update_or_create(
            slug=ascii_slug(name),
            defaults={
                "name": f"CoNECT Lab {name}",
                "country": country,
                "city": name,
                "location": point,
                "territory": territory_around(point),
                "description": descriptions["en"],
                "descriptions": {code: text for code, text in descriptions.items() if code != "en"},
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
