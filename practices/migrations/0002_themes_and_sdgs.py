"""Data (idempotent, as a database migrated before the squash runs it again): the 17 UN Sustainable Development Goals and the first themes of practice, named in the six languages."""

from django.db import migrations

THEMES = [
    # slug, colour, en, it, ro, fr, de, es
    (
        "solidarity",
        "#b5460f",
        "Solidarity and mutual aid",
        "Solidarietà e mutuo aiuto",
        "Solidaritate și întrajutorare",
        "Solidarité et entraide",
        "Solidarität und gegenseitige Hilfe",
        "Solidaridad y ayuda mutua",
    ),
    (
        "housing",
        "#6a3d9a",
        "Collaborative housing",
        "Abitare collaborativo",
        "Locuire colaborativă",
        "Habitat participatif",
        "Gemeinschaftliches Wohnen",
        "Vivienda colaborativa",
    ),
    ("food", "#33a02c", "Food", "Cibo", "Hrană", "Alimentation", "Ernährung", "Alimentación"),
    (
        "care",
        "#e31a6f",
        "Care and health",
        "Cura e salute",
        "Îngrijire și sănătate",
        "Soin et santé",
        "Sorge und Gesundheit",
        "Cuidados y salud",
    ),
    ("energy", "#c98a00", "Energy", "Energia", "Energie", "Énergie", "Energie", "Energía"),
    (
        "ecology",
        "#1f78b4",
        "Ecological transition",
        "Transizione ecologica",
        "Tranziție ecologică",
        "Transition écologique",
        "Ökologischer Wandel",
        "Transición ecológica",
    ),
    (
        "education",
        "#8c510a",
        "Education and skills",
        "Educazione e competenze",
        "Educație și competențe",
        "Éducation et compétences",
        "Bildung und Kompetenzen",
        "Educación y competencias",
    ),
    (
        "culture",
        "#01665e",
        "Culture and public space",
        "Cultura e spazio pubblico",
        "Cultură și spațiu public",
        "Culture et espace public",
        "Kultur und öffentlicher Raum",
        "Cultura y espacio público",
    ),
    (
        "economy",
        "#4d4d4d",
        "Social and solidarity economy",
        "Economia sociale e solidale",
        "Economie socială și solidară",
        "Économie sociale et solidaire",
        "Sozial- und Solidarwirtschaft",
        "Economía social y solidaria",
    ),
]


def load(apps, schema_editor):
    SDG = apps.get_model("practices", "SDG")
    Theme = apps.get_model("practices", "Theme")
    SDG.objects.bulk_create([SDG(number=n) for n in range(1, 18)], ignore_conflicts=True)
    for slug, colour, en, it, ro, fr, de, es in THEMES:
        Theme.objects.update_or_create(
            slug=slug,
            defaults={"colour": colour, "name": en, "names": {"it": it, "ro": ro, "fr": fr, "de": de, "es": es}},
        )


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_schema")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
