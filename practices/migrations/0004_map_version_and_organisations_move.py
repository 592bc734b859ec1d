"""The map version moves here from the core (the map lives in this app); the organisations of a practice move to the
networks app, which copied them in its migration 0002."""

import time

from django.db import migrations, models


def first_version(apps, schema_editor):
    # Start above any number the core's old counter reached, so no tile cached under an old number can match.
    apps.get_model("practices", "MapVersion").objects.update_or_create(pk=1, defaults={"version": int(time.time())})


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0003_search_functions_and_triggers"),
        ("networks", "0002_practice_organisations_and_activities"),
    ]

    operations = [
        migrations.CreateModel(
            name="MapVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.BigIntegerField(default=1)),
            ],
            options={"verbose_name": "map version"},
        ),
        migrations.RunPython(first_version, migrations.RunPython.noop),
        migrations.RemoveField(model_name="practice", name="organisations"),
        migrations.DeleteModel(name="PracticeOrganisation"),
    ]
