"""Demo data of the indicators app, loaded through the same import paths users have (indicators.exchange for the
frameworks, indicators.importers for values), never with invented figures:

- The CoNECT community resilience framework (published): five dimensions, and indicators drawn from the seeds. Seed
  000 (CoNECT's goals: map practices of community resilience toward ecological transition, co-create places and
  initiatives with professionals, researchers and community, share knowledge on a platform, and goal 5: indicators);
  seed 001 (Reti solidali e competenti: 12 remote training modules for 2,160 people, on-demand tutoring for 300 on
  decarbonisation and solidarity purchasing groups, four residencies for 120, a digital library of the territories'
  experiences; the third sector's capacity, volunteering among young people); seed 003 (CoNet's Local Support Groups).
  People reached by the three programmes come from the activities' attendance (their planned figures are the
  targets); no value is entered, as no seed states one.
- UNDP's Human Development Index 2022 (public), from indicators/data/hdi-2022: the framework file and UNDP's inputs
  for 193 countries, imported and approved by the demo coordinator.
"""

from pathlib import Path

from activities.models import Programme
from conect.models import User
from indicators import exchange
from indicators.models import Framework

CODE = "conect-resilience"
HDI = Path(__file__).resolve().parent / "data" / "hdi-2022"
COORDINATOR = "coordinator@conect.example"

DIMENSIONS = [
    ("SOCIAL", "Social", {"it": "Sociale", "ro": "Social", "fr": "Social", "de": "Sozial", "es": "Social"}),
    ("ECONOMIC", "Economic",
     {"it": "Economica", "ro": "Economic", "fr": "Économique", "de": "Wirtschaftlich", "es": "Económica"}),
    ("ENVIRONMENTAL", "Environmental",
     {"it": "Ambientale", "ro": "Mediu", "fr": "Environnementale", "de": "Ökologisch", "es": "Ambiental"}),
    ("GOVERNANCE", "Governance",
     {"it": "Governance", "ro": "Guvernanță", "fr": "Gouvernance", "de": "Governance", "es": "Gobernanza"}),
    ("CULTURAL", "Cultural", {"it": "Culturale", "ro": "Cultural", "fr": "Culturelle", "de": "Kulturell",
                              "es": "Cultural"}),
]  # fmt: skip

