"""Uploaded photos: checked (type, size, pixels), re-encoded without EXIF or other metadata, with a thumbnail."""

import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from practices.models import Practice, PracticeImage

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding them
MAX_SIDE = 2000
THUMB_SIDE = 480
FORMATS = {"JPEG", "PNG", "WEBP"}


def clean_upload(upload) -> Image.Image:
    """The decoded image, or a translated ValidationError saying what is wrong with the file."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The image is larger than 10 MB."), code="too_big")
    try:
        image = Image.open(upload)
        if image.format not in FORMATS:
            raise ValidationError(_("Upload a JPEG, PNG or WebP image."), code="format")
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError(_("The image has more than 40 million pixels."), code="pixels")
        image.load()
        # Keep the orientation the camera meant (the EXIF is dropped when the image is encoded again).
        image = ImageOps.exif_transpose(image)
    # Pillow says "cannot read" in several ways: ValueError for a PNG text or colour-profile chunk that inflates
    # past its limit (a few KB expanding to megabytes), SyntaxError or EOFError for a truncated or broken file.
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError):
        raise ValidationError(_("This file is not an image that can be read."), code="invalid") from None
    return image


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
