"""Uploaded images, checked before anything keeps them: photos of practices, covers of Labs."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding them
FORMATS = {"JPEG", "PNG", "WEBP"}


def decode_upload(upload, *, max_mb: int) -> Image.Image:
    """The decoded image, upright, or a translated ValidationError saying what is wrong with the file."""
    if upload.size > max_mb * 1024 * 1024:
        raise ValidationError(_("The image is larger than %(size)s MB.") % {"size": max_mb}, code="too_big")
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
