"""An activity's networks are kept by the networks app now (networks 0002 copied them)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("labs", "0001_initial"),
        ("networks", "0002_practice_organisations_and_activities"),
    ]

    operations = [migrations.RemoveField(model_name="activity", name="network")]
