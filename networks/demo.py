"""Demo data of the networks app: the networks, programmes and organisations described in shared/seeds/ (their
activities are the activities app's). Every place gets its coordinates from the offline gazetteer (never typed in
here); rows are found by their slug and updated in place.
"""

from datetime import date
from decimal import Decimal

from conect.gazetteer import find_city
from conect.text import ascii_slug
from labs.moderation import ModerationState
from networks.models import (
    Direction,
    Network,
    NetworkMembership,
    NetworkRole,
    NetworkScope,
    Organisation,
    OrganisationKind,
    OrganisationRole,
    PracticeOrganisation,
    Relationship,
    RelationshipKind,
    Sector,
)
from practices.demo import SEEDS_SOURCE
from practices.models import Practice

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

# Descriptions in the site's six languages: English from the English seeds (CoNet, CESIE) or translated from the
# Italian and Romanian ones (Reti solidali e competenti, NETCO), whose own words the Italian and Romanian texts keep.
CESIE_DESCRIPTIONS = {
    "en": "A European centre of studies and initiatives dedicated to research and development that improves "
    "future-oriented innovation in educational, social, economic and cultural spheres. Contact for the CoNet network.",
    "it": "Centro europeo di studi e iniziative dedicato alla ricerca e allo sviluppo, per migliorare i processi di "
    "innovazione orientati al futuro in ambito educativo, sociale, economico e culturale. Contatto per la rete CoNet.",
    "ro": "Un centru european de studii și inițiative dedicat cercetării și dezvoltării, care îmbunătățește inovarea "
    "orientată spre viitor în domeniile educațional, social, economic și cultural. Contact pentru rețeaua CoNet.",
    "fr": "Un centre européen d'études et d'initiatives voué à la recherche et au développement, qui améliore "
    "l'innovation tournée vers l'avenir dans les domaines éducatif, social, économique et culturel. Contact pour le "
    "réseau CoNet.",
    "de": "Ein europäisches Zentrum für Studien und Initiativen, das sich Forschung und Entwicklung widmet und "
    "zukunftsorientierte Innovation in Bildung, Sozialem, Wirtschaft und Kultur voranbringt. Ansprechpartner für das "
    "Netzwerk CoNet.",
    "es": "Un centro europeo de estudios e iniciativas dedicado a la investigación y el desarrollo, que mejora la "
    "innovación orientada al futuro en los ámbitos educativo, social, económico y cultural. Contacto de la red CoNet.",
}

