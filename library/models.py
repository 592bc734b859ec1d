"""The digital library ("una libreria digitale"): guides, toolkits, case studies, reports, Local Action Plans, training
material, videos and datasets, as an uploaded file or a link, with the same moderation, history and restore as
practices. The text inside uploaded files is extracted on the task queue (library.extraction) and searched."""

import uuid
from functools import partial
from pathlib import Path

from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from conect.history import History
from conect.storage import private_storage
from conect.text import AutoSlugMixin, no_markup
from conect.translations import TranslatedDescription, translations_field
from labs.models import Lab
from labs.moderation import Moderated, ModeratedQuerySet
from labs.roles import Role, has_role
from practices.models import SearchText

DESCRIPTION_MAX_LENGTH = 20_000
# Text kept from a file for search and passages: a 300-page report fits; the search vector stays under 1 MB.
EXTRACTED_TEXT_MAX_LENGTH = 400_000
# Shown inline (with a sandbox) on the resource's page; every other file is only ever downloaded.
PREVIEW_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/webp"})


class ResourceKind(models.TextChoices):
    GUIDE = "guide", _("Guide")
    TOOLKIT = "toolkit", _("Toolkit")
    CASE_STUDY = "case_study", _("Case study")
    REPORT = "report", _("Report")
    ACTION_PLAN = "action_plan", _("Local Action Plan")
    TRAINING = "training", _("Training material")
    VIDEO = "video", _("Video")
    DATASET = "dataset", _("Dataset")


class Licence(models.TextChoices):
    CC_BY = "CC-BY-4.0", _("Creative Commons Attribution 4.0 (CC BY)")
    CC_BY_SA = "CC-BY-SA-4.0", _("Creative Commons Attribution-ShareAlike 4.0 (CC BY-SA)")
    CC_BY_NC = "CC-BY-NC-4.0", _("Creative Commons Attribution-NonCommercial 4.0 (CC BY-NC)")
    CC_BY_NC_SA = "CC-BY-NC-SA-4.0", _("Creative Commons Attribution-NonCommercial-ShareAlike 4.0 (CC BY-NC-SA)")
    CC_BY_ND = "CC-BY-ND-4.0", _("Creative Commons Attribution-NoDerivatives 4.0 (CC BY-ND)")
    CC_BY_NC_ND = "CC-BY-NC-ND-4.0", _("Creative Commons Attribution-NonCommercial-NoDerivatives 4.0 (CC BY-NC-ND)")
    CC0 = "CC0-1.0", _("Public domain (CC0)")
    ALL_RIGHTS_RESERVED = "all-rights-reserved", _("All rights reserved")


# The Creative Commons deed of each licence, linked from a resource's page.
LICENCE_DEEDS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/",
    Licence.CC_BY_NC_SA: "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    Licence.CC_BY_ND: "https://creativecommons.org/licenses/by-nd/4.0/",
    Licence.CC_BY_NC_ND: "https://creativecommons.org/licenses/by-nc-nd/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
}


class Extraction(models.TextChoices):
    NONE = "none", _("No file")
    PENDING = "pending", _("Waiting to be read")
    DONE = "done", _("Text extracted")
    EMPTY = "empty", _("No text found")
    FAILED = "failed", _("Could not be read")


def search_query(text: str) -> SearchQuery | None:
    """The words as one query in every language configuration, as practices read them (practices.models.SearchText:
    an excluded word in no language); None when there are none."""
    return SearchText(text).query


def resource_path(resource: "Resource", filename: str) -> str:
    # A fresh folder per upload keeps the original file name for downloads without collisions.
    return f"library/{uuid.uuid4().hex}/{Path(filename).name}"


class ResourceQuerySet(ModeratedQuerySet):
    def with_relations(self) -> "ResourceQuerySet":
        return self.select_related("lab").prefetch_related("themes")

    def search(self, text: str) -> "ResourceQuerySet":
        """Full text in every language of the platform (titles, authors, descriptions and their translations, the
        text read from the file), each text stemmed in its own language; ranked, best first, by `rank`."""
        query = search_query(text)
        if query is None:
            return self
        return self.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))


