"""The text inside a library file, for search and passages: pypdf for PDF, python-docx for DOCX, python-pptx for PPTX,
openpyxl for XLSX, odfpy for ODT/ODS/ODP, a plain decode for text. Run by the extraction job (library.services), never
in a request. Each reader raises Unreadable with a short reason for the people who edit the resource."""

import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from library.models import EXTRACTED_TEXT_MAX_LENGTH

# A zipped document is refused when its parts unpack to more than this: a small file must not fill the worker's memory.
MAX_UNPACKED_SIZE = 200 * 1024 * 1024
MAX_PDF_PAGES = 2000


class Unreadable(Exception):
    """The file cannot be read; str() is a short reason for its editors (translated when shown)."""


@dataclass(frozen=True)
class Extracted:
    text: str
    pages: int | None = None


def extract(content: bytes, file_type: str) -> Extracted:
    reader = READERS.get(file_type)
    if reader is None:
        return Extracted("")
    result = reader(content)
    text = result.text.replace("\x00", " ")[:EXTRACTED_TEXT_MAX_LENGTH].strip()
    return Extracted(text, result.pages)


def read_pdf(content: bytes) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            # Many PDFs are "encrypted" with an empty password only to forbid copying: those still open.
            try:
                if not reader.decrypt(""):
                    raise Unreadable(_("The PDF is protected by a password."))
            except (NotImplementedError, FileNotDecryptedError, DependencyError):
                raise Unreadable(_("The PDF is protected by a password.")) from None
        pages = len(reader.pages)
        parts, size = [], 0
        for page in reader.pages[:MAX_PDF_PAGES]:
            part = page.extract_text() or ""
            parts.append(part)
            size += len(part)
            if size > EXTRACTED_TEXT_MAX_LENGTH:
                break
    except (FileNotDecryptedError, DependencyError):
        raise Unreadable(_("The PDF is protected by a password.")) from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
        raise Unreadable(_("The PDF is damaged or not a PDF.")) from None
    return Extracted("\n".join(parts), pages)


def _check_zip(content: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise Unreadable(_("The document is damaged.")) from None
    if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_SIZE:
        raise Unreadable(_("The document is too large once unpacked."))
    return archive


def read_docx(content: bytes) -> Extracted:
    import docx

    _check_zip(content)
    document = docx.Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return Extracted("\n".join(parts))


def read_pptx(content: bytes) -> Extracted:
    from pptx import Presentation

    _check_zip(content)
    presentation = Presentation(io.BytesIO(content))
    parts = []
    for slide in presentation.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
    return Extracted("\n".join(parts), len(presentation.slides))


def read_xlsx(content: bytes) -> Extracted:
    import openpyxl

    _check_zip(content)
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    parts, size = [], 0
    try:
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                line = " ".join(str(value) for value in row if value is not None)
                parts.append(line)
                size += len(line)
                if size > EXTRACTED_TEXT_MAX_LENGTH:
                    return Extracted("\n".join(parts))
    finally:
        workbook.close()
    return Extracted("\n".join(parts))


def read_odf(content: bytes) -> Extracted:
    from odf import teletype
    from odf.opendocument import load
    from odf.text import H, P

    _check_zip(content)
    document = load(io.BytesIO(content))
    parts = [teletype.extractText(element) for kind in (H, P) for element in document.getElementsByType(kind)]
    return Extracted("\n".join(parts))


def read_text(content: bytes) -> Extracted:
    return Extracted(content.decode("utf-8", errors="replace"))


READERS = {
    "application/pdf": read_pdf,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": read_docx,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": read_xlsx,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": read_pptx,
    "application/vnd.oasis.opendocument.text": read_odf,
    "application/vnd.oasis.opendocument.spreadsheet": read_odf,
    "application/vnd.oasis.opendocument.presentation": read_odf,
    "text/plain": read_text,
    "text/markdown": read_text,
    "text/csv": read_text,
}