CONET = {
    "name": "CoNet – Cohesion Network",
    "scope": NetworkScope.EUROPEAN,
    "programme": "URBACT II – Thematic Networks (European Regional Development Fund)",
    "start_date": date(2008, 4, 21),
    "end_date": date(2011, 5, 20),
    "descriptions": {
        "en": "To learn more about integrated approaches to strengthen social cohesion in disadvantaged "
        "neighbourhoods and implement this knowledge in innovative local projects. Local Support Groups worked on "
        "Local Action Plans; thematic meetings took place in each partner city, with a city-to-city support scheme "
        "bringing officers and experts from one city to another for a direct transfer of know-how. Results include "
        "CoNet's Guide to Social Cohesion and the Local Action Plan of Palermo for the Ballarò area.",
        "it": "Conoscere meglio gli approcci integrati per rafforzare la coesione sociale nei quartieri svantaggiati e "
        "applicare queste conoscenze in progetti locali innovativi. I Gruppi di supporto locale hanno lavorato ai "
        "Piani d'azione locali; in ogni città partner si sono tenuti incontri tematici, con un programma di sostegno "
        "da città a città che ha portato funzionari ed esperti da una città all'altra per un trasferimento diretto di "
        "competenze. Tra i risultati, la Guida di CoNet alla coesione sociale e il Piano d'azione locale di Palermo "
        "per l'area di Ballarò.",
        "ro": "Să afle mai multe despre abordările integrate care consolidează coeziunea socială în cartierele "
        "defavorizate și să aplice aceste cunoștințe în proiecte locale inovatoare. Grupurile locale de sprijin au "
        "lucrat la Planuri de acțiune locale; în fiecare oraș partener au avut loc întâlniri tematice, iar un program "
        "de sprijin de la oraș la oraș a adus funcționari și experți dintr-un oraș în altul, pentru un transfer direct "
        "de know-how. Printre rezultate se numără Ghidul CoNet pentru coeziune socială și Planul de acțiune local al "
        "orașului Palermo pentru zona Ballarò.",
        "fr": "Mieux connaître les approches intégrées qui renforcent la cohésion sociale dans les quartiers "
        "défavorisés et mettre ces connaissances en œuvre dans des projets locaux innovants. Des groupes de soutien "
        "locaux ont travaillé à des plans d'action locaux ; des réunions thématiques se sont tenues dans chaque ville "
        "partenaire, et un dispositif d'appui de ville à ville a fait venir des agents et des experts d'une ville à "
        "l'autre pour un transfert direct de savoir-faire. Parmi les résultats : le Guide de la cohésion sociale de "
        "CoNet et le plan d'action local de Palerme pour le quartier de Ballarò.",
        "de": "Mehr über integrierte Ansätze zur Stärkung des sozialen Zusammenhalts in benachteiligten Stadtvierteln "
        "lernen und dieses Wissen in innovativen lokalen Projekten umsetzen. Lokale Unterstützungsgruppen arbeiteten "
        "an lokalen Aktionsplänen; in jeder Partnerstadt fanden thematische Treffen statt, und ein Programm der "
        "Unterstützung von Stadt zu Stadt brachte Verwaltungsleute und Fachleute von einer Stadt in die andere, für "
        "einen direkten Transfer von Know-how. Zu den Ergebnissen gehören der CoNet-Leitfaden zum sozialen "
        "Zusammenhalt und der lokale Aktionsplan Palermos für das Viertel Ballarò.",
        "es": "Conocer mejor los enfoques integrados que refuerzan la cohesión social en los barrios desfavorecidos y "
        "aplicar ese conocimiento en proyectos locales innovadores. Grupos locales de apoyo trabajaron en planes de "
        "acción locales; en cada ciudad socia se celebraron reuniones temáticas, y un programa de apoyo de ciudad a "
        "ciudad llevó a técnicos y expertos de una ciudad a otra para una transferencia directa de conocimientos. "
        "Entre los resultados figuran la Guía de CoNet sobre cohesión social y el plan de acción local de Palermo "
        "para la zona de Ballarò.",
    },
    # Seed 003 lists the partners under "Coordinator: City of Berlin (Germany)".
    "evidence": "“CoNet – Cohesion Network”, CESIE's project page (CoNECT seed document 003): partners, coordinator",
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
    "descriptions": {
        "en": "Mutual learning and exchange of good practice on collaborative housing at local level as a long-term "
        "policy answer to racial, gender and generational disparities. Collaborative housing means initiatives where "
        "residents take an active part in the ongoing management of their residential community; it promotes civic "
        "engagement and social cohesion, including lower-income households at risk of being pushed out of "
        "gentrifying neighbourhoods, especially young people, migrants, women and older people.",
        "it": "Apprendimento reciproco e scambio di buone pratiche sull'abitare collaborativo a livello locale, come "
        "risposta politica di lungo periodo alle disparità razziali, di genere e tra generazioni. Per abitare "
        "collaborativo si intendono le iniziative in cui gli abitanti partecipano attivamente alla gestione "
        "continuativa della loro comunità residenziale; promuove l'impegno civico e la coesione sociale, includendo "
        "le famiglie a basso reddito che rischiano di essere espulse dai quartieri in via di gentrificazione, in "
        "particolare giovani, migranti, donne e anziani.",
        "ro": "Învățare reciprocă și schimb de bune practici cu privire la formulele de locuire colectivă la nivel "
        "local, ca soluție politică pe termen lung pentru disparitățile rasiale, de gen și de generații. „Locuințele "
        "colaborative” sunt acele inițiative în care locuitorii au un rol activ în gestionarea continuă a comunității "
        "rezidențiale; ele promovează implicarea civică și coeziunea socială, prin includerea gospodăriilor cu "
        "venituri mai mici, care ar putea fi eliminate din cartierele gentrificate, în special tinerii, migranții, "
        "femeile și persoanele în vârstă.",
        "fr": "Apprentissage mutuel et échange de bonnes pratiques sur l'habitat participatif à l'échelle locale, "
        "comme réponse politique de long terme aux inégalités raciales, de genre et entre générations. L'habitat "
        "participatif désigne les initiatives où les habitants prennent une part active à la gestion continue de leur "
        "communauté résidentielle ; il favorise l'engagement civique et la cohésion sociale, y compris des ménages "
        "à faibles revenus menacés d'être chassés des quartiers en voie de gentrification, en particulier les jeunes, "
        "les migrants, les femmes et les personnes âgées.",
        "de": "Gegenseitiges Lernen und Austausch guter Praxis zum gemeinschaftlichen Wohnen auf lokaler Ebene, als "
        "langfristige politische Antwort auf ethnische, geschlechtsbezogene und generationenbedingte Ungleichheiten. "
        "Gemeinschaftliches Wohnen meint Initiativen, in denen die Bewohnerinnen und Bewohner aktiv an der laufenden "
        "Verwaltung ihrer Wohnanlage mitwirken; es fördert bürgerschaftliches Engagement und sozialen Zusammenhalt "
        "und bezieht Haushalte mit geringerem Einkommen ein, denen die Verdrängung aus gentrifizierten Vierteln "
        "droht, besonders junge Menschen, Migrantinnen und Migranten, Frauen und ältere Menschen.",
        "es": "Aprendizaje mutuo e intercambio de buenas prácticas sobre vivienda colaborativa a escala local, como "
        "respuesta política a largo plazo a las desigualdades raciales, de género y entre generaciones. La vivienda "
        "colaborativa designa las iniciativas en las que los residentes participan activamente en la gestión continua "
        "de su comunidad residencial; promueve el compromiso cívico y la cohesión social e incluye a los hogares con "
        "menos ingresos, en riesgo de ser expulsados de los barrios gentrificados, en especial jóvenes, migrantes, "
        "mujeres y personas mayores.",
    },
    # Seed 002: "Partener principal: Orașul Barcelona. Parteneri: ...".
    "evidence": "“NETCO – Network of Cities for Collaborative Housing”, project page (CoNECT seed document 002): "
    "Parteneri în proiect",
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
    "descriptions": {
        "en": "A 2022–2023 restart programme that strengthens local Third-sector networks in planning strategies for "
        "lasting social, economic and environmental change: capacity building of voluntary associations, "
        "sustainable and responsible consumption, and a culture of volunteering and active citizenship among young "
        "people. Its experiences are gathered in a digital library of good practices from the territories.",
        "it": "Un programma di ripartenza 2022–2023 che rafforza le reti territoriali del Terzo settore nella capacità "
        "di programmare e pianificare strategie di intervento in grado di produrre cambiamenti sociali, economici e "
        "ambientali radicati, duraturi e sostenibili: capacity building delle reti associative, conoscenza del "
        "consumo sostenibile e responsabile, cultura del volontariato e della cittadinanza attiva, in particolare tra "
        "i giovani. Le esperienze dei territori sono messe in rete in una libreria digitale di buone pratiche.",
        "ro": "Un program de relansare 2022–2023 care întărește rețelele locale ale sectorului terț în planificarea "
        "unor strategii pentru schimbări sociale, economice și de mediu durabile: consolidarea capacităților "
        "asociațiilor de voluntariat, consumul sustenabil și responsabil și o cultură a voluntariatului și a "
        "cetățeniei active în rândul tinerilor. Experiențele sale sunt reunite într-o bibliotecă digitală de bune "
        "practici din teritorii.",
        "fr": "Un programme de relance 2022–2023 qui renforce les réseaux locaux du tiers secteur dans la "
        "planification de stratégies pour un changement social, économique et environnemental durable : "
        "renforcement des capacités des associations de bénévoles, consommation durable et responsable, et culture "
        "du bénévolat et de la citoyenneté active chez les jeunes. Ses expériences sont rassemblées dans une "
        "bibliothèque numérique de bonnes pratiques des territoires.",
        "de": "Ein Neustartprogramm 2022–2023, das lokale Netzwerke des Dritten Sektors darin stärkt, Strategien für "
        "dauerhaften sozialen, wirtschaftlichen und ökologischen Wandel zu planen: Kompetenzaufbau der "
        "Freiwilligenvereine, nachhaltiger und verantwortungsvoller Konsum sowie eine Kultur des Ehrenamts und der "
        "aktiven Bürgerschaft unter jungen Menschen. Seine Erfahrungen werden in einer digitalen Bibliothek guter "
        "Praxis aus den Regionen gesammelt.",
        "es": "Un programa de relanzamiento 2022–2023 que refuerza las redes locales del tercer sector en la "
        "planificación de estrategias para un cambio social, económico y ambiental duradero: fortalecimiento de las "
        "capacidades de las asociaciones de voluntariado, consumo sostenible y responsable, y una cultura del "
        "voluntariado y de la ciudadanía activa entre los jóvenes. Sus experiencias se reúnen en una biblioteca "
        "digital de buenas prácticas de los territorios.",
    },
}
HUB_SENTENCE = {
    "en": "One of the three hubs of the programme: {area}.",
    "it": "Uno dei tre hub del programma: {area}.",
    "ro": "Unul dintre cele trei huburi ale programului: {area}.",
    "fr": "L'un des trois pôles du programme : {area}.",
    "de": "Einer der drei Hubs des Programms: {area}.",
    "es": "Uno de los tres polos del programa: {area}.",
}
RETI_HUBS = [
    (
        "Reti solidali e competenti – Hub Nord",
        {"en": "Northern Italy", "it": "il Nord Italia", "ro": "nordul Italiei", "fr": "le nord de l'Italie",
         "de": "Norditalien", "es": "el norte de Italia"},
    ),
    (
        "Reti solidali e competenti – Hub Centro",
        {"en": "Central Italy", "it": "il Centro Italia", "ro": "centrul Italiei", "fr": "le centre de l'Italie",
         "de": "Mittelitalien", "es": "el centro de Italia"},
    ),
    (
        "Reti solidali e competenti – Hub Sud",
        {"en": "Southern Italy", "it": "il Sud Italia", "ro": "sudul Italiei", "fr": "le sud de l'Italie",
         "de": "Süditalien", "es": "el sur de Italia"},
    ),
]  # fmt: skip
# Activities' descriptions, by title.
# The Local Action Plan for Ballarò is the City of Palermo's, as a CoNet partner (practices.demo).
SEED_PRACTICE_ORGANISATIONS = [("conet-ballaro-local-action-plan", "palermo")]


