import operator
import re
import uuid
from dataclasses import dataclass
from datetime import timedelta
from functools import reduce
from pathlib import Path

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, GistIndex, OpClass
from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import (
    SearchConfig,
    SearchQuery,
    SearchRank,
    SearchVectorExact,
    SearchVectorField,
)
from django.core.exceptions import EmptyResultSet, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import connections, transaction
from django.db.models import BooleanField, F, FloatField, Func, Q, Value
from django.db.models.functions import Upper
from django.db.models.lookups import Exact
from django.db.models.sql.where import AND, WhereNode
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from conect.history import History
from conect.storage import private_storage
from conect.text import AutoSlugMixin, no_control_characters, no_markup
from conect.validators import validate_area, validate_period, validate_point
from labs.models import Lab
from labs.moderation import Moderated, ModeratedQuerySet
from labs.roles import Role, has_role
from practices.mapcache import bump_map_version
from practices.vocabularies import (
    SDG_NAMES,
    PracticeStatus,
    ResilienceDimension,
    ResourceKind,
    Scale,
    SpaceKind,
    TargetGroup,
    Tenure,
    language_choices,
)


class Unaccent(Func):
    """Text without accents, so "Ballaro" finds "Ballarò" (an immutable wrapper from migration 0001: indexable)."""

    function = "conect_unaccent"


def _choices_array(base: models.Field, verbose_name) -> ArrayField:
    return ArrayField(base, verbose_name=verbose_name, default=list, blank=True)


# The search vector of a practice holds its texts in every language and cannot exceed 1 MB: migration 0007 shares
# the room between the languages, and with six translations whole descriptions of this length fit.
DESCRIPTION_MAX_LENGTH = 20_000
NOTES_MAX_LENGTH = 5_000


def _long_text(verbose_name, max_length: int = DESCRIPTION_MAX_LENGTH, **kwargs) -> models.TextField:
    """Free text of bounded length: max_length sizes the form's textarea and the API's field; the validator holds the
    limit for imports too (Django checks a TextField's max_length in forms only)."""
    validators = [no_markup, MaxLengthValidator(max_length)]
    return models.TextField(verbose_name, blank=True, max_length=max_length, validators=validators, **kwargs)


class MapVersion(models.Model):
    """One row: bumped by every change drawn on maps (see practices.mapcache)."""

    version = models.BigIntegerField(default=1)

    class Meta:
        verbose_name = _("map version")

    def __str__(self) -> str:
        return str(self.version)


class OnTheMap(models.Model):
    """A row drawn on the map: saving it hides the cached tiles that show its old state."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # The version's row lock first, then the cells' (by the table's triggers), in every writer's transaction as
        # in the themes' trigger (migration 0018): two editors' transactions never wait on each other in a cycle.
        bump_map_version()
        super().save(*args, **kwargs)


class Theme(models.Model):
    """A field of practice (food, care, energy...). Names in every language live in the row: coordinators add themes."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100, help_text=_("In English."))
    names = models.JSONField(_("names in other languages"), default=dict, blank=True)
    colour = models.CharField(_("colour"), max_length=7, help_text=_("Hex colour of its map markers, e.g. #0b6e4f."))

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs):
        bump_map_version()  # its colour is on the map; the version's lock before any other (OnTheMap.save)
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return self.names.get(get_language() or "en") or self.name


class SDG(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), primary_key=True)

    class Meta:
        verbose_name = _("Sustainable Development Goal")
        verbose_name_plural = _("Sustainable Development Goals")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def name(self) -> str:
        return str(SDG_NAMES[self.number])


class SpaceQuerySet(ModeratedQuerySet):
    pass


