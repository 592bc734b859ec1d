"""Demo data of the activities app: the activities and programmes the seeds describe, nothing more.

- Reti solidali e competenti (seed 001): 12 remote training modules in three hubs for 2,160 people, on-demand
  tutoring for 300, and four residencies in Torino, Firenze, Perugia and Lecce for 120. The seed gives no dates and
  no figures reached: they stay unknown.
- CoNet (seed 003): the meeting on participation in Alba Iulia on 27 and 28 May 2010 (only the days are known: an
  all-day activity), and the Local Support Group of Palermo that worked on the Local Action Plan for Ballarò.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from activities.models import Activity, ActivityKind, ActivityMode, Programme
from conect.gazetteer import find_city
from labs.models import Lab
from labs.moderation import ModerationState
from networks.models import Network

ACTIVITY_DESCRIPTIONS = {
    "12 remote training modules": {
        "en": "Twelve modules in three macro-actions, repeated in the northern, central and southern hubs.",
        "it": "Dodici moduli formativi da remoto, suddivisi in tre macro-azioni e replicati negli hub del nord, del "
        "centro e del sud.",
        "ro": "Douăsprezece module în trei macro-acțiuni, repetate în hubul de nord, în cel de centru și în cel de "
        "sud.",
        "fr": "Douze modules en trois macro-actions, répétés dans les pôles du nord, du centre et du sud.",
        "de": "Zwölf Module in drei Makro-Aktionen, wiederholt in den Hubs im Norden, in der Mitte und im Süden.",
        "es": "Doce módulos en tres macroacciones, repetidos en los polos del norte, del centro y del sur.",
    },
    "On-demand tutoring": {
        "en": "For organisations that want longer paths on the module themes (decarbonisation, solidarity purchasing "
        "groups...).",
        "it": "Per le realtà che intendono attivare percorsi più duraturi sui temi dei moduli formativi "
        "(decarbonizzazione, gruppi di acquisto solidale…).",
        "ro": "Pentru organizațiile care vor parcursuri mai lungi pe temele modulelor (decarbonizare, grupuri de "
        "achiziții solidare…).",
        "fr": "Pour les organisations qui veulent des parcours plus longs sur les thèmes des modules (décarbonation, "
        "groupes d'achat solidaires…).",
        "de": "Für Organisationen, die längere Wege zu den Themen der Module gehen wollen (Dekarbonisierung, "
        "solidarische Einkaufsgemeinschaften …).",
        "es": "Para las organizaciones que quieren itinerarios más largos sobre los temas de los módulos "
        "(descarbonización, grupos de compra solidaria…).",
    },
    "Four residencies": {
        "en": "Thematic workshops where representatives of the three hubs meet initiatives that generated social "
        "innovation and impact.",
        "it": "Workshop tematici in cui i rappresentanti dei tre hub conoscono realtà che hanno generato innovazione e "
        "impatto sociale.",
        "ro": "Ateliere tematice în care reprezentanții celor trei huburi cunosc inițiative care au generat inovare și "
        "impact social.",
        "fr": "Des ateliers thématiques où les représentants des trois pôles rencontrent des initiatives qui ont "
        "produit de l'innovation et de l'impact social.",
        "de": "Thematische Workshops, in denen Vertreterinnen und Vertreter der drei Hubs Initiativen kennenlernen, "
        "die soziale Innovation und Wirkung hervorgebracht haben.",
        "es": "Talleres temáticos en los que representantes de los tres polos conocen iniciativas que han generado "
        "innovación e impacto social.",
    },
    "CoNet meeting on participation": {
        "en": "Participants used the Future Workshop method of Robert Jungk to develop ideas and strategies.",
        "it": "I partecipanti hanno usato il metodo del Laboratorio del futuro di Robert Jungk per elaborare idee e "
        "strategie.",
        "ro": "Participanții au folosit metoda „Atelierul viitorului” a lui Robert Jungk pentru a elabora idei și "
        "strategii.",
        "fr": "Les participants ont utilisé la méthode de l'atelier du futur de Robert Jungk pour élaborer des idées "
        "et des stratégies.",
        "de": "Die Teilnehmenden nutzten die Methode der Zukunftswerkstatt von Robert Jungk, um Ideen und Strategien "
        "zu entwickeln.",
        "es": "Los participantes usaron el método del taller de futuro de Robert Jungk para elaborar ideas y "
        "estrategias.",
    },
    "CoNet Local Support Group of Palermo": {
        "en": "The Local Support Group that worked on CoNet's Local Action Plan for the Ballarò neighbourhood: it "
        "named a coordinated intervention, towards governance and integrated planning, as the long-term solution.",
        "it": "Il gruppo di supporto locale che ha lavorato al Piano d'azione locale di CoNet per il quartiere di "
        "Ballarò: ha indicato come soluzione di lungo periodo un intervento coordinato, verso la governance e la "
        "pianificazione integrata.",
        "ro": "Grupul local de sprijin care a lucrat la Planul de acțiune local al CoNet pentru cartierul Ballarò: a "
        "propus ca soluție pe termen lung o intervenție coordonată, spre guvernanță și planificare integrată.",
        "fr": "Le groupe local d'appui qui a travaillé au plan d'action local de CoNet pour le quartier de Ballarò : "
        "il a retenu comme solution de long terme une intervention coordonnée, vers la gouvernance et la "
        "planification intégrée.",
        "de": "Die lokale Unterstützungsgruppe, die am lokalen Aktionsplan von CoNet für das Viertel Ballarò "
        "arbeitete: Als langfristige Lösung nannte sie ein koordiniertes Vorgehen hin zu Governance und integrierter "
        "Planung.",
        "es": "El grupo local de apoyo que trabajó en el plan de acción local de CoNet para el barrio de Ballarò: "
        "propuso como solución a largo plazo una intervención coordinada, hacia la gobernanza y la planificación "
        "integrada.",
    },
}
RETI_RESIDENCIES = [("Torino", "Turin"), ("Firenze", "Florence"), ("Perugia", "Perugia"), ("Lecce", "Lecce")]


def _described(texts: dict[str, str]) -> dict:
    return {"description": texts["en"], "descriptions": {code: text for code, text in texts.items() if code != "en"}}


def _activity(title: str, *, networks=(), **fields) -> Activity:
    activity = Activity.objects.filter(title=title).first() or Activity(title=title)
    fields |= _described(ACTIVITY_DESCRIPTIONS.get(title, {"en": ""}))
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.state = ModerationState.PUBLISHED
    activity.save()
    activity.networks.add(*networks)
    return activity


def _programme(title: str, **fields) -> Programme:
    fields |= _described(ACTIVITY_DESCRIPTIONS.get(title, {"en": ""}))
    programme, _ = Programme.objects.update_or_create(title=title, defaults=fields)
    return programme


def _reti(network: Network) -> None:
    training = _programme("12 remote training modules", network=network, planned_activities=12,
                          planned_participants=2160)  # fmt: skip
    _activity(
        "12 remote training modules", networks=[network], programme=training, kind=ActivityKind.TRAINING,
        mode=ActivityMode.ONLINE, country="IT", participants_expected=2160,
    )  # fmt: skip
    tutoring = _programme("On-demand tutoring", network=network, planned_participants=300)
    _activity(
        "On-demand tutoring", networks=[network], programme=tutoring, kind=ActivityKind.TUTORING, country="IT",
        participants_expected=300,
    )  # fmt: skip
    residencies = _programme("Four residencies", network=network, planned_activities=4, planned_participants=120)
    for local_name, gazetteer_name in RETI_RESIDENCIES:
        _activity(
            f"Residency in {local_name}", networks=[network], programme=residencies, kind=ActivityKind.RESIDENCY,
            city=local_name, country="IT", location=find_city(gazetteer_name, "IT").point,
        )  # fmt: skip


def _conet(network: Network) -> None:
    bucharest = ZoneInfo("Europe/Bucharest")
    _activity(
        "CoNet meeting on participation", networks=[network], kind=ActivityKind.THEMATIC_MEETING,
        starts_at=datetime.combine(date(2010, 5, 27), time(0), bucharest),
        ends_at=datetime.combine(date(2010, 5, 28), time(0), bucharest), all_day=True, time_zone="Europe/Bucharest",
        city="Alba Iulia", country="RO", location=find_city("Alba Iulia", "RO").point,
    )  # fmt: skip
    _activity(
        "CoNet Local Support Group of Palermo", networks=[network], lab=Lab.objects.get(slug="palermo"),
        kind=ActivityKind.LOCAL_GROUP, city="Palermo", country="IT", location=find_city("Palermo", "IT").point,
    )  # fmt: skip


def load(*, with_imports: bool = True) -> None:
    _reti(Network.objects.get(slug="reti-solidali-e-competenti"))
    _conet(Network.objects.get(slug="conet-cohesion-network"))