# (code, dimension, name, names, definition, fields): only what the seeds name; feeds link to the demo programmes.
INDICATORS = [
    ("PEOPLE_REACHED", "SOCIAL", "People reached by the Lab's activities",
     {"it": "Persone raggiunte dalle attività del Lab", "ro": "Persoane atinse de activitățile Labului",
      "fr": "Personnes touchées par les activités du Lab", "de": "Von den Aktivitäten des Labs erreichte Menschen",
      "es": "Personas alcanzadas por las actividades del Lab"},
     "Everyone who took part in the activities the Lab reported, counted once per activity from their attendance.",
     {"feed": "attendance", "unit": "people", "cumulative": True}),
    ("TRAINED", "SOCIAL", "People reached by the remote training modules",
     {"it": "Persone raggiunte dai moduli formativi da remoto", "ro": "Persoane atinse de modulele de formare la "
      "distanță", "fr": "Personnes touchées par les modules de formation à distance",
      "de": "Von den Online-Schulungsmodulen erreichte Menschen",
      "es": "Personas alcanzadas por los módulos de formación a distancia"},
     "Participants in the 12 remote training modules of Reti solidali e competenti (planned: 2,160 people in the "
     "northern, central and southern hubs).",
     {"feed": "attendance", "feed_activity_kind": "training", "programme": "12 remote training modules",
      "unit": "people", "cumulative": True}),
    ("TUTORED", "SOCIAL", "People reached by on-demand tutoring",
     {"it": "Persone raggiunte dal tutoraggio on demand", "ro": "Persoane atinse de tutoratul la cerere",
      "fr": "Personnes touchées par le tutorat à la demande", "de": "Vom Tutoring auf Anfrage erreichte Menschen",
      "es": "Personas alcanzadas por las tutorías a demanda"},
     "Participants in the on-demand tutoring on the modules' themes (planned: 300 people).",
     {"feed": "attendance", "feed_activity_kind": "tutoring", "programme": "On-demand tutoring", "unit": "people",
      "cumulative": True}),
    ("RESIDENTS", "SOCIAL", "People reached by the residencies",
     {"it": "Persone raggiunte dalle residenze", "ro": "Persoane atinse de rezidențe",
      "fr": "Personnes touchées par les résidences", "de": "Von den Residenzen erreichte Menschen",
      "es": "Personas alcanzadas por las residencias"},
     "Representatives of the hubs who took part in the four residencies in Torino, Firenze, Perugia and Lecce "
     "(planned: 120 people).",
     {"feed": "attendance", "feed_activity_kind": "residency", "programme": "Four residencies", "unit": "people",
      "cumulative": True}),
    ("YOUNG_VOLUNTEERS", "SOCIAL", "Young people volunteering",
     {"it": "Giovani impegnati nel volontariato", "ro": "Tineri voluntari", "fr": "Jeunes bénévoles",
      "de": "Junge Freiwillige", "es": "Jóvenes voluntarios"},
     "Young people of the territory who volunteer in the Lab's practices during the period.",
     {"unit": "people"}),
    ("THIRD_SECTOR", "ECONOMIC", "Third-sector organisations strengthened",
     {"it": "Enti del Terzo settore rafforzati", "ro": "Organizații neguvernamentale consolidate",
      "fr": "Organisations du tiers secteur renforcées", "de": "Gestärkte Organisationen des Dritten Sektors",
      "es": "Organizaciones del tercer sector fortalecidas"},
     "Third-sector organisations whose capacity the Lab's training, tutoring or residencies supported.",
     {"unit": "organisations"}),
    ("PURCHASING_GROUPS", "ECONOMIC", "Solidarity purchasing groups supported",
     {"it": "Gruppi di acquisto solidale sostenuti", "ro": "Grupuri de achiziții solidare sprijinite",
      "fr": "Groupes d'achat solidaires soutenus", "de": "Unterstützte solidarische Einkaufsgemeinschaften",
      "es": "Grupos de compra solidaria apoyados"},
     "Solidarity purchasing groups started or supported through the Lab's paths.",
     {"unit": "groups"}),
    ("TRANSITION_PRACTICES", "ENVIRONMENTAL", "Practices of the ecological transition",
     {"it": "Pratiche di transizione ecologica", "ro": "Practici ale tranziției ecologice",
      "fr": "Pratiques de la transition écologique", "de": "Praktiken des ökologischen Wandels",
      "es": "Prácticas de la transición ecológica"},
     "Practices of community resilience mapped by the Lab that work toward the ecological transition.",
     {"unit": "practices"}),
    ("DECARBONISATION", "ENVIRONMENTAL", "Decarbonisation paths started",
     {"it": "Percorsi di decarbonizzazione avviati", "ro": "Parcursuri de decarbonizare începute",
      "fr": "Parcours de décarbonation engagés", "de": "Begonnene Wege zur Dekarbonisierung",
      "es": "Itinerarios de descarbonización iniciados"},
     "Longer paths on decarbonisation that organisations started after the modules, with the Lab's tutoring.",
     {"unit": "paths"}),
    ("SUPPORT_GROUPS", "GOVERNANCE", "People in Local Support Groups",
     {"it": "Persone nei gruppi di supporto locale", "ro": "Persoane în grupurile locale de sprijin",
      "fr": "Personnes dans les groupes locaux d'appui", "de": "Menschen in lokalen Unterstützungsgruppen",
      "es": "Personas en los grupos locales de apoyo"},
     "People who took part in the Lab's Local Support Group meetings (as CoNet's groups worked on Local Action "
     "Plans), from their attendance.",
     {"feed": "attendance", "feed_activity_kind": "local_group", "unit": "people", "cumulative": True}),
    ("COLLABORATIONS", "GOVERNANCE", "Collaborations of professionals, researchers and community",
     {"it": "Collaborazioni tra professionisti, ricercatori e comunità",
      "ro": "Colaborări între profesioniști, cercetători și comunitate",
      "fr": "Collaborations entre professionnels, chercheurs et communauté",
      "de": "Kooperationen von Fachleuten, Forschenden und Gemeinschaft",
      "es": "Colaboraciones entre profesionales, investigadores y comunidad"},
     "Places or initiatives of social resilience set up or enhanced together by professionals, researchers and the "
     "community.",
     {"unit": "collaborations"}),
    ("PRACTICES_MAPPED", "CULTURAL", "Practices of community resilience mapped",
     {"it": "Pratiche di resilienza di comunità mappate", "ro": "Practici de reziliență comunitară cartografiate",
      "fr": "Pratiques de résilience communautaire cartographiées",
      "de": "Kartierte Praktiken gemeinschaftlicher Resilienz",
      "es": "Prácticas de resiliencia comunitaria mapeadas"},
     "Existing spaces and practices of community resilience the Lab mapped on the platform.",
     {"unit": "practices"}),
    ("LIBRARY_SHARED", "CULTURAL", "Experiences shared in the digital library",
     {"it": "Esperienze condivise nella libreria digitale", "ro": "Experiențe împărtășite în biblioteca digitală",
      "fr": "Expériences partagées dans la bibliothèque numérique",
      "de": "In der digitalen Bibliothek geteilte Erfahrungen",
      "es": "Experiencias compartidas en la biblioteca digital"},
     "Experiences of the territories the Lab put in the digital library, a place to learn from good practices.",
     {"unit": "resources"}),
    ("SHARED_SHARE", None, "Share of mapped practices shared in the library",
     {"it": "Quota di pratiche mappate condivise nella libreria",
      "ro": "Ponderea practicilor cartografiate împărtășite în bibliotecă",
      "fr": "Part des pratiques cartographiées partagées dans la bibliothèque",
      "de": "Anteil der kartierten Praktiken, die in der Bibliothek geteilt wurden",
      "es": "Proporción de prácticas mapeadas compartidas en la biblioteca"},
     "Experiences shared in the digital library for every hundred practices mapped.",
     {"formula": "LIBRARY_SHARED / PRACTICES_MAPPED", "factor": 100.0, "unit": "%", "type": "amount"}),
]  # fmt: skip

