"""Demo data of the library: the documents the seeds (shared/seeds/) name, with what the seeds say about them.

The seeds give no file and no address for any of them, so each is a record "described only" (Resource.reference_only):
no invented file, no invented link. What the seeds do not say stays empty: no year, no licence, and a language only
where it is stated (CESIE's research "is available in English only"). Themes only where the seed names one (NETCO's
compilation is about collaborative housing); Labs only where the document belongs to one (the Local Action Plan and
CESIE, both of Palermo).
"""

from labs.models import Lab
from labs.moderation import ModerationState
from library.models import Resource, ResourceKind
from practices.demo import SEEDS_SOURCE
from practices.models import Practice, Theme

RESOURCES = [
    {
        # Seed 003: "CoNet's Guide to Social Cohesion – Academic approaches, good practise examples and interviews
        # with practitioners and politicians along seven core tasks improving disadvantaged neighbourhoods in the EU."
        "slug": "conet-guide-to-social-cohesion",
        "title": "CoNet's Guide to Social Cohesion",
        "kind": ResourceKind.GUIDE,
        "authors": "CoNet – Cohesion Network (URBACT II)",
        "lab": None,
        "themes": [],
        "practices": [],
        "language": "",
        "descriptions": {
            "en": "Academic approaches, good practice examples and interviews with practitioners and politicians, "
            "along seven core tasks for improving disadvantaged neighbourhoods in the EU. A result of CoNet – "
            "Cohesion Network, the URBACT II network led by the City of Berlin (2008–2011).",
            "it": "Approcci accademici, esempi di buone pratiche e interviste a operatori e politici, lungo sette "
            "compiti fondamentali per migliorare i quartieri svantaggiati nell'UE. Un risultato di CoNet – Cohesion "
            "Network, la rete URBACT II guidata dalla Città di Berlino (2008–2011).",
            "ro": "Abordări academice, exemple de bune practici și interviuri cu practicieni și politicieni, de-a "
            "lungul a șapte sarcini esențiale pentru îmbunătățirea cartierelor defavorizate din UE. Un rezultat al "
            "CoNet – Cohesion Network, rețeaua URBACT II condusă de orașul Berlin (2008–2011).",
            "fr": "Approches académiques, exemples de bonnes pratiques et entretiens avec des praticiens et des "
            "responsables politiques, selon sept tâches essentielles pour améliorer les quartiers défavorisés de "
            "l'UE. Un résultat de CoNet – Cohesion Network, le réseau URBACT II mené par la Ville de Berlin "
            "(2008–2011).",
            "de": "Wissenschaftliche Ansätze, Beispiele guter Praxis und Interviews mit Praktikern und Politikern, "
            "entlang von sieben Kernaufgaben zur Verbesserung benachteiligter Stadtviertel in der EU. Ein Ergebnis "
            "von CoNet – Cohesion Network, dem von der Stadt Berlin geleiteten URBACT-II-Netzwerk (2008–2011).",
            "es": "Enfoques académicos, ejemplos de buenas prácticas y entrevistas con profesionales y políticos, a lo "
            "largo de siete tareas clave para mejorar los barrios desfavorecidos de la UE. Un resultado de CoNet – "
            "Cohesion Network, la red URBACT II liderada por la Ciudad de Berlín (2008–2011).",
        },
    },
    {
        # Seed 003: "Local Action Plan Palermo, Italy", the Ballarò text of the CoNet Local Support Group.
        "slug": "local-action-plan-palermo",
        "title": "Local Action Plan Palermo",
        "kind": ResourceKind.ACTION_PLAN,
        "authors": "CoNet Local Support Group, City of Palermo",
        "lab": "palermo",
        "themes": [],
        "practices": ["conet-ballaro-local-action-plan"],
        "language": "",
        "descriptions": {
            "en": "The connection between problems of development and issues of territorial governance, investigated "
            "jointly to explore governance patterns and the specific effects of territorial policies. In a context "
            "like Ballarò, even integrated or multi-goal services would not, in the city's management at the time, "
            "overcome the structural deficiencies of the area: the Local Support Group called for a more "
            "comprehensive and coordinated intervention, towards governance and integrated planning.",
            "it": "Il legame tra i problemi dello sviluppo e le questioni di governo del territorio, studiato "
            "insieme per esplorare modelli di governance ed effetti specifici delle politiche territoriali. In un "
            "contesto come Ballarò, anche servizi integrati o a obiettivi multipli non avrebbero superato, nella "
            "gestione della città di allora, le carenze strutturali dell'area: il Gruppo di supporto locale ha "
            "indicato un intervento più ampio e coordinato, verso la governance e la pianificazione integrata.",
            "ro": "Legătura dintre problemele de dezvoltare și chestiunile de guvernanță teritorială, cercetată în "
            "comun pentru a explora modele de guvernanță și efectele specifice ale politicilor teritoriale. Într-un "
            "context precum Ballarò, nici serviciile integrate sau cu obiective multiple nu ar fi depășit, în "
            "gestiunea orașului de atunci, deficiențele structurale ale zonei: Grupul local de sprijin a cerut o "
            "intervenție mai cuprinzătoare și coordonată, spre guvernanță și planificare integrată.",
            "fr": "Le lien entre les problèmes de développement et les questions de gouvernance territoriale, étudié "
            "conjointement pour explorer des modèles de gouvernance et les effets propres des politiques "
            "territoriales. Dans un contexte comme Ballarò, même des services intégrés ou à objectifs multiples "
            "n'auraient pas, dans la gestion de la ville d'alors, surmonté les carences structurelles du quartier : "
            "le groupe de soutien local a appelé à une intervention plus globale et coordonnée, vers la gouvernance "
            "et la planification intégrée.",
            "de": "Der Zusammenhang zwischen Entwicklungsproblemen und Fragen der territorialen Governance, gemeinsam "
            "untersucht, um Governance-Muster und die besonderen Wirkungen territorialer Politik zu erkunden. In "
            "einem Umfeld wie Ballarò hätten selbst integrierte oder mehrzielige Dienste in der damaligen "
            "Stadtverwaltung die strukturellen Defizite des Gebiets nicht überwunden: Die lokale Unterstützungsgruppe "
            "forderte ein umfassenderes und abgestimmtes Vorgehen, hin zu Governance und integrierter Planung.",
            "es": "La relación entre los problemas de desarrollo y las cuestiones de gobernanza territorial, "
            "investigada conjuntamente para explorar modelos de gobernanza y los efectos específicos de las "
            "políticas territoriales. En un contexto como Ballarò, ni siquiera los servicios integrados o de "
            "objetivos múltiples habrían superado, en la gestión de la ciudad de entonces, las carencias "
            "estructurales de la zona: el Grupo de Apoyo Local pidió una intervención más amplia y coordinada, "
            "hacia la gobernanza y la planificación integrada.",
        },
    },
    {
        # Seed 002: NETCO presents "a compilation of good local practices on collaborative housing" (in Romanian:
        # "o compilație de bune practici locale privind locuințele colaborative").
        "slug": "netco-good-local-practices-collaborative-housing",
        "title": "NETCO: good local practices on collaborative housing",
        "kind": ResourceKind.CASE_STUDY,
        "authors": "NETCO – Network of Cities for Collaborative Housing",
        "lab": None,
        "themes": ["housing"],
        "practices": [],
        "language": "",
        "descriptions": {
            "en": "A compilation of good local practices on collaborative housing, presented through NETCO's online "
            "and in-person events: key policies and actions, with a practice-oriented perspective, to give answers "
            "to city practitioners. Collaborative housing here means initiatives where residents take an active "
            "role in the ongoing management of their residential community.",
            "it": "Una raccolta di buone pratiche locali sull'abitare collaborativo, presentata negli eventi online "
            "e in presenza di NETCO: politiche e azioni chiave, in una prospettiva orientata alla pratica, per dare "
            "risposte a chi lavora nelle città. Per abitare collaborativo si intendono le iniziative in cui gli "
            "abitanti hanno un ruolo attivo nella gestione continua della comunità residenziale.",
            "ro": "O compilație de bune practici locale privind locuințele colaborative, prezentată prin evenimentele "
            "online și fizice ale NETCO: politici și acțiuni-cheie, cu o perspectivă orientată spre practică, pentru "
            "a oferi răspunsuri practicienilor din orașe. Locuințele colaborative sunt acele inițiative în care "
            "locuitorii au un rol activ în gestionarea continuă a comunității rezidențiale.",
            "fr": "Un recueil de bonnes pratiques locales d'habitat participatif, présenté lors des événements en "
            "ligne et en présentiel de NETCO : politiques et actions clés, dans une perspective pratique, pour "
            "répondre aux praticiens des villes. L'habitat participatif désigne ici les initiatives où les habitants "
            "jouent un rôle actif dans la gestion continue de leur communauté résidentielle.",
            "de": "Eine Sammlung guter lokaler Praxis im gemeinschaftlichen Wohnen, vorgestellt in den Online- und "
            "Präsenzveranstaltungen von NETCO: zentrale Politiken und Maßnahmen, praxisorientiert, als Antworten für "
            "die Fachleute der Städte. Gemeinschaftliches Wohnen meint hier Initiativen, in denen die Bewohner eine "
            "aktive Rolle in der laufenden Verwaltung ihrer Wohngemeinschaft übernehmen.",
            "es": "Una recopilación de buenas prácticas locales de vivienda colaborativa, presentada en los eventos "
            "en línea y presenciales de NETCO: políticas y acciones clave, con una perspectiva práctica, para dar "
            "respuestas a los profesionales de las ciudades. La vivienda colaborativa designa aquí las iniciativas "
            "en las que los residentes tienen un papel activo en la gestión continua de su comunidad residencial.",
        },
    },
    {
        # Seed 003: CESIE's research "Empowering disadvantaged/deprived urban areas", "available only in English".
        "slug": "empowering-disadvantaged-deprived-urban-areas",
        "title": "Empowering disadvantaged/deprived urban areas",
        "kind": ResourceKind.REPORT,
        "authors": "CESIE",
        "lab": "palermo",
        "themes": [],
        "practices": [],
        "language": "en",
        "descriptions": {
            "en": "Research by CESIE, the European centre of studies and initiatives in Palermo, on the turning point "
            "that slows down the development and empowerment of disadvantaged or deprived urban areas. The text is "
            "available in English only.",
            "it": "Ricerca del CESIE, centro studi e iniziative europeo di Palermo, sul punto di svolta che rallenta "
            "lo sviluppo e l'empowerment delle zone urbane più povere e svantaggiate. Il testo è disponibile solo in "
            "lingua inglese.",
            "ro": "Cercetare a CESIE, centrul european de studii și inițiative din Palermo, despre punctul de cotitură "
            "care încetinește dezvoltarea și împuternicirea zonelor urbane defavorizate sau sărace. Textul este "
            "disponibil doar în limba engleză.",
            "fr": "Recherche du CESIE, centre européen d'études et d'initiatives de Palerme, sur le point de bascule "
            "qui ralentit le développement et l'autonomisation des quartiers urbains défavorisés. Le texte n'est "
            "disponible qu'en anglais.",
            "de": "Studie von CESIE, dem europäischen Zentrum für Studien und Initiativen in Palermo, über den "
            "Wendepunkt, der die Entwicklung und das Empowerment benachteiligter städtischer Gebiete bremst. Der Text "
            "liegt nur auf Englisch vor.",
            "es": "Investigación de CESIE, centro europeo de estudios e iniciativas de Palermo, sobre el punto de "
            "inflexión que frena el desarrollo y el empoderamiento de las zonas urbanas desfavorecidas. El texto solo "
            "está disponible en inglés.",
        },
    },
]


def load(*, with_imports: bool = True) -> None:
    for item in RESOURCES:
        descriptions = dict(item["descriptions"])
        fields = {
            "title": item["title"],
            "kind": item["kind"],
            "authors": item["authors"],
            "language": item["language"],
            "lab": Lab.objects.filter(slug=item["lab"]).first() if item["lab"] else None,
            "description": descriptions.pop("en"),
            "descriptions": descriptions,
            "reference_only": True,
            "state": ModerationState.PUBLISHED,
        }
        resource = Resource.objects.filter(slug=item["slug"]).first()
        if resource is None:
            resource = Resource(slug=item["slug"], **fields)
            resource.full_clean()
            resource.save()
        else:
            Resource.objects.filter(pk=resource.pk).update(**fields)  # loading twice changes nothing
        resource.themes.set(Theme.objects.filter(slug__in=item["themes"]))
        resource.practices.set(Practice.objects.filter(source=SEEDS_SOURCE, source_id__in=item["practices"]))
