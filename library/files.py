"""What the library accepts as a file, told by its content (the `filetype` package reads the first bytes; zipped
office formats by the names inside), never by its name or the type the browser sent; and the one Content-Type each
accepted kind is served with."""

from dataclasses import dataclass
from pathlib import Path

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_UPLOAD_SIZE = 25 * 1024 * 1024
# Plain text has no signature: it is accepted by its name once its bytes read as UTF-8 without NUL bytes.
TEXT_TYPES = {".txt": "text/plain", ".md": "text/markdown", ".csv": "text/csv"}


@dataclass(frozen=True)
class Kind:
    mime: str
    label: str


ACCEPTED = {
    kind.mime: kind
    for kind in [
        Kind("application/pdf", "PDF"),
        Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"),
        Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
        Kind("application/vnd.openxmlformats-officedocument.presentationml.presentation", "PPTX"),
        Kind("application/vnd.oasis.opendocument.text", "ODT"),
        Kind("application/vnd.oasis.opendocument.spreadsheet", "ODS"),
        Kind("application/vnd.oasis.opendocument.presentation", "ODP"),
        Kind("text/plain", "TXT"),
        Kind("text/markdown", "MD"),
        Kind("text/csv", "CSV"),
        Kind("image/png", "PNG"),
        Kind("image/jpeg", "JPEG"),
        Kind("image/webp", "WebP"),
        Kind("video/mp4", "MP4"),
    ]
}
ACCEPTED_LABELS = ", ".join(kind.label for kind in ACCEPTED.values())


def served_type(file_type: str) -> str:
    """The Content-Type a stored file goes out with: text as plain text in UTF-8 (never HTML, whatever it holds),
    the accepted kinds as themselves, anything else (an older row, a file put in by hand) as bytes."""
    if file_type.startswith("text/") and file_type in ACCEPTED:
        return "text/plain; charset=utf-8"
    return file_type if file_type in ACCEPTED else "application/octet-stream"


def check_upload(upload) -> str:
    """The checked type of an uploaded file, or a ValidationError that says what is accepted."""
    if upload.size > MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("The file is %(size)s: the limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_UPLOAD_SIZE)},
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    guess = filetype.guess(head) if head else None
    if guess is None and head:
        # Zipped office formats are told by the names inside, which may lie beyond the first bytes.
        guess = filetype.guess(upload)
        upload.seek(0)
    if guess is not None and guess.mime in ACCEPTED:
        return guess.mime
    suffix = Path(upload.name or "").suffix.lower()
    if guess is None and suffix in TEXT_TYPES and _is_text(upload):
        return TEXT_TYPES[suffix]
    message = _("This kind of file is not accepted. Accepted: %(kinds)s.")
    raise ValidationError(message, code="file_type", params={"kinds": ACCEPTED_LABELS})


def _is_text(upload) -> bool:
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    if b"\x00" in content:
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
