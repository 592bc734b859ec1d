"""Demo data of the practices app: two practices the seeds describe, and the initiatives of the SUSY map.

The SUSY file (public domain) is imported once, published, through the importer like any file, plus what the file says
beyond the importer's columns, added to each planned row so that it is written with it (one history row each):
- themes, resilience dimensions and target groups from its categories and free words, by hand-made tables
  (vocabularies.SUSY_CATEGORIES and SUSY_WORDS) instead of the importer's guesses from fragments of words;
- the Lab whose territory holds the practice (labs.demo draws the demo Labs' territories);
- what a row states outright, checked by hand (SUSY_STATED).
What the file does not say stays unknown: it names no SDG, no scale and no paused initiative, so none is given.
"""

import re
from collections import defaultdict
from datetime import date
from pathlib import Path

from django.contrib.gis.geos import Point

from conect.gazetteer import find_city
from labs.models import Lab
from labs.moderation import ModerationState
from practices import importers
from practices.models import Practice, PracticeTranslation, Theme
from practices.vocabularies import (
    SUSY_CATEGORIES,
    SUSY_CATEGORY_ALIASES,
    SUSY_WORDS,
    PracticeStatus,
    ResilienceDimension,
    Scale,
    TargetGroup,
)

SUSY_FILE = Path(__file__).resolve().parent / "data" / "susy-ssedas.geojson"
SUSY_SOURCE = "susy-ssedas"
SEEDS_SOURCE = "conect-seeds"
THEMES_COLUMN = "conect:themes"

# The file writes description:de three more ways.
DESCRIPTION_MISSPELLINGS = {"description_de": "description:de", "descripiton:de": "description:de",
                            "desription:de": "description:de"}  # fmt: skip
# Keys that hold names, texts, addresses, contacts, links or identifiers: every other key, and its values, are words
# about the initiative ("provides": "health;culture", "free_keywords", and tags written as keys: "women": "refugee").
NOT_WORDS = re.compile(r"name|desc.*|addr:.*|contact:.*|website|image.*|video|osm|opening_hours.*|_.*|geometry:.*|"
                       r"SSEDAS_PARTNER|type_of_initiative|conect:.*")  # fmt: skip
# What single rows state outright, read by hand. The F23 literary garden in Vienna ran "bis 30. September 2017".
SUSY_STATED = {
    "76100b453de20da6744eac8670082d04": {"status": PracticeStatus.ENDED, "end_date": date(2017, 9, 30)},
}


def load(*, with_imports: bool = True) -> None:
    for seed in SEED_PRACTICES:
        _seed_practice(seed)
    if with_imports and not Practice.objects.filter(source=SUSY_SOURCE).exists():
        import_susy()


def susy_terms(row: dict[str, str]) -> tuple[list[str], list[str], list[str]]:
    """The themes, resilience dimensions and target groups a row of the SUSY file states, most telling first."""
    found: tuple[list[str], list[str], list[str]] = ([], [], [])

    def add(entry: str) -> None:
        for values, words in zip(found, entry.split(";"), strict=True):
            values.extend(word for word in words.split() if word not in values)

    for token in re.split(r"[;,]", row.get("type_of_initiative", "")):
        category = token.strip().casefold()
        add(SUSY_CATEGORIES.get(SUSY_CATEGORY_ALIASES.get(category, category), ";;"))
    for key, value in row.items():
        if not NOT_WORDS.fullmatch(key):
            for word in [key, *value.split(";")]:
                add(SUSY_WORDS.get(word.strip().casefold(), ";;"))
    return found


def susy_table() -> importers.Table:
    """The SUSY file, its misspelt columns mended and a column of the themes its categories and words state."""
    table = importers.read_table(SUSY_FILE.read_bytes(), SUSY_FILE.name)
    for row in table.rows:
        for wrong, right in DESCRIPTION_MISSPELLINGS.items():
            if row.get(wrong) and not row.get(right):
                row[right] = row.pop(wrong)
        row[THEMES_COLUMN] = ";".join(susy_terms(row)[0])
    table.columns = [c for c in table.columns if c not in DESCRIPTION_MISSPELLINGS] + [THEMES_COLUMN]
    return table