def _place(city: str | None, country: str):
    return find_city(city, country).point if city else None


def _described(texts: dict[str, str]) -> dict:
    """The fields of a description given in every language: English in `description`, the others beside it."""
    return {"description": texts["en"], "descriptions": {code: text for code, text in texts.items() if code != "en"}}


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
                # Municipalities and public bodies are the public sector; NGOs and associations the civic one.
                "sector": Sector.PUBLIC if kind == OrganisationKind.MUNICIPALITY else Sector.CIVIC,
                "state": ModerationState.PUBLISHED,
                **_described(CESIE_DESCRIPTIONS if key == "cesie" else {"en": ""}),
            },
        )
    return result


def _network(spec: dict, organisations: dict[str, Organisation]) -> Network:
    fields = {k: v for k, v in spec.items() if k not in {"lead", "partners", "descriptions", "evidence"}}
    fields |= _described(spec["descriptions"])
    network, _ = Network.objects.update_or_create(slug=ascii_slug(spec["name"]), defaults=fields)
    for role, keys in ((NetworkRole.LEAD, spec.get("lead", [])), (NetworkRole.PARTNER, spec.get("partners", []))):
        for key in keys:
            NetworkMembership.objects.update_or_create(
                network=network,
                organisation=organisations[key],
                defaults={"role": role, "start_date": spec.get("start_date"), "end_date": spec.get("end_date")},
            )
    return network


