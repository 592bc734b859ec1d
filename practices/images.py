"""Uploaded photos: checked (type, size, pixels), re-encoded without EXIF or other metadata, with a thumbnail."""

import io
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image

from conect.images import decode_upload
from practices.models import Practice, PracticeImage

MAX_BYTES = 10 * 1024 * 1024
MAX_SIDE = 2000
THUMB_SIDE = 480


def clean_upload(upload) -> Image.Image:
    """The decoded photo, or a translated ValidationError saying what is wrong with the file."""
    return decode_upload(upload, max_mb=MAX_BYTES // (1024 * 1024))


def _encode(image: Image.Image, side: int) -> tuple[bytes, tuple[int, int]]:
    image = image.copy()
    image.thumbnail((side, side))
    clean = Image.new("RGB", image.size, "white")
    clean.paste(image.convert("RGBA"), mask=image.convert("RGBA").split()[-1])
    buffer = io.BytesIO()
    clean.save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue(), clean.size


@transaction.atomic
def add_image(practice: Practice, upload, *, alt_text: str, credit: str = "", by) -> PracticeImage:
    image = clean_upload(upload)
    stem = Path(upload.name).stem[:40] or "image"
    record = PracticeImage(practice=practice, alt_text=alt_text, credit=credit, created_by=by)
    record.full_clean(exclude=["image", "thumbnail", "practice"])
    full, (record.width, record.height) = _encode(image, MAX_SIDE)
    thumbnail, _size = _encode(image, THUMB_SIDE)
    record.image.save(f"{stem}.jpg", ContentFile(full), save=False)
    record.thumbnail.save(f"{stem}-thumb.jpg", ContentFile(thumbnail), save=False)
    record.save()
    return record
