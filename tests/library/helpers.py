"""Resources and real small files for the library's tests."""

import io
import itertools

from django.core.files.base import ContentFile

from library.models import Resource, ResourceKind

_counter = itertools.count(1)


def make_resource(**kwargs) -> Resource:
    """A resource saved as a form would leave it (file checked, extraction queued): published by default."""
    n = next(_counter)
    kwargs.setdefault("title", f"Resource {n}")
    kwargs.setdefault("kind", ResourceKind.GUIDE)
    kwargs.setdefault("state", "published")
    themes = kwargs.pop("themes", [])
    content = kwargs.pop("content", None)
    if content is not None:
        name, data, file_type = content
        kwargs["file"] = ContentFile(data, name=name)
        kwargs.setdefault("file_type", file_type)
        kwargs.setdefault("file_size", len(data))
    elif "file" not in kwargs:
        kwargs.setdefault("url", f"https://example.org/resource-{n}")
    resource = Resource.objects.create(**kwargs)
    if themes:
        from practices.models import Theme

        resource.themes.set(Theme.objects.filter(slug__in=themes))
    return resource


def pdf_bytes(*pages: str) -> bytes:
    """A real PDF with one page per text (Helvetica, one line each), written by hand: pypdf reads it back."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(len(pages)))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>")
    font = 3 + 2 * len(pages)
    for i, text in enumerate(pages):
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * i} 0 R "
            f"/Resources << /Font << /F1 {font} 0 R >> >> >>"
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream.decode('latin-1')}\nendstream")
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def encrypted_pdf_bytes(text: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(text))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(*paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