def import_susy() -> None:
    """Plan the SUSY file, add what it says beyond the importer's columns, and write each Lab's share into it."""
    table = susy_table()
    mapping = importers.guess_mapping(table)
    mapping.pop("categories", None)  # mapped by hand above, not guessed from fragments of words
    mapping["themes"] = THEMES_COLUMN
    rows = importers.plan(table, mapping, source=SUSY_SOURCE)
    labs = list(Lab.objects.exclude(territory=None))
    by_lab = defaultdict(list)
    for row, line in zip(rows, table.rows, strict=True):
        _, dimensions, target_groups = susy_terms(line)
        row.values.update(dimensions=dimensions, target_groups=target_groups, **SUSY_STATED.get(line.get("_id"), {}))
        place = row.values.get("location")
        by_lab[next((lab for lab in labs if place is not None and lab.territory.contains(place)), None)].append(row)
    for lab, lab_rows in by_lab.items():
        importers.apply(lab_rows, source=SUSY_SOURCE, lab=lab, by=None, publish=True, strict=False)


# Practices the seeds (shared/seeds/) describe, with what they say of them and nothing more.
SEED_PRACTICES = [
    {
        # The CoNet seed: "Local Action Plan Palermo, Italy" for the Ballarò focus area, by the Local Support Group
        # of a CoNet partner city, "working towards GOVERNANCE and integrated planning"; CoNet ran 2008-2011.
        "source_id": "conet-ballaro-local-action-plan",
        "lab": "palermo",
        "place": ("Palermo", "IT"),
        "fields": {
            "title": "Local Action Plan for Ballarò",
            "summary": "CoNet's Local Support Group in Palermo looked for a long-term answer to the structural "
            "deficiencies of the Ballarò neighbourhood: governance and integrated planning.",
            "description": "Within CoNet – Cohesion Network (URBACT II), the City of Palermo's Local Support Group "
            "investigated how problems of development meet issues of territorial governance, exploring governance "
            "patterns and the specific effects of territorial policies.\n\n"
            "In a context like Ballarò, even integrated or multi-goal services – neighbourhood centres, decentralised "
            "health, social, sports and cultural infrastructure and services – would not, in the city's management "
            "at the time, be the right measure to overcome the structural deficiencies of the area. As a long-term "
            "solution, the Local Support Group called for a more comprehensive and coordinated intervention, working "
            "towards governance and integrated planning.",
            "original_language": "en",
            "country": "IT",
            "city": "Palermo",
            "scale": Scale.NEIGHBOURHOOD,
            "dimensions": [ResilienceDimension.SOCIAL, ResilienceDimension.GOVERNANCE],
            "status": PracticeStatus.ENDED,
            "start_date": date(2008, 4, 21),
            "end_date": date(2011, 5, 20),
        },
        "themes": [],
        "sdgs": [],
        "translations": {
            "it": {
                "title": "Piano d'azione locale per Ballarò",
                "summary": "Il Gruppo di supporto locale di CoNet a Palermo ha cercato una risposta di lungo periodo "
                "alle carenze strutturali del quartiere di Ballarò: governance e pianificazione integrata.",
                "description": "Nell'ambito di CoNet – Cohesion Network (URBACT II), il Gruppo di supporto locale "
                "della Città di Palermo ha studiato come i problemi dello sviluppo si intreccino con le questioni di "
                "governo del territorio, esplorando modelli di governance ed effetti specifici delle politiche "
                "territoriali.\n\n"
                "In un contesto come Ballarò, anche servizi integrati o a obiettivi multipli – centri di quartiere, "
                "infrastrutture e servizi sanitari, sociali, sportivi e culturali decentrati – non sarebbero stati, "
                "nella gestione della città di allora, la misura giusta per superare le carenze strutturali dell'area. "
                "Come soluzione di lungo periodo, il Gruppo di supporto locale ha indicato un intervento più ampio e "
                "coordinato, orientato alla governance e alla pianificazione integrata.",
            },
        },
    },
    {
        # The Italian seed: "Rafforzare le reti territoriali ... sostenibilità: economica, sociale, ambientale",
        # "in particolare tra i giovani", the whole country in three hubs, "ANNUALITÀ 2022-2023". It grounds its
        # work in the UN Sustainable Development Goals and promotes "consumo sostenibile e responsabile": SDG 12,
        # responsible consumption and production. It names no single place: no point on the map.
        "source_id": "reti-solidali-e-competenti",
        "lab": None,
        "place": None,
        "fields": {
            "title": "Reti solidali e competenti: formazione, tutoraggio e residenze",
            "summary": "Rafforzare le reti territoriali locali promuovendo conoscenza sulle diverse forme della "
            "sostenibilità: economica, sociale, ambientale.",
            "description": "Un intenso programma di ripartenza che nasce dai risultati dell'azione svolta e dai nuovi "
            "bisogni emersi, con l'obiettivo specifico di rafforzare le reti territoriali nella capacità di "
            "programmare e pianificare strategie di intervento in grado di produrre cambiamenti sociali, economici e "
            "ambientali radicati, duraturi e sostenibili.\n\n"
            "- Contribuire allo sviluppo delle reti associative del Terzo settore e rafforzarne la capacity building\n"
            "- Promuovere la conoscenza dei vantaggi sociali, ambientali ed economici del consumo sostenibile e "
            "responsabile\n"
            "- Sviluppare la cultura del volontariato e della cittadinanza attiva, in particolare tra i giovani\n\n"
            "Il progetto si struttura in quattro step: 12 moduli formativi da remoto, replicati nei tre hub nord, "
            "centro e sud (2.160 persone); un programma di tutoraggio on demand (300 persone); quattro residenze con "
            "workshop tematici a Torino, Firenze, Perugia e Lecce (120 persone); la messa in rete delle esperienze "
            "dei territori in una libreria digitale di buone pratiche.\n\n"
            "Annualità 2022-2023, con il finanziamento del Ministero del Lavoro e delle Politiche Sociali.",
            "original_language": "it",
            "country": "IT",
            "scale": Scale.NATIONAL,
            "dimensions": [
                ResilienceDimension.ECONOMIC,
                ResilienceDimension.SOCIAL,
                ResilienceDimension.ENVIRONMENTAL,
            ],
            "target_groups": [TargetGroup.YOUTH],
            "status": PracticeStatus.ENDED,
        },
        "themes": ["education", "solidarity"],
        "sdgs": [12],
        "translations": {
            "en": {
                "title": "Reti solidali e competenti: training, tutoring and residencies",
                "summary": "Strengthening local networks by spreading knowledge of the different forms of "
                "sustainability: economic, social and environmental.",
                "description": "An intensive restart programme born from the results of earlier work and from newly "
                "emerged needs, with the specific aim of strengthening local networks' ability to plan intervention "
                "strategies that produce deep-rooted, lasting and sustainable social, economic and environmental "
                "change.\n\n"
                "- Contribute to the development of Third-sector associative networks and strengthen their capacity "
                "building\n"
                "- Promote knowledge of the social, environmental and economic benefits of sustainable and "
                "responsible consumption\n"
                "- Develop a culture of volunteering and active citizenship, especially among young people\n\n"
                "The project has four steps: 12 remote training modules, repeated in the northern, central and "
                "southern hubs (2,160 people); on-demand tutoring (300 people); four residencies with thematic "
                "workshops in Turin, Florence, Perugia and Lecce (120 people); and a digital library that brings "
                "together the experiences of the territories as good practices.\n\n"
                "Years 2022–2023, funded by the Italian Ministry of Labour and Social Policies.",
            },
        },
    },
]


