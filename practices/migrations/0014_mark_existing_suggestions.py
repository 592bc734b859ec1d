"""Data: rows written before `is_suggestion` existed are suggestions when their author belongs to none of their Lab."""

from django.db import migrations
from django.db.models import Exists, OuterRef


def mark(apps, schema_editor):
    Membership = apps.get_model("labs", "Membership")
    for name in ("Practice", "Space"):
        model = apps.get_model("practices", name)
        member = Membership.objects.filter(lab=OuterRef("lab"), user=OuterRef("created_by"))
        model.objects.filter(created_by__isnull=False).exclude(Exists(member)).update(is_suggestion=True)


class Migration(migrations.Migration):
    dependencies = [("practices", "0013_suggestions"), ("labs", "0004_place_validators")]
    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
