"""Where uploads go. Files that are not for everyone (import files, photos of drafts, covers, library files) live in
the private storage and are served by a view that checks who asks: never under MEDIA_URL."""

from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    return storages["private"]
