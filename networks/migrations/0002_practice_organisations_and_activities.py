"""The links between practices and organisations, and between activities and networks, move to the networks app
(networks read practices and labs, never the reverse). The rows come along; the old columns go in practices 0004 and
labs 0002."""

import django.db.models.deletion
from django.db import migrations, models

COPY = """
INSERT INTO networks_practiceorganisation (practice_id, organisation_id, role)
  SELECT practice_id, organisation_id, role FROM practices_practiceorganisation;
INSERT INTO networks_network_activities (network_id, activity_id)
  SELECT network_id, id FROM labs_activity WHERE network_id IS NOT NULL;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("labs", "0001_initial"),
        ("networks", "0001_initial"),
        ("practices", "0003_search_functions_and_triggers"),
    ]

    operations = [
        migrations.AddField(
            model_name="network",
            name="activities",
            field=models.ManyToManyField(
                blank=True, related_name="networks", to="labs.activity", verbose_name="activities"
            ),
        ),
        migrations.CreateModel(
            name="PracticeOrganisation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("lead", "Runs it"),
                            ("partner", "Partner"),
                            ("funder", "Funder"),
                            ("supporter", "Supporter"),
                        ],
                        default="lead",
                        max_length=20,
                        verbose_name="role",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="practice_links",
                        to="networks.organisation",
                        verbose_name="organisation",
                    ),
                ),
                (
                    "practice",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="organisation_links",
                        to="practices.practice",
                        verbose_name="practice",
                    ),
                ),
            ],
            options={
                "verbose_name": "organisation involved",
                "verbose_name_plural": "organisations involved",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("practice", "organisation"), name="one_involvement_per_practice_organisation"
                    )
                ],
            },
        ),
        migrations.RunSQL(COPY, migrations.RunSQL.noop),
    ]
