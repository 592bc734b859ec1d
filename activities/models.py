"""Activities of the Labs and networks (the seeds' formats: training modules, tutoring, residencies, thematic meetings,
city-to-city exchanges, Local Support Groups), the programmes that group them, and registrations to take part."""

import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import Q, Sum
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from conect.history import History
from conect.text import AutoSlugMixin, no_markup
from conect.translations import TranslatedDescription, translations_field
from conect.validators import validate_period, validate_point
from labs.moderation import Moderated, ModeratedQuerySet

TEXT_MAX_LENGTH = 20_000


class ActivityKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    THEMATIC_MEETING = "thematic_meeting", _("Thematic meeting")
    TRAINING = "training", _("Training module")
    TUTORING = "tutoring", _("Tutoring")
    RESIDENCY = "residency", _("Residency")
    EXCHANGE = "exchange", _("City-to-city exchange")
    CO_DESIGN = "co_design", _("Co-design session")
    LOCAL_GROUP = "local_group", _("Local Support Group meeting")


class ActivityMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


# Age groups of the closing report: Eurostat's breaks for young people (under 30) and older people (65 and over).
AGE_GROUPS = (
    ("attendance_age_under_18", _("under 18")),
    ("attendance_age_18_29", _("18 to 29")),
    ("attendance_age_30_64", _("30 to 64")),
    ("attendance_age_65_plus", _("65 and over")),
)
GENDERS = (
    ("attendance_women", _("women")),
    ("attendance_men", _("men")),
    ("attendance_other_gender", _("another gender")),
)


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones()) if "/" in name]


def _text(verbose_name, **kwargs) -> models.TextField:
    """Free text of bounded length (the validator holds the limit for the API and imports too)."""
    validators = [no_markup, MaxLengthValidator(TEXT_MAX_LENGTH)]
    return models.TextField(verbose_name, blank=True, max_length=TEXT_MAX_LENGTH, validators=validators, **kwargs)


