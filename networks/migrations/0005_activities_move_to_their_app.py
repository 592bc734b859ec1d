"""An activity names its networks now (activities.Activity.networks; activities 0002 copied the links)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('networks', '0004_place_validators'),
        ('activities', '0002_copy_activities_from_labs'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='network',
            name='activities',
        ),
    ]
