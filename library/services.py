"""Work of the library that runs on the task queue: reading the text inside an uploaded file."""

import logging

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_noop as _

from library.extraction import Unreadable, extract
from library.models import Extraction, Resource

logger = logging.getLogger(__name__)


def extract_text(resource_id: int) -> None:
    """Read the text of a resource's file and store it (the database trigger then indexes it for search). Whatever the
    file holds, the job ends: a file that cannot be read is marked failed, with the reason, and the page and search
    go on without its text."""
    resource = Resource.objects.filter(pk=resource_id).only("pk", "file", "file_type").first()
    if resource is None or not resource.file:
        return
    name = resource.file.name
    try:
        with resource.file.open("rb") as handle:
            content = handle.read()
        result = extract(content, resource.file_type)
    except Unreadable as error:
        # Stored in English, as written in the code: the page shows it in its reader's language.
        with translation.override("en"):
            reason = str(error)
        _store(resource_id, name, extraction=Extraction.FAILED, extraction_error=reason)
        return
    except FileNotFoundError:
        _store(resource_id, name, extraction=Extraction.FAILED, extraction_error=_("The file is missing."))
        return
    except Exception:  # a reader's own bug on a strange file must not stop the worker
        logger.exception("Could not read the file of resource %s", resource_id)
        _store(resource_id, name, extraction=Extraction.FAILED, extraction_error=_("The file could not be read."))
        return
    state = Extraction.DONE if result.text else Extraction.EMPTY
    _store(resource_id, name, extraction=state, extracted_text=result.text, page_count=result.pages)


def _store(resource_id: int, name: str, **fields) -> None:
    # Only while the file is the one that was read: a file replaced meanwhile is read by its own job.
    with transaction.atomic():
        Resource.objects.filter(pk=resource_id, file=name).update(**fields)
