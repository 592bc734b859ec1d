from django.db import migrations


def create(apps, schema_editor):
    apps.get_model("conect", "MapVersion").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("conect", "0002_map_version")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
