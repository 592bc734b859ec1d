"""Partial indexes on the published state, for what visitors ask most (README "Indexes"; bench/explain.py shows each
in its query's plan). Built concurrently: a million practices stay writable while they are made."""

import django.contrib.postgres.indexes
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("practices", "0015_map_cells"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="practice",
            index=django.contrib.postgres.indexes.GistIndex(
                models.F("location"), condition=models.Q(("state", "published")), name="practice_published_location"
            ),
        ),
        AddIndexConcurrently(
            model_name="practice",
            index=models.Index(
                condition=models.Q(("state", "published")),
                fields=["country", "title", "id"],
                name="practice_published_country",
            ),
        ),
        AddIndexConcurrently(
            model_name="practice",
            index=models.Index(
                condition=models.Q(("state", "published")),
                fields=["lab", "title", "id"],
                name="practice_lab_published_title",
            ),
        ),
    ]