def _lead_to_partners(network: Network, spec: dict, organisations: dict[str, Organisation]) -> None:
    """What the seeds state of the ties within a network: its lead partner works with each partner. A partnership
    from the lead to each partner, within the network, for the network's period, citing the seed; no strength (the
    seeds give none) and no Lab (they come from the seeds, not from a Lab's mapping). Saved only when new or changed,
    so loading the demo again adds no history."""
    wanted = {
        "direction": Direction.DIRECTED,
        "start_date": spec.get("start_date"),
        "end_date": spec.get("end_date"),
        "evidence": spec["evidence"],
        "state": ModerationState.PUBLISHED,
        "lab": None,
    }
    for lead in spec["lead"]:
        for partner in spec["partners"]:
            tie = {
                "source": organisations[lead],
                "target": organisations[partner],
                "kind": RelationshipKind.PARTNERSHIP,
                "network": network,
            }
            relationship = Relationship.objects.filter(**tie).first() or Relationship(**tie)
            if relationship.pk is None or any(getattr(relationship, k) != v for k, v in wanted.items()):
                for name, value in wanted.items():
                    setattr(relationship, name, value)
                relationship.save()


def _reti(network: Network) -> None:
    for name, areas in RETI_HUBS:
        Network.objects.update_or_create(
            slug=ascii_slug(name),
            defaults={
                "name": name,
                "scope": NetworkScope.REGIONAL,
                "country": "IT",
                "parent": network,
                **_described({code: sentence.format(area=areas[code]) for code, sentence in HUB_SENTENCE.items()}),
            },
        )


def _practice_organisations(organisations: dict[str, Organisation]) -> None:
    """Who runs the practices the seeds describe (practices.demo.SEED_PRACTICES)."""
    for source_id, key in SEED_PRACTICE_ORGANISATIONS:
        practice = Practice.objects.filter(source=SEEDS_SOURCE, source_id=source_id).first()
        if practice is not None:
            PracticeOrganisation.objects.update_or_create(
                practice=practice, organisation=organisations[key], defaults={"role": OrganisationRole.INITIATOR}
            )


def load(*, with_imports: bool = True) -> None:
    organisations = _organisations()
    for spec in (CONET, NETCO):
        _lead_to_partners(_network(spec, organisations), spec, organisations)
    _reti(_network(RETI, organisations))
    _practice_organisations(organisations)
    from networks.analysis import analyse_now  # the demo's networks come with their figures

    analyse_now()
