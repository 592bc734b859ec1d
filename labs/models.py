import datetime
import secrets
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.db.models.functions import Area
from django.core import signing
from django.db.models import Func, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from conect.storage import private_storage
from conect.text import AutoSlugMixin, ascii_slug, unique_slug
from conect.translations import TranslatedDescription, translations_field
from conect.validators import validate_area, validate_period, validate_point
from labs.roles import Role, has_role


def cover_path(lab: "Lab", filename: str) -> str:
    # A fresh name per upload: a cached old cover is never served for the new one.
    return f"labs/covers/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


# Addresses under /labs/ that are not a Lab (labs/urls.py, the comparison of indicators): no Lab slug takes them.
LAB_URL_WORDS = frozenset({"mine", "invitations", "compare"})


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
        """The number of members of each Lab (a number, never names), in the same query. What the Lab holds in the
        apps above (practices, activities) is counted by their template tags: labs reads none of them."""
        return self.annotate(member_count=_count(Membership.objects.filter(lab=OuterRef("pk"))))


class _CountDistinct(Func):
    template = "COUNT(DISTINCT %(expressions)s)"
    output_field = IntegerField()


def _count(rows: models.QuerySet) -> Coalesce:
    """The number of `rows` as a correlated subquery (a join per figure would multiply the rows)."""
    counted = rows.order_by().annotate(n=_CountDistinct("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class Lab(AutoSlugMixin, TranslatedDescription, models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, blank=True)
    country = CountryField(_("country"))
    city = models.CharField(_("city or territory"), max_length=200)
    territory = models.MultiPolygonField(_("territory"), srid=4326, null=True, blank=True, validators=[validate_area])
    location = models.PointField(_("location"), srid=4326, null=True, blank=True, validators=[validate_point])
    description = models.TextField(_("description"), blank=True)
    descriptions = translations_field()
    cover = models.ImageField(
        _("cover image"),
        upload_to=cover_path,
        storage=private_storage,
        blank=True,
        help_text=_("A photo of the Lab's place or people, JPEG, PNG or WebP, at most %(size)s MB.") % {"size": 5},
    )
    cover_description = models.CharField(
        _("cover image description"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )
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

    def save(self, *args, **kwargs):
        if not self.slug and ascii_slug(self.name, 94) in LAB_URL_WORDS:
            self.slug = unique_slug(self, f"{self.name} Lab")  # /labs/mine/ is the menu's page, not a Lab's
        super().save(*args, **kwargs)

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


# How long an invitation link works: the signature carries its date, so an old link fails even if never used.
INVITATION_MAX_AGE = datetime.timedelta(days=14)
INVITATION_SALT = "labs.invitation"


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> "InvitationQuerySet":
        """Sent, neither used nor withdrawn, and not expired: an expired one no longer blocks inviting again."""
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, created_at__gte=timezone.now() - INVITATION_MAX_AGE
        )


def invitation_key() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """A facilitator's invitation to join a Lab, sent by e-mail: its link is signed, single-use and expires."""

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("Lab"))
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    message = models.TextField(_("personal message"), blank=True, max_length=2000)
    # The random part of the link: only its signed form travels, and accepting uses it up.
    key = models.CharField(max_length=64, unique=True, default=invitation_key, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.lab}"

    @property
    def token(self) -> str:
        """The signed key that travels in the link (dated: it expires after INVITATION_MAX_AGE)."""
        return signing.TimestampSigner(salt=INVITATION_SALT).sign(self.key)

    def get_absolute_url(self) -> str:
        return reverse("labs:invitation", kwargs={"token": self.token})

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None


class LogAction(models.TextChoices):
    # The log reads "<who> <what> <item>": "created" here is a verb, not the import report's count of new rows.
    CREATED = "created", pgettext_lazy("activity log", "created")
    EDITED = "edited", _("edited")
    SUBMITTED = "submitted", _("submitted for review")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")
    CHANGES_REQUESTED = "changes_requested", _("asked for changes to")
    ARCHIVED = "archived", _("archived")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned for changes")
    BACK_TO_DRAFT = "draft", _("moved back to drafts")
    RESTORED = "restored", _("restored a past version of")
    IMPORTED = "imported", _("imported")
    INVITED = "invited", _("invited")
    INVITATION_WITHDRAWN = "invitation_withdrawn", _("withdrew the invitation of")
    JOINED = "joined", _("joined as")
    ROLE_CHANGED = "role_changed", _("changed the role of")
    MEMBER_REMOVED = "member_removed", _("removed from the Lab")


class LogEntryQuerySet(models.QuerySet):
    def record(self, *, lab: Lab | int, actor, action: str, subject: str = "", url: str = "") -> "LogEntry":
        """Write one line of a Lab's log (one INSERT)."""
        actor = actor if actor is not None and actor.is_authenticated else None
        lab_id = lab if isinstance(lab, int) else lab.pk
        return self.create(lab_id=lab_id, actor=actor, action=action, subject=str(subject)[:300], url=url[:300])


class LogEntry(models.Model):
    """One line of a Lab's activity log: who changed what, and when (members, invitations, and every Lab-owned item
    saved through the moderation write path)."""

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="log_entries", verbose_name=_("Lab"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("what"), max_length=40, choices=LogAction.choices)
    # What it was about, as it was called then: the row may since have changed or gone.
    subject = models.CharField(_("about"), max_length=300, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    objects = LogEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity log entry")
        verbose_name_plural = _("activity log")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.subject}"
