"""Activities live in the activities app now (activities 0002 copied them, with their ids)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('labs', '0005_lab_covers_invitations_and_log'),
        ('networks', '0005_activities_move_to_their_app'),
        
        ('activities', '0002_copy_activities_from_labs'),
    ]

    operations = [
        migrations.DeleteModel(
            name='Activity',
        ),
    ]
