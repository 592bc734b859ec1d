"""Labs and activities keep their description in the other languages of the site beside the English one."""

from django.db import migrations, models

import conect.translations


class Migration(migrations.Migration):
    dependencies = [
        ("labs", "0002_activity_networks_move_to_networks"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="descriptions",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text='By language code, e.g. {"it": "…", "fr": "…"}. Readers of other languages see the English one.',
                validators=[conect.translations.validate_translations],
                verbose_name="description in other languages",
            ),
        ),
        migrations.AddField(
            model_name="lab",
            name="descriptions",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text='By language code, e.g. {"it": "…", "fr": "…"}. Readers of other languages see the English one.',
                validators=[conect.translations.validate_translations],
                verbose_name="description in other languages",
            ),
        ),
    ]
