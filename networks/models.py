"""Organisations, the networks they form, the relationships between them, and what the analysis found.

Organisations and relationships are moderated like practices (labs.moderation): mapped by a Lab, they stay inside it
until a facilitator publishes them. Networks and their memberships are public reference data kept by coordinators.
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from conect.history import History
from conect.storage import private_storage
from conect.text import AutoSlugMixin, no_markup
from conect.translations import TranslatedDescription, translations_field
from conect.validators import validate_period, validate_point
from labs.moderation import Moderated, ModeratedQuerySet
from practices.models import ImportJobBase, ImportRow

TEXT_MAX_LENGTH = 20_000


class OrganisationKind(models.TextChoices):
    NGO = "ngo", _("NGO or association")
    MUNICIPALITY = "municipality", _("Municipality or public body")
    COOPERATIVE = "cooperative", _("Cooperative")
    INFORMAL = "informal", _("Informal group")
    UNIVERSITY = "university", _("University or research centre")
    BUSINESS = "business", _("Business")
    FUNDER = "funder", _("Funder")
    NETWORK = "network", _("Network")


class Sector(models.TextChoices):
    """The four sectors of cross-sector partnership research (the E-I index counts ties across them)."""

    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")
    CIVIC = "civic", _("Civic")
    KNOWLEDGE = "knowledge", _("Knowledge")


class OrganisationSize(models.TextChoices):
    """People working there, in the classes of the EU's definition of micro, small and medium enterprises."""

    MICRO = "micro", _("1 to 9 people")
    SMALL = "small", _("10 to 49 people")
    MEDIUM = "medium", _("50 to 249 people")
    LARGE = "large", _("250 people or more")


def _text(verbose_name, **kwargs) -> models.TextField:
    validators = [no_markup, MaxLengthValidator(TEXT_MAX_LENGTH)]
    return models.TextField(verbose_name, blank=True, max_length=TEXT_MAX_LENGTH, validators=validators, **kwargs)


class OrganisationQuerySet(ModeratedQuerySet):
    pass