class Space(AutoSlugMixin, OnTheMap, Moderated):
    """A place where practices happen: a community garden, a social centre, a co-housing building..."""

    name = models.CharField(_("name"), max_length=200, validators=[no_markup])
    slug = models.SlugField(_("slug"), max_length=120, unique=True, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=SpaceKind.choices)
    location = models.PointField(_("location"), srid=4326, validators=[validate_point])
    area = models.MultiPolygonField(_("area"), srid=4326, null=True, blank=True, validators=[validate_area])
    address = models.CharField(_("address"), max_length=250, blank=True, validators=[no_markup])
    city = models.CharField(_("city"), max_length=200, blank=True, validators=[no_markup])
    country = CountryField(_("country"))
    tenure = models.CharField(_("tenure"), max_length=20, choices=Tenure.choices, blank=True)
    step_free = models.BooleanField(_("step-free access"), null=True, blank=True)
    accessibility = _long_text(_("accessibility notes"), NOTES_MAX_LENGTH)
    description = _long_text(_("description"))

    objects = SpaceQuerySet.as_manager()
    history = History()

    class Meta:
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        ordering = ["name"]
        # The site search's icontains (UPPER(column) LIKE UPPER('%words%')) from trigram indexes, not a table scan;
        # its first spaces by name for common words from the names' order, without sorting every match.
        indexes = [
            *(
                GinIndex(OpClass(Upper(field), name="gin_trgm_ops"), name=f"space_{field}_trgm")
                for field in ("name", "city", "description")
            ),
            models.Index(fields=["name"], name="space_name_order"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("practices:space_detail", kwargs={"slug": self.slug})


# How many matches of a search are ranked, and counted before its total reads "more than".
SEARCH_CANDIDATES = 1000
SEARCH_CONFIGS = ("english", "italian", "romanian", "french", "german", "spanish", "simple")


class SearchWords(SearchQuery):
    """Words to look for in every configuration of SEARCH_CONFIGS, as one tsquery: the OR of each configuration's
    websearch_to_tsquery, each distinct query once (conect_search_query, migration 0021).

    Most words stem alike in several languages ("practice" gives 'practic' six times): the planner folds the call
    into a constant and estimates each word once (seven copies of a word in 13% of the practices looked like 56%)."""

    def __init__(self, words: str):
        super().__init__(words)
        self.function = "conect_search_query"
        self.source_expressions += [SearchConfig(config) for config in SEARCH_CONFIGS]


# A word or a "phrase" of a search box, after the minus that excludes it: websearch_to_tsquery reads a minus as
# "not" at the start of a term only ("well-being" is a word).
_SEARCH_TERMS = re.compile(r'(-*)("[^"]*"?|[^\s"]+)')


class SearchText:
    """What someone typed in a search box, read once for every search of the platform (practices and library).

    `query` looks for the wanted words in every language and excludes a practice (or an item) that holds an
    excluded word in any language: per configuration, "-kitchen" is !'kitchen' in English and !'kitch' in German,
    and their OR let through the English practices about kitchens. An excluded word is excluded from every result,
    also after an "or" ("garden or -kitchen" is garden without kitchen)."""

    def __init__(self, text: str):
        self.text = " ".join(text.replace("\x00", "").split())[:200]
        terms = _SEARCH_TERMS.findall(self.text)
        self.wanted = " ".join(term for minus, term in terms if not minus)
        self.excluded = [term for minus, term in terms if minus]

    @cached_property
    def query(self) -> SearchQuery | None:
        """The wanted words in any language and none of the excluded ones in any (None when there are no words)."""
        parts = [SearchWords(self.wanted)] if self.wanted else []
        parts += [~SearchWords(term) for term in self.excluded]
        return reduce(operator.and_, parts) if parts else None

    @property
    def title_words(self) -> str:
        """The words a title alike (a typo) is compared with: the wanted words without quotes or "or"; none when
        some are excluded, since a title alike does not match the words and so could be one of the excluded."""
        if self.excluded:
            return ""
        return " ".join(word for word in self.wanted.replace('"', " ").split() if word.lower() != "or")


class SearchMatch(Func):
    """A practice matching a search: its search vector matches the words, or its title is like them (typos).

    `part` "both" is `text OR title`; RankedMatches plans each part on its own, "text" alone and "title" for the
    titles alike whose search vector does not match: filtered again on one part, `(text OR title) AND text` looks
    rarer than it is and reads both indexes."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, text, title, *, part: str = "both"):
        super().__init__(text, title)
        self.part = part

    def as_part(self, part: str) -> "SearchMatch":
        return SearchMatch(*self.get_source_expressions(), part=part)

    def as_sql(self, compiler, connection, **extra_context):
        (text, text_params), (title, title_params) = (compiler.compile(e) for e in self.get_source_expressions())
        if self.part == "text":
            return text, text_params
        if self.part == "title":
            return f"({title} AND ({text}) IS NOT TRUE)", [*title_params, *text_params]
        return f"({text} OR {title})", [*text_params, *title_params]


def _search_match(where: WhereNode) -> tuple[WhereNode, int, SearchMatch] | None:
    """Where a search's SearchMatch is among the filters ANDed in `where`: its node, its index there, and itself."""
    if where.connector != AND or where.negated:
        return None
    for index, child in enumerate(where.children):
        if isinstance(child, Exact) and isinstance(child.lhs, SearchMatch):
            return where, index, child.lhs
        if isinstance(child, WhereNode) and (found := _search_match(child)):
            return found
    return None


class RankedMatches:
    """A search's matches, best first, as a paginator reads them: one query ranks the first `candidates` + 1 matches
    found and returns their ids, which also count them ("more than" beyond `candidates`); a page's practices are
    then read by id.

    Matches of the words come first, titles alike only when those are fewer. A title alike ranks 0 (it does not
    match the words, so its ts_rank would only count the words it happens to hold, an excluded one too) and is
    looked for only when no word is excluded (SearchText.title_words); a match of such words holds one of them and
    ranks above 0, so every match of the words comes before every title alike, and the best are those of all the
    matches. Both stop at the first matches found (a table scan or an index's): ranking every match of a word found
    in most of a million practices took seconds."""

    def __init__(self, practices: "PracticeQuerySet", candidates: int):
        self.practices, self.candidates = practices, candidates

    def _parts(self) -> list["PracticeQuerySet"]:
        """The practices matching the words, then the titles alike that do not (none when the search has no title
        alike to look for), each with the other filters: the search's SearchMatch swapped for one of its parts."""
        queryset = self.practices.order_by()
        found = _search_match(queryset.query.where)
        if found is None:
            return [queryset]
        parts = []
        for part in ("text", "title"):
            part_queryset = queryset.all()
            where = part_queryset.query.where = queryset.query.where.clone()
            node, index, match = _search_match(where)
            node.children[index] = Exact(match.as_part(part), True)
            parts.append(part_queryset)
        parts[1] = parts[1].annotate(rank=Value(0.0, output_field=FloatField()))
        return parts

    @cached_property
    def ids(self) -> list[int]:
        """The ids of up to `candidates` + 1 matches, best first."""
        found = self.candidates + 1
        compiled = []
        for queryset in self._parts():
            try:
                compiled.append(queryset.values_list("id", "title", "rank")[:found].query.sql_with_params())
            except EmptyResultSet:  # filters that nothing passes (.none()): no query
                return []
        sql, params = compiled[0]
        if len(compiled) == 2:  # the titles alike after the matches of the words, the first `found` of both
            (text, text_params), (title, title_params) = compiled
            sql, params = f"({text}) UNION ALL ({title}) LIMIT %s", [*text_params, *title_params, found]
        sql = f"SELECT id FROM ({sql}) AS found ORDER BY rank DESC, title, id"  # noqa: S608 - compiled
        with connections[self.practices.db].cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def count(self) -> int:
        """How many were found: up to `candidates` + 1."""
        return len(self.ids)

    def __len__(self) -> int:
        return min(len(self.ids), self.candidates)

    def __getitem__(self, index: slice) -> list["Practice"]:
        ids = self.ids[: self.candidates][index]
        rows = {
            practice.pk: practice for practice in self.practices.filter(pk__in=ids).order_by().defer("search_vector")
        }
        return [rows[pk] for pk in ids if pk in rows]  # one deleted meanwhile is left out


class PracticeQuerySet(ModeratedQuerySet):
    def linkable_by(self, user, *, linked=()) -> "PracticeQuerySet":
        """The practices a person may link an activity or a library item to: their Labs' (all, for coordinators),
        and those linked already (which an edit keeps)."""
        return self.visible_to(user).filter(Q(lab__in=Lab.objects.addable_by(user)) | Q(pk__in=linked))

    def with_relations(self) -> "PracticeQuerySet":
        return self.select_related("lab", "primary_theme").prefetch_related("themes", "sdgs", "translations")

    def search(self, text: str) -> "PracticeQuerySet":
        """Full text in every language of the platform (SearchText), plus trigram matching of titles for typos."""
        search = SearchText(text)
        if search.query is None:
            return self
        text_match = SearchVectorExact(F("search_vector"), search.query)
        if search.title_words:
            title_match = TrigramWordSimilar(Unaccent(Upper("title")), Unaccent(Upper(Value(search.title_words))))
            text_match = SearchMatch(text_match, title_match)
        return self.filter(text_match).annotate(rank=SearchRank(F("search_vector"), search.query))

    def by_relevance(self, candidates: int | None = None) -> "RankedMatches | PracticeQuerySet":
        """A search's results, best first, ranking only its first `candidates` matches (SEARCH_CANDIDATES); those
        of no search in title order.

        Call it last, after every filter: the bound applies to what the filters let through."""
        if "rank" not in self.query.annotations:
            return self.order_by("title", "pk")
        return RankedMatches(self, candidates or SEARCH_CANDIDATES)


@dataclass(frozen=True)
class LocalisedText:
    title: str
    summary: str
    description: str
    language: str
    is_original: bool


class Practice(AutoSlugMixin, OnTheMap, Moderated):
    slug_from = "title"

    title = models.CharField(_("title"), max_length=250, validators=[no_markup])
    slug = models.SlugField(_("slug"), max_length=120, unique=True, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True, validators=[no_markup])
    description = _long_text(_("description"), help_text=_("Markdown: **bold**, lists, links."))
    original_language = models.CharField(_("original language"), max_length=10, choices=language_choices, default="en")
    primary_theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("main theme"),
        help_text=_("Gives the practice its colour on the map."),
    )
    themes = models.ManyToManyField(Theme, related_name="practices", verbose_name=_("themes"), blank=True)
    sdgs = models.ManyToManyField(SDG, related_name="practices", verbose_name=_("SDGs"), blank=True)
    dimensions = _choices_array(
        models.CharField(max_length=20, choices=ResilienceDimension.choices), _("resilience dimensions")
    )
    target_groups = _choices_array(models.CharField(max_length=20, choices=TargetGroup.choices), _("target groups"))
    resources = _choices_array(models.CharField(max_length=20, choices=ResourceKind.choices), _("resources"))
    scale = models.CharField(_("scale"), max_length=20, choices=Scale.choices, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=PracticeStatus.choices, default=PracticeStatus.ACTIVE)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    spaces = models.ManyToManyField(Space, related_name="practices", verbose_name=_("spaces"), blank=True)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=200, blank=True, validators=[no_markup])
    location = models.PointField(_("location"), srid=4326, null=True, blank=True, validators=[validate_point])
    website = models.URLField(_("website"), blank=True, validators=[no_control_characters])
    contact_email = models.EmailField(_("contact e-mail"), blank=True, help_text=_("Never shown publicly."))
    contact_phone = models.CharField(
        _("contact phone"),
        max_length=50,
        blank=True,
        validators=[no_control_characters],
        help_text=_("Never shown publicly."),
    )
    source = models.CharField(_("source"), max_length=100, blank=True, help_text=_("Where an imported row came from."))
    source_id = models.CharField(_("identifier at the source"), max_length=200, blank=True)
    # Kept up to date by database triggers (migrations 0003 and 0007) from the text in every language.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = PracticeQuerySet.as_manager()
    history = History(m2m_fields=[themes, sdgs], excluded_fields=["search_vector"])

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        ordering = ["title"]
        indexes = [
            GinIndex(fields=["dimensions"], name="practice_dimensions_gin"),
            GinIndex(fields=["target_groups"], name="practice_target_groups_gin"),
            GinIndex(fields=["search_vector"], name="practice_search_gin"),
            models.Index(fields=["title", "id"], name="practice_title_order"),
            GinIndex(OpClass(Unaccent(Upper("title")), name="gin_trgm_ops"), name="practice_title_trgm_unaccent"),
            # Partial indexes on what a visitor sees (README "Indexes", proven by EXPLAIN in bench/explain.py): the
            # tiles, the bbox API and related practices; the list and count of one country; a Lab page's list,
            # count and map points (index-only scans, in title order).
            # An expression (F), not fields=: PostGIS's schema editor drops the condition of a one-geometry index.
            GistIndex(F("location"), condition=Q(state="published"), name="practice_published_location"),
            models.Index(
                fields=["country", "title", "id"], condition=Q(state="published"), name="practice_published_country"
            ),
            models.Index(
                fields=["lab", "title", "id"], condition=Q(state="published"), name="practice_lab_published_title"
            ),
        ]
        constraints = [
            # An import updates the practices of its own Lab only: the same source may feed several Labs.
            models.UniqueConstraint(
                fields=["lab", "source", "source_id"],
                condition=~Q(source="") & ~Q(source_id=""),
                nulls_distinct=False,
                name="one_practice_per_lab_source_id",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="practice_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("practices:practice_detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        validate_period(self.start_date, self.end_date)

    def relations_saved(self) -> None:
        self.set_themes(self.themes.all())  # whichever path wrote the themes and the main theme

    def set_themes(self, themes) -> None:
        """Its themes, always with the main theme among them: the marker's colour and ?theme= must agree."""
        chosen = {theme if isinstance(theme, int) else theme.pk for theme in themes}
        if self.primary_theme_id is not None:
            chosen.add(self.primary_theme_id)
        self.themes.set(chosen)

    def localised(self, language: str | None = None) -> LocalisedText:
        """The best text for a reader of `language` (the active one by default), and the language it is written in.

        In order: the reader's language; the original, when it has words besides its title; the English translation;
        any translation with words. A translation's summary and description are never filled in from another language
        (the page marks one language); a translation that gives only a title lends it to the original text."""
        language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
        # The prefetched rows, not a query, so lists stay constant in queries.
        translations = [t for t in self.translations.all() if t.language != self.original_language]
        worded = [t for t in translations if t.summary or t.description]
        readers = next((t for t in translations if t.language == language), None)
        if readers is not None and readers in worded:
            return LocalisedText(readers.title or self.title, readers.summary, readers.description, language, False)
        if self.summary or self.description or not worded:
            title = readers.title if readers is not None and readers.title else self.title
            return LocalisedText(title, self.summary, self.description, self.original_language, is_original=True)
        # No words in the original (an import that brought only translations): English first, the common language.
        other = next((t for t in worded if t.language == "en"), worded[0])
        return LocalisedText(other.title or self.title, other.summary, other.description, other.language, False)


class PracticeTranslation(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=10, choices=language_choices)
    title = models.CharField(_("title"), max_length=250, validators=[no_markup])
    summary = models.CharField(_("summary"), max_length=500, blank=True, validators=[no_markup])
    description = _long_text(_("description"))

    history = History()

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        ordering = ["language"]
        constraints = [models.UniqueConstraint(fields=["practice", "language"], name="one_translation_per_language")]

    def __str__(self) -> str:
        return f"{self.practice} ({self.language})"

    def clean(self):
        super().clean()
        if self.practice_id is not None and self.language == self.practice.original_language:
            raise ValidationError({"language": _("The original language needs no translation.")})

    def save(self, *args, **kwargs):
        bump_map_version()  # titles on the map come in each language; the version's lock first (OnTheMap.save)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        bump_map_version()
        return super().delete(*args, **kwargs)


def photo_path(instance, filename: str) -> str:
    """Unguessable names: a photo of a draft is not found by trying addresses."""
    return f"practices/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ImportJobQuerySet":
        """Coordinators see every import; a facilitator their own, and only while they may still import into its Lab.

        The same rule decides whether a job may still write (ImportJob.may_run): a facilitator demoted after the dry
        run can neither see the job nor run it."""
        if has_role(user, Role.COORDINATOR):
            return self.all()
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(created_by=user, lab__in=Lab.objects.moderatable_by(user))


class ImportJobBase(models.Model):
    """What every import job keeps (practices here, organisations and relationships in networks): the uploader and the
    Lab, the file, the two steps (dry run, then import) run on the task queue with their progress, outcome and failure
    reason. practices.services runs the steps for any model built on it."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for a worker")
        RUNNING = "running", _("Running")
        PLANNED = "planned", _("Ready to import")
        IMPORTED = "imported", _("Imported")
        REFUSED = "refused", _("Refused")
        FAILED = "failed", _("Failed")

    class Step(models.TextChoices):
        PLAN = "plan", _("Dry run")
        APPLY = "apply", _("Import")

    # A running step writes its progress every second or so: silent this long, its worker was stopped.
    STALLED_AFTER = timedelta(minutes=10)

    # Null when `manage.py import_practices` runs without --user: someone with a shell on the server.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    lab = models.ForeignKey("labs.Lab", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    file = models.FileField(upload_to="imports/%Y/%m/", storage=private_storage)
    filename = models.CharField(max_length=255)
    language = models.CharField(max_length=10, default="en")  # the uploader's: reasons and errors are written in it
    publish = models.BooleanField(default=False)
    counts = models.JSONField(default=dict)  # the dry run: rows to create, update, refuse
    report = models.JSONField(default=dict)  # the import: rows created, updated, unchanged, refused
    step = models.CharField(max_length=5, choices=Step.choices, default=Step.PLAN)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    # Each run of a step gets the next number: a run that is no longer the latest (retried meanwhile) writes nothing.
    attempt = models.PositiveIntegerField(default=0)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    @property
    def is_stalled(self) -> bool:
        """Running, but silent for so long that its worker must have been stopped (killed, restarted)."""
        return (
            self.status == self.Status.RUNNING
            and self.heartbeat_at is not None
            and self.heartbeat_at < timezone.now() - self.STALLED_AFTER
        )

    @property
    def is_under_way(self) -> bool:
        return self.status in (self.Status.WAITING, self.Status.RUNNING) and not self.is_stalled

    @property
    def can_retry(self) -> bool:
        return self.status == self.Status.FAILED or self.is_stalled

    @property
    def percent(self) -> int:
        return min(100, 100 * self.progress_done // self.progress_total) if self.progress_total else 0

    def may_run(self) -> bool:
        """Whether the person who started it may still import into its Lab (checked again before every write)."""
        if self.created_by is None:
            return True
        return type(self).objects.visible_to(self.created_by).filter(pk=self.pk).exists()


class ImportJob(ImportJobBase):
    """One upload of a file of practices. Its two steps, the dry run and the import, run on the task queue
    (practices.tasks); the job keeps their progress, outcome and failure reason, and the report row by row."""

    source = models.CharField(_("source"), max_length=100, blank=True)
    mapping = models.JSONField(default=dict)
    columns = models.JSONField(default=list)
    europe_only = models.BooleanField(default=True)
    strict = models.BooleanField(default=False)

    class Meta(ImportJobBase.Meta):
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def get_absolute_url(self) -> str:
        return reverse("practices:import_job", kwargs={"pk": self.pk})


class ImportRow(models.Model):
    """One row of an import's file: what the dry run found, then what the import did, for the paged report."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("updated")
        UNCHANGED = "unchanged", _("unchanged")
        REJECT = "reject", _("refused")

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField()
    action = models.CharField(max_length=10, choices=Action.choices)
    title = models.CharField(max_length=250, blank=True)
    reasons = models.JSONField(default=list)
    warnings = models.JSONField(default=list)
    practice = models.ForeignKey(Practice, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["job", "number"]
        constraints = [models.UniqueConstraint(fields=["job", "number"], name="one_import_row_per_number")]

    def __str__(self) -> str:
        return f"{self.job} #{self.number}"


class PracticeImage(models.Model):
    """A photo of a practice, stored re-encoded without its metadata (see practices.images).

    Its files live in the private storage, never under MEDIA_URL: practices.views.photo serves them to those who may
    see the practice."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to=photo_path, storage=private_storage)
    thumbnail = models.ImageField(upload_to=photo_path, storage=private_storage)
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    alt_text = models.CharField(_("description for people who cannot see it"), max_length=250, validators=[no_markup])
    credit = models.CharField(_("credit"), max_length=200, blank=True, validators=[no_markup])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.alt_text

    def get_absolute_url(self) -> str:
        return reverse("photo", kwargs={"pk": self.pk, "size": "full"})

    @property
    def thumbnail_url(self) -> str:
        return reverse("photo", kwargs={"pk": self.pk, "size": "thumbnail"})

    def remove(self) -> None:
        """Delete the photo with its files (once the deletion is committed, so a failure keeps both)."""
        files = [(field.storage, field.name) for field in (self.image, self.thumbnail) if field]
        self.delete()
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