GENDER = {"it": "Genere", "ro": "Gen", "fr": "Genre", "de": "Geschlecht", "es": "Género"}
CATEGORIES = [
    ("women", "Women", {"it": "Donne", "ro": "Femei", "fr": "Femmes", "de": "Frauen", "es": "Mujeres"}),
    ("men", "Men", {"it": "Uomini", "ro": "Bărbați", "fr": "Hommes", "de": "Männer", "es": "Hombres"}),
    ("other", "Other or not said",
     {"it": "Altro o non dichiarato", "ro": "Altul sau nedeclarat", "fr": "Autre ou non précisé",
      "de": "Anderes oder keine Angabe", "es": "Otro o no indicado"}),
]  # fmt: skip


def resilience_framework() -> dict:
    """The CoNECT framework in the exchange format (indicators.exchange)."""
    indicators = []
    for position, (code, dimension, name, names, definition, fields) in enumerate(INDICATORS):
        fields = {key: value for key, value in fields.items() if key != "programme"}
        indicators.append(
            {"code": code, "name": name, "names": names, "definition": definition, "dimension": dimension,
             "level": "lab", "frequency": "year", "data_source": "CoNECT Lab reports", "position": position,
             "type": "count", **fields}
        )  # fmt: skip
    return {
        "format": exchange.FORMAT,
        "format_version": exchange.FORMAT_VERSION,
        "code": CODE,
        "version": 1,
        "name": "CoNECT community resilience framework",
        "names": {
            "it": "Quadro CoNECT della resilienza di comunità",
            "ro": "Cadrul CoNECT al rezilienței comunitare",
            "fr": "Cadre CoNECT de la résilience communautaire",
            "de": "CoNECT-Rahmen für gemeinschaftliche Resilienz",
            "es": "Marco CoNECT de resiliencia comunitaria",
        },
        "description": "Indicators and a monitoring and evaluation framework for community resilience, scalable "
        "beyond the participating countries (CoNECT's fifth goal): what the Labs map, connect and strengthen, in five "
        "dimensions.",
        "index_name": "Community resilience index",
        "source": "CoNECT",
        "disaggregations": {
            "gender": {
                "name": "Gender",
                "names": GENDER,
                "categories": [{"code": c, "name": n, "names": t} for c, n, t in CATEGORIES],
            }
        },
        "method": {
            "normalisation": "minmax",
            "weights": "framework",
            "aggregation": {"dimension": "arithmetic", "index": "arithmetic"},
            "missing": "exclude",
        },
        "dimensions": [
            {"code": code, "name": name, "names": names, "weight": 1.0, "parent": None, "position": position}
            for position, (code, name, names) in enumerate(DIMENSIONS)
        ],
        "indicators": indicators,
    }


def _link_programmes(framework: Framework) -> None:
    for code, *_rest, fields in INDICATORS:
        if "programme" in fields:
            programme = Programme.objects.filter(title=fields["programme"]).first()
            framework.indicators.filter(code=code).update(feed_programme=programme)


def load(*, with_imports: bool = True) -> None:
    coordinator = User.objects.filter(email=COORDINATOR).first()
    framework = Framework.objects.filter(code=CODE).order_by("-version").first()
    if framework is None:
        framework = exchange.import_framework(resilience_framework(), by=coordinator, publish=True)
    _link_programmes(framework)
    if not Framework.objects.filter(code="hdi").exists():
        _load_hdi(coordinator)


def _load_hdi(coordinator) -> None:
    from indicators.importers import import_measurements

    framework = exchange.import_framework(HDI / "framework.json", by=coordinator, publish=True)
    report = import_measurements(framework=framework, rows_or_file=HDI / "inputs.csv", by=coordinator, state="approved")
    if not report.imported:
        reasons = [reason for row in report.rows for reason in row.reasons][:5]
        raise RuntimeError(f"the HDI values were refused: {reasons}")
