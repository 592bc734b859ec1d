from django.contrib.gis.db import models
from django.contrib.gis.db.models.functions import Area
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from conect.text import AutoSlugMixin
from conect.translations import TranslatedDescription, translations_field
from conect.validators import validate_area, validate_period, validate_point
from labs.roles import Role, has_role


class MembershipRole(models.TextChoices):
    MEMBER = Role.MEMBER.value, Role.MEMBER.label
    FACILITATOR = Role.FACILITATOR.value, Role.FACILITATOR.label


class LabQuerySet(models.QuerySet):
    def visible_to(self, user) -> "LabQuerySet":
        # Labs themselves are public: their drafts live in the rows they own, not in the Lab.
        return self.all()

    def addable_by(self, user) -> "LabQuerySet":
        """The Labs `user` may add content to (practices, spaces, activities...): their own, or all for coordinators."""
        if has_role(user, Role.COORDINATOR):
            return self.all()
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(memberships__user=user)

    def moderatable_by(self, user) -> "LabQuerySet":
        """The Labs whose content `user` may publish, reject, import into and manage (facilitators, coordinators)."""
        if has_role(user, Role.COORDINATOR):
            return self.all()
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(memberships__user=user, memberships__role=MembershipRole.FACILITATOR)

    def editable_by(self, user) -> "LabQuerySet":
        # The people who moderate a Lab's content are those who manage the Lab itself.
        return self.moderatable_by(user)

    def for_point(self, point) -> "Lab | None":
        """The Lab whose territory contains the point, if any (the smallest one when territories overlap)."""
        if point is None:
            return None
        return self.filter(territory__contains=point).annotate(size=Area("territory")).order_by("size").first()

    def with_counts(self) -> "LabQuerySet":
        return self.annotate(
            member_count=Count("memberships", distinct=True),
            activity_count=Count("activities", distinct=True),
        )


class Lab(AutoSlugMixin, TranslatedDescription, models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, blank=True)
    country = CountryField(_("country"))
    city = models.CharField(_("city or territory"), max_length=200)
    territory = models.MultiPolygonField(_("territory"), srid=4326, null=True, blank=True, validators=[validate_area])
    location = models.PointField(_("location"), srid=4326, null=True, blank=True, validators=[validate_point])
    description = models.TextField(_("description"), blank=True)
    descriptions = translations_field()
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    users = models.ManyToManyField("conect.User", through="Membership", related_name="labs")

    objects = LabQuerySet.as_manager()

    class Meta:
        verbose_name = _("Lab")
        verbose_name_plural = _("Labs")
        ordering = ["name"]

    def clean(self):
        super().clean()
        validate_period(self.start_date, self.end_date)

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("labs:detail", kwargs={"slug": self.slug})

    def role_of_user(self, user) -> str | None:
        """The user's membership role here ("member" or "facilitator"), or None."""
        return self.memberships.filter(user=user).values_list("role", flat=True).first()

    def add_member(self, user, role: str = MembershipRole.MEMBER) -> "Membership":
        membership, _ = Membership.objects.update_or_create(lab=self, user=user, defaults={"role": role})
        return membership


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MembershipQuerySet":
        """Who is in a Lab is personal data: only that Lab's own people and coordinators see it."""
        if has_role(user, Role.COORDINATOR):
            return self.all()
        if not user.is_authenticated:
            return self.none()
        return self.filter(lab__memberships__user=user)


class Membership(models.Model):
    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("Lab"))
    user = models.ForeignKey(
        "conect.User", on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["lab", "role", "user"]
        constraints = [models.UniqueConstraint(fields=["lab", "user"], name="one_membership_per_lab")]

    def __str__(self) -> str:
        return f"{self.user} — {self.lab} ({self.get_role_display()})"


class ActivityKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    THEMATIC_MEETING = "thematic_meeting", _("Thematic meeting")
    TRAINING = "training", _("Training module")
    TUTORING = "tutoring", _("Tutoring")
    RESIDENCY = "residency", _("Residency")
    EXCHANGE = "exchange", _("City-to-city exchange")
    CO_DESIGN = "co_design", _("Co-design session")
    LOCAL_GROUP = "local_group", _("Local group meeting")
    PROGRAMME = "programme", _("Programme of activities")


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ActivityQuerySet":
        return self.all()


class Activity(TranslatedDescription, models.Model):
    """Something a Lab or a network did or plans: a workshop, a residency, a thematic meeting..."""

    title = models.CharField(_("title"), max_length=250)
    kind = models.CharField(_("kind"), max_length=30, choices=ActivityKind.choices)
    lab = models.ForeignKey(
        Lab, on_delete=models.PROTECT, null=True, blank=True, related_name="activities", verbose_name=_("Lab")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name=_("part of"),
    )
    description = models.TextField(_("description"), blank=True)
    descriptions = translations_field()
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    city = models.CharField(_("city"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    location = models.PointField(_("location"), srid=4326, null=True, blank=True, validators=[validate_point])
    online = models.BooleanField(_("online"), default=False)
    participants_expected = models.PositiveIntegerField(_("participants expected"), null=True, blank=True)
    participants_actual = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="activity_ends_after_start",
            )
        ]

    def clean(self):
        super().clean()
        validate_period(self.start_date, self.end_date)

    def __str__(self) -> str:
        return self.title
