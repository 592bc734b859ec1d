from django.contrib.gis.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from conect.text import AutoSlugMixin
from conect.translations import TranslatedDescription, translations_field
from conect.validators import validate_period, validate_point


class OrganisationKind(models.TextChoices):
    NGO = "ngo", _("NGO or association")
    MUNICIPALITY = "municipality", _("Municipality or public body")
    COOPERATIVE = "cooperative", _("Cooperative")
    INFORMAL = "informal", _("Informal group")
    UNIVERSITY = "university", _("University or research centre")
    BUSINESS = "business", _("Business")
    FUNDER = "funder", _("Funder")
    NETWORK = "network", _("Network")


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OrganisationQuerySet":
        return self.all()


class Organisation(AutoSlugMixin, TranslatedDescription, models.Model):
    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    country = CountryField(_("country"), blank=True)
    city = models.CharField(_("city"), max_length=200, blank=True)
    location = models.PointField(_("location"), srid=4326, null=True, blank=True, validators=[validate_point])
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    descriptions = translations_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


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
    def visible_to(self, user) -> "NetworkMembershipQuerySet":
        # Which organisation belongs to which network is public information.
        return self.all()


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
    LEAD = "lead", _("Runs it")
    PARTNER = "partner", _("Partner")
    FUNDER = "funder", _("Funder")
    SUPPORTER = "supporter", _("Supporter")


class PracticeOrganisation(models.Model):
    """An organisation involved in a practice, and how. Networks read practices; practices never read networks."""

    practice = models.ForeignKey(
        "practices.Practice", on_delete=models.CASCADE, related_name="organisation_links", verbose_name=_("practice")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="practice_links", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=OrganisationRole.choices, default=OrganisationRole.LEAD)

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