def _seed_practice(seed: dict) -> Practice:
    """Create or update one practice of the seeds; an unchanged one is not saved again (no new version)."""
    fields = dict(seed["fields"])
    fields["lab"] = Lab.objects.filter(slug=seed["lab"]).first() if seed["lab"] else None
    fields["location"] = find_city(*seed["place"]).point if seed["place"] else None
    themes = list(Theme.objects.filter(slug__in=seed["themes"]))
    themes.sort(key=lambda theme: seed["themes"].index(theme.slug))
    fields["primary_theme"] = themes[0] if themes else None
    practice = Practice.objects.filter(source=SEEDS_SOURCE, source_id=seed["source_id"]).first()
    if practice is None:
        practice = Practice(source=SEEDS_SOURCE, source_id=seed["source_id"], state=ModerationState.PUBLISHED)
    if practice.pk is None or any(_differs(getattr(practice, name), value) for name, value in fields.items()):
        for name, value in fields.items():
            setattr(practice, name, value)
        practice.save()
    if {t.pk for t in practice.themes.all()} != {t.pk for t in themes}:
        practice.themes.set(themes)
    if set(practice.sdgs.values_list("pk", flat=True)) != set(seed["sdgs"]):
        practice.sdgs.set(seed["sdgs"])
    for language, texts in seed["translations"].items():
        translation = practice.translations.filter(language=language).first()
        if translation is None or any(getattr(translation, k) != v for k, v in texts.items()):
            PracticeTranslation.objects.update_or_create(practice=practice, language=language, defaults=texts)
    return practice


def _differs(current, wanted) -> bool:
    if isinstance(current, Point) and isinstance(wanted, Point):
        return current.coords != wanted.coords
    return current != wanted