class Organisation(AutoSlugMixin, TranslatedDescription, Moderated):
    name = models.CharField(_("name"), max_length=250, validators=[no_markup])
    slug = models.SlugField(_("slug"), max_length=120, unique=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    size = models.CharField(_("size"), max_length=20, choices=OrganisationSize.choices, blank=True)
    lab = models.ForeignKey(
        "labs.Lab",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("Lab"),
        help_text=_("The Lab that mapped it. Without a Lab, it goes to the coordinators."),
    )
    country = CountryField(_("country"), blank=True)
    city = models.CharField(_("city"), max_length=200, blank=True, validators=[no_markup])
    location = models.PointField(_("location"), srid=4326, null=True, blank=True, validators=[validate_point])
    website = models.URLField(_("website"), blank=True)
    description = _text(_("description"))
    descriptions = translations_field()

    objects = OrganisationQuerySet.as_manager()
    history = History()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:organisation", kwargs={"slug": self.slug})


class OrganisationPerson(models.Model):
    """A person, only as a role inside an organisation, and only once their consent is recorded. Their name and role
    are public with the organisation; their contact details are shown only to those who may edit the organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="people", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200, validators=[no_markup])
    role = models.CharField(_("role"), max_length=200, validators=[no_markup], help_text=_("E.g. “project manager”."))
    email = models.EmailField(_("e-mail"), blank=True, help_text=_("Never shown publicly."))
    phone = models.CharField(
        _("phone"), max_length=40, blank=True, validators=[no_markup], help_text=_("Never shown publicly.")
    )
    consent_date = models.DateField(
        _("consent given on"), help_text=_("The day this person agreed to be named here with this role.")
    )
    consent_note = models.CharField(
        _("how consent was recorded"),
        max_length=250,
        validators=[no_markup],
        help_text=_("E.g. “signed form, kept by the Lab of Palermo”."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["organisation", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role}, {self.organisation})"


class NetworkScope(models.TextChoices):
    LOCAL = "local", _("Local")
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")
    EUROPEAN = "eu", _("European")


class NetworkQuerySet(models.QuerySet):
    def visible_to(self, user) -> "NetworkQuerySet":
        return self.all()


class Network(AutoSlugMixin, TranslatedDescription, models.Model):
    """A named network of organisations or cities: an URBACT network, a CERV project, a national programme."""

    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, blank=True)
    scope = models.CharField(_("scope"), max_length=20, choices=NetworkScope.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="parts", verbose_name=_("part of")
    )
    country = CountryField(_("country"), blank=True, help_text=_("For a national, regional or local network."))
    programme = models.CharField(_("programme or funder"), max_length=250, blank=True)
    budget_eur = models.DecimalField(_("budget (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    descriptions = translations_field()
    organisations = models.ManyToManyField(Organisation, through="NetworkMembership", related_name="networks")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="network_ends_after_start",
            )
        ]

    def clean(self):
        super().clean()
        validate_period(self.start_date, self.end_date)

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:detail", kwargs={"slug": self.slug})


class NetworkRole(models.TextChoices):
    LEAD = "lead", _("Lead partner")
    PARTNER = "partner", _("Partner")
    MEMBER = "member", _("Member")


class NetworkMembershipQuerySet(models.QuerySet):
    def of_network(self, network) -> "NetworkMembershipQuerySet":
        """The members of a network and of its hubs: who belongs to a programme belongs through one of its hubs."""
        return self.filter(Q(network=network) | Q(network__parent=network))

    def visible_to(self, user) -> "NetworkMembershipQuerySet":
        # Which organisation belongs to which network is public, once the organisation itself is.
        return self.filter(organisation__in=Organisation.objects.visible_to(user))


class NetworkMembership(models.Model):
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("network")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=NetworkRole.choices, default=NetworkRole.MEMBER)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = NetworkMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("network membership")
        verbose_name_plural = _("network memberships")
        ordering = ["network", "role", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["network", "organisation"], name="one_membership_per_network")]

    def clean(self):
        super().clean()
        validate_period(self.start_date, self.end_date)

    def __str__(self) -> str:
        return f"{self.organisation} — {self.network} ({self.get_role_display()})"


class OrganisationRole(models.TextChoices):
    INITIATOR = "initiator", _("Initiator")
    PARTNER = "partner", _("Partner")
    FUNDER = "funder", _("Funder")
    HOST = "host", _("Host")


class PracticeOrganisation(models.Model):
    """An organisation involved in a practice, and how. Networks read practices; practices never read networks."""

    practice = models.ForeignKey(
        "practices.Practice", on_delete=models.CASCADE, related_name="organisation_links", verbose_name=_("practice")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="practice_links", verbose_name=_("organisation")
    )
    role = models.CharField(
        _("role"), max_length=20, choices=OrganisationRole.choices, default=OrganisationRole.INITIATOR
    )

    class Meta:
        verbose_name = _("organisation involved")
        verbose_name_plural = _("organisations involved")
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "organisation"], name="one_involvement_per_practice_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.practice}"


class RelationshipKind(models.TextChoices):
    PARTNERSHIP = "partnership", _("Partnership")
    FUNDING = "funding", _("Funding")
    MEMBERSHIP = "membership", _("Membership")
    RESOURCE_EXCHANGE = "resource_exchange", _("Resource exchange")
    KNOWLEDGE_EXCHANGE = "knowledge_exchange", _("Knowledge exchange")


class Direction(models.TextChoices):
    DIRECTED = "directed", _("Directed: from the first to the second")
    MUTUAL = "mutual", _("Mutual: both ways")


class RelationshipQuerySet(ModeratedQuerySet):
    def between_visible(self, user) -> "RelationshipQuerySet":
        """Relationships `user` may see whose two organisations they may also see: what every graph draws."""
        organisations = Organisation.objects.visible_to(user)
        return self.visible_to(user).filter(source__in=organisations, target__in=organisations)


class Relationship(Moderated):
    """A tie between two organisations, as a Lab mapped it: moderated like practices."""

    source = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="relationships_out", verbose_name=_("from")
    )
    target = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="relationships_in", verbose_name=_("to")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=RelationshipKind.choices)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.MUTUAL)
    strength = models.PositiveSmallIntegerField(
        _("strength"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("From 1 (weak) to 5 (strong); leave empty when unknown."),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    network = models.ForeignKey(
        Network,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="relationships",
        verbose_name=_("within the network"),
    )
    lab = models.ForeignKey(
        "labs.Lab",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="relationships",
        verbose_name=_("Lab"),
        help_text=_("The Lab that mapped it. Without a Lab, it goes to the coordinators."),
    )
    evidence = models.CharField(
        _("source"),
        max_length=500,
        blank=True,
        validators=[no_markup],
        help_text=_("Where this is known from: a document, a web page, a meeting."),
    )
    description = _text(_("notes"))

    objects = RelationshipQuerySet.as_manager()
    history = History()

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        ordering = ["source__name", "target__name", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source=models.F("target")),
                name="relationship_not_a_self_loop",
                violation_error_message=_("A relationship links two different organisations."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="relationship_ends_after_start",
                violation_error_message=_("The end date cannot come before the start date."),
            ),
        ]

    def __str__(self) -> str:
        arrow = "→" if self.direction == Direction.DIRECTED else "↔"
        return f"{self.source} {arrow} {self.target} ({self.get_kind_display()})"

    def get_absolute_url(self) -> str:
        return reverse("networks:relationship", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        errors = {}
        try:
            validate_period(self.start_date, self.end_date)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if self.source_id is not None and self.source_id == self.target_id:
            errors["target"] = [_("A relationship links two different organisations.")]
        if errors:
            raise ValidationError(errors)

    def twins(self, user) -> "RelationshipQuerySet":
        """The relationships recorded already that this one would repeat, among those `user` may see: the same ends
        (either way when both are mutual), kind, network and start date. One rule for the forms and the imports; what
        the user may not see is never named, and never stops them."""
        same = Q(source_id=self.source_id, target_id=self.target_id)
        if self.direction == Direction.MUTUAL:
            same |= Q(source_id=self.target_id, target_id=self.source_id, direction=Direction.MUTUAL)
        twins = Relationship.objects.between_visible(user).filter(
            same, kind=self.kind, network_id=self.network_id, start_date=self.start_date
        )
        return twins.exclude(pk=self.pk).exclude(state="archived")


class GraphVersion(models.Model):
    """One row: bumped by database triggers on every change to organisations, memberships and relationships, so an
    analysis knows whether the data it was computed on is still the data (networks.analysis)."""

    version = models.BigIntegerField(default=1)

    class Meta:
        verbose_name = _("graph version")

    def __str__(self) -> str:
        return str(self.version)


class AnalysisStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for a worker")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Analysis(models.Model):
    """The metrics of one graph (a network, a Lab's mapping, or everything public), computed on the task queue with
    networkx over published data only, and kept with the graph version they were computed on."""

    scope = models.CharField(max_length=60, unique=True)  # "network:<id>", "lab:<id>", "all"
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("network")
    )
    lab = models.ForeignKey(
        "labs.Lab", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("Lab")
    )
    status = models.CharField(max_length=10, choices=AnalysisStatus.choices, default=AnalysisStatus.WAITING)
    step = models.CharField(max_length=100, blank=True)  # which metric is being computed (an English key)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    data_version = models.BigIntegerField(null=True, blank=True)  # the GraphVersion the results were computed on
    results = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("network analysis")
        verbose_name_plural = _("network analyses")

    def __str__(self) -> str:
        return self.scope


class GraphImportJob(ImportJobBase):
    """One upload of a network into a Lab (Kumu workbook, CSV files, GraphML): its dry run and its import run on the
    task queue like the practices' (networks.import_tasks; its fields and states are the practices import's)."""

    # An elements CSV may come with its connections CSV: read as one file.
    connections_file = models.FileField(upload_to="imports/%Y/%m/", storage=private_storage, blank=True)
    connections_filename = models.CharField(max_length=255, blank=True)

    class Meta(ImportJobBase.Meta):
        verbose_name = _("network import")
        verbose_name_plural = _("network imports")

    def get_absolute_url(self) -> str:
        return reverse("networks:import_job", kwargs={"pk": self.pk})


class GraphImportRow(models.Model):
    """One row of an imported network's file (an element or a connection): what the dry run found, then what the
    import did."""

    job = models.ForeignKey(GraphImportJob, on_delete=models.CASCADE, related_name="rows")
    sheet = models.CharField(max_length=40)  # "Elements", "Connections", or the GraphML "node"/"edge"
    number = models.PositiveIntegerField()  # the row in its sheet, as a spreadsheet numbers it (the header is 1)
    action = models.CharField(max_length=10, choices=ImportRow.Action.choices)
    title = models.CharField(max_length=250, blank=True)
    reasons = models.JSONField(default=list)
    warnings = models.JSONField(default=list)
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    relationship = models.ForeignKey(Relationship, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["job", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["job", "sheet", "number"], name="one_graph_import_row_per_number")
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.sheet} #{self.number}"
