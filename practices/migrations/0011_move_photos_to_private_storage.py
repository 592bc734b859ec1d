"""Data: the photos uploaded before 0010 move from the public media storage (served under MEDIA_URL to anyone with
the address) to the private one, from which practices.views.photo serves them through the access path.

Idempotent: a file already moved, or missing, is left alone. Reversing moves them back."""

from django.core.files.storage import storages
from django.db import migrations


def _move(apps, source: str, target: str) -> None:
    source_storage, target_storage = storages[source], storages[target]
    PracticeImage = apps.get_model("practices", "PracticeImage")
    for names in PracticeImage.objects.values_list("image", "thumbnail").iterator():
        for path in filter(None, names):
            if source_storage.exists(path) and not target_storage.exists(path):
                with source_storage.open(path, "rb") as content:
                    saved = target_storage.save(path, content)
                assert saved == path, f"{path} was stored as {saved}"
                source_storage.delete(path)


def to_private(apps, schema_editor):
    _move(apps, "default", "private")


def to_public(apps, schema_editor):
    _move(apps, "private", "default")


class Migration(migrations.Migration):
    dependencies = [("practices", "0010_photos_in_private_storage")]
    operations = [migrations.RunPython(to_private, to_public)]