class Programme(AutoSlugMixin, TranslatedDescription, models.Model):
    """A set of activities with planned figures: the Italian programme's 12 remote training modules, tutoring for 300
    people, four residencies for 120. Its page sets what was planned against what the activities reached."""

    slug_from = "title"

    title = models.CharField(_("title"), max_length=250, validators=[no_markup])
    slug = models.SlugField(_("slug"), max_length=120, unique=True, blank=True)
    lab = models.ForeignKey(
        "labs.Lab", on_delete=models.PROTECT, null=True, blank=True, related_name="programmes", verbose_name=_("Lab")
    )
    network = models.ForeignKey(
        "networks.Network",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("network"),
    )
    description = _text(_("description"))
    descriptions = translations_field()
    planned_activities = models.PositiveIntegerField(_("activities planned"), null=True, blank=True)
    planned_participants = models.PositiveIntegerField(_("people planned"), null=True, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["title"]

    def clean(self):
        super().clean()
        validate_period(self.start_date, self.end_date)

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:programme", kwargs={"slug": self.slug})


class ActivityQuerySet(ModeratedQuerySet):
    def of_lab(self, lab) -> "ActivityQuerySet":
        """A Lab's activities: its own, and those of other Labs or networks it takes part in (entered once)."""
        return self.filter(Q(lab=lab) | Q(other_labs=lab)).distinct()

    def upcoming(self) -> "ActivityQuerySet":
        now = timezone.now()
        return self.filter(Q(ends_at__gte=now) | Q(ends_at__isnull=True, starts_at__gte=now)).order_by("starts_at")

    def past(self) -> "ActivityQuerySet":
        now = timezone.now()
        return self.filter(Q(ends_at__lt=now) | Q(ends_at__isnull=True, starts_at__lt=now)).order_by("-starts_at")

    def reported(self) -> "ActivityQuerySet":
        """Activities closed with their report: the only ones whose attendance counts as people reached."""
        return self.filter(closed_at__isnull=False, attendance_total__isnull=False)

    def people_reached(self) -> int | None:
        """The people these activities reached, by their closing reports; None while none is reported (unknown is
        not zero)."""
        return self.reported().aggregate(total=Sum("attendance_total"))["total"]


class Activity(AutoSlugMixin, TranslatedDescription, Moderated):
    """Something a Lab or a network did or plans. Times are stored in UTC and shown in the activity's time zone."""

    slug_from = "title"

    title = models.CharField(_("title"), max_length=250, validators=[no_markup])
    slug = models.SlugField(_("slug"), max_length=120, unique=True, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=ActivityKind.choices)
    lab = models.ForeignKey(
        "labs.Lab",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("Lab"),
        help_text=_("The Lab that organises it. Without a Lab, it goes to the coordinators."),
    )
    other_labs = models.ManyToManyField(
        "labs.Lab",
        blank=True,
        related_name="shared_activities",
        verbose_name=_("also with the Labs"),
        help_text=_("Other Labs that take part: it appears on their pages too, entered once."),
    )
    networks = models.ManyToManyField(
        "networks.Network", blank=True, related_name="activities", verbose_name=_("networks")
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("programme"),
    )
    description = _text(_("description"))
    descriptions = translations_field()
    agenda = _text(_("agenda"), help_text=_("Markdown: one line per item, e.g. “10:00 Welcome”."))
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True, db_index=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    all_day = models.BooleanField(
        _("all day"), default=False, help_text=_("Only the dates are known or matter, not the hours.")
    )
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True, choices=time_zone_choices)
    mode = models.CharField(_("format"), max_length=20, choices=ActivityMode.choices, default=ActivityMode.IN_PERSON)
    space = models.ForeignKey(
        "practices.Space",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("space"),
    )
    venue = models.CharField(_("venue"), max_length=250, blank=True, validators=[no_markup])
    city = models.CharField(_("city"), max_length=200, blank=True, validators=[no_markup])
    country = CountryField(_("country"), blank=True)
    location = models.PointField(_("location"), srid=4326, null=True, blank=True, validators=[validate_point])
    online_url = models.URLField(_("online meeting link"), blank=True)
    # Registrations: none when capacity is empty and registration closed.
    registration_open = models.BooleanField(_("registration open"), default=False)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    participants_expected = models.PositiveIntegerField(_("participants expected"), null=True, blank=True)
    # The closing report: totals only, never who came.
    closed_at = models.DateTimeField(_("report closed at"), null=True, blank=True)
    attendance_total = models.PositiveIntegerField(_("people who took part"), null=True, blank=True)
    attendance_women = models.PositiveIntegerField(_("women"), null=True, blank=True)
    attendance_men = models.PositiveIntegerField(_("men"), null=True, blank=True)
    attendance_other_gender = models.PositiveIntegerField(_("another gender"), null=True, blank=True)
    attendance_age_under_18 = models.PositiveIntegerField(_("under 18"), null=True, blank=True)
    attendance_age_18_29 = models.PositiveIntegerField(_("18 to 29"), null=True, blank=True)
    attendance_age_30_64 = models.PositiveIntegerField(_("30 to 64"), null=True, blank=True)
    attendance_age_65_plus = models.PositiveIntegerField(_("65 and over"), null=True, blank=True)
    outcomes = _text(_("outcomes"))
    organisations = models.ManyToManyField(
        "networks.Organisation", blank=True, related_name="activities", verbose_name=_("organisations present")
    )
    practices = models.ManyToManyField(
        "practices.Practice", blank=True, related_name="activities", verbose_name=_("practices")
    )

    objects = ActivityQuerySet.as_manager()
    history = History(m2m_fields=[other_labs, networks, organisations, practices])

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["starts_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(starts_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="activity_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_at and not self.time_zone:
            errors["time_zone"] = _("Say in which time zone the times are.")
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The end cannot come before the start.")
        if self.ends_at and not self.starts_at:
            errors["starts_at"] = _("Give the start too.")
        if self.mode != ActivityMode.IN_PERSON and self.online_url == "" and self.registration_open:
            pass  # the link may come later: registrants are told when it is added
        if self.capacity is not None and self.pk:
            confirmed = self.registrations.confirmed().count()
            if self.capacity < confirmed:
                errors["capacity"] = _("%(count)s people already have a place: the capacity cannot be lower.") % {
                    "count": confirmed
                }
        errors |= self._attendance_errors()
        if errors:
            raise ValidationError(errors)

    def _attendance_errors(self) -> dict:
        errors = {}
        for group, field in ((GENDERS, "attendance_other_gender"), (AGE_GROUPS, "attendance_age_65_plus")):
            parts = [getattr(self, name) for name, _label in group]
            if any(part is not None for part in parts):
                if self.attendance_total is None:
                    errors["attendance_total"] = _("Give the total of people who took part.")
                elif sum(part or 0 for part in parts) > self.attendance_total:
                    errors[field] = _("The groups add up to more than the total of people who took part.")
        return errors

    @property
    def local_starts_at(self):
        return self._local(self.starts_at)

    @property
    def local_ends_at(self):
        return self._local(self.ends_at)

    def _local(self, moment):
        if moment is None:
            return None
        if not self.time_zone:
            return timezone.localtime(moment)
        return moment.astimezone(zoneinfo.ZoneInfo(self.time_zone))

    @property
    def public_space(self):
        """The space, when it is public: a draft space's name and place are never shown with a public activity."""
        return self.space if self.space is not None and self.space.is_published else None

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_past(self) -> bool:
        end = self.ends_at or self.starts_at
        return end is not None and end < timezone.now()

    @property
    def accepts_registrations(self) -> bool:
        """Open to registrations: published, registration open, and not begun yet."""
        if not (self.is_published and self.registration_open):
            return False
        return self.starts_at is None or self.starts_at > timezone.now()

    @property
    def has_report(self) -> bool:
        return self.closed_at is not None or self.attendance_total is not None or bool(self.outcomes)

    @property
    def gender_breakdown(self) -> list[tuple[str, int]]:
        """The report's counts by gender that were given (aggregates only)."""
        return [(label, getattr(self, name)) for name, label in GENDERS if getattr(self, name) is not None]

    @property
    def age_breakdown(self) -> list[tuple[str, int]]:
        return [(label, getattr(self, name)) for name, label in AGE_GROUPS if getattr(self, name) is not None]

    @property
    def places_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.registrations.confirmed().count(), 0)


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class RegistrationQuerySet(models.QuerySet):
    def confirmed(self) -> "RegistrationQuerySet":
        return self.filter(status=RegistrationStatus.CONFIRMED)

    def waiting(self) -> "RegistrationQuerySet":
        return self.filter(status=RegistrationStatus.WAITING).order_by("created_at", "id")

    def active(self) -> "RegistrationQuerySet":
        return self.exclude(status=RegistrationStatus.CANCELLED)

    def of(self, user) -> "RegistrationQuerySet":
        """The person's own registrations (the only ones the API shows them)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class Registration(models.Model):
    """A person's place (or place in the queue) at an activity. Who registered is seen by that Lab's facilitators and
    the coordinators only, and by the person."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("activity")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=200, validators=[no_markup])
    email = models.EmailField(_("e-mail address"))
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    # The site language the person registered in: their e-mails (even those another person's cancellation triggers,
    # like moving up from the waiting list) are written in it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                "activity",
                Lower("email"),
                condition=~Q(status="cancelled"),
                name="one_registration_per_person",
                violation_error_message=_("This e-mail address is already registered for this activity."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.activity}"