class Resource(AutoSlugMixin, TranslatedDescription, Moderated):
    """One item of the library."""

    slug_from = "title"

    title = models.CharField(_("title"), max_length=300, validators=[no_markup])
    slug = models.SlugField(_("slug"), max_length=120, unique=True, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=ResourceKind.choices)
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[no_markup, MaxLengthValidator(DESCRIPTION_MAX_LENGTH)],
    )
    descriptions = translations_field()
    file = models.FileField(_("file"), upload_to=resource_path, storage=private_storage, blank=True, max_length=300)
    url = models.URLField(_("link"), blank=True, max_length=500)
    # A known document that is not online (the seeds name items without a file or an address): described only.
    reference_only = models.BooleanField(
        _("described only"),
        default=False,
        help_text=_("A known document with neither a file nor a link to give: the page describes it."),
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    licence = models.CharField(_("licence"), max_length=30, choices=Licence.choices, blank=True)
    authors = models.CharField(_("authors"), max_length=500, blank=True, validators=[no_markup])
    published_year = models.PositiveSmallIntegerField(_("year published"), null=True, blank=True)
    themes = models.ManyToManyField("practices.Theme", blank=True, related_name="resources", verbose_name=_("themes"))
    practices = models.ManyToManyField(
        "practices.Practice", blank=True, related_name="library_items", verbose_name=_("practices")
    )
    activities = models.ManyToManyField(
        "activities.Activity", blank=True, related_name="resources", verbose_name=_("activities")
    )
    # What the file is, as we checked it on upload (never what the browser claimed).
    file_type = models.CharField(_("file type"), max_length=100, blank=True, editable=False)
    file_size = models.PositiveBigIntegerField(_("file size"), null=True, blank=True, editable=False)
    extraction = models.CharField(
        _("text extraction"), max_length=20, choices=Extraction.choices, default=Extraction.NONE, editable=False
    )
    extraction_error = models.TextField(_("why the text could not be read"), blank=True, editable=False)
    extracted_text = models.TextField(blank=True, editable=False)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True, editable=False)
    download_count = models.PositiveIntegerField(_("downloads"), default=0, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ResourceQuerySet.as_manager()
    history = History(
        m2m_fields=[themes, practices, activities],
        excluded_fields=["search_vector", "extracted_text", "download_count", "extraction", "extraction_error"],
    )

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["title"]
        indexes = [GinIndex(fields=["search_vector"], name="resource_search_gin")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url="") | Q(reference_only=True), name="resource_has_file_or_link"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if not self.file and not self.url and not self.reference_only:
            raise ValidationError({"file": _("Upload a file or give a link.")}, code="file_or_link")
        if self.file and self.url:
            raise ValidationError({"url": _("Give a file or a link, not both.")}, code="file_and_link")
        if self.reference_only and (self.file or self.url):
            raise ValidationError(
                {"reference_only": _("A resource with a file or a link is not described only.")}, code="reference"
            )

    def save(self, *args, **kwargs):
        # A new file (from a form, the admin or a restore) is read again on the task queue once it is committed.
        stored = type(self).objects.filter(pk=self.pk).values_list("file", flat=True).first() if self.pk else None
        new_file = bool(self.file) and self.file.name != stored
        if new_file or not self.file:
            self.extraction = Extraction.PENDING if new_file else Extraction.NONE
            self.extraction_error, self.extracted_text, self.page_count = "", "", None
        super().save(*args, **kwargs)
        if new_file:
            from library import tasks

            transaction.on_commit(partial(tasks.extract_text.enqueue, self.pk))

    @staticmethod
    def can_add(user) -> bool:
        """Lab members (of any Lab) and coordinators add resources."""
        return has_role(user, Role.COORDINATOR) or Lab.objects.addable_by(user).exists()

    @property
    def file_name(self) -> str:
        return Path(self.file.name).name if self.file else ""

    @property
    def previewable(self) -> bool:
        return self.file_type in PREVIEW_TYPES

    @property
    def licence_deed(self) -> str:
        return LICENCE_DEEDS.get(self.licence, "")

    @property
    def language_name(self) -> str:
        from django.utils.translation import get_language_info

        try:
            return str(get_language_info(self.language)["name_translated"]) if self.language else ""
        except KeyError:
            return self.language

    @property
    def is_pdf(self) -> bool:
        return self.file_type == "application/pdf"

    def count_download(self) -> None:
        type(self).objects.filter(pk=self.pk).update(download_count=F("download_count") + 1)
