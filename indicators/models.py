"""The monitoring and evaluation framework (DESIGN "Indicator framework"), learning from three systems:

- DHIS2: raw data elements (indicators without a formula, the only ones that take measurements) are kept apart from
  derived indicators (a formula over other codes, times a factor); periods are of fixed types or free ranges.
- Akvo RSR: a measurement (an "update") goes draft, submitted, approved or returned, and only approved values count;
  values carry a disaggregation; a Lab's values roll up from its practices.
- COINr and the OECD/JRC Handbook: each indicator sits in a dimension with a weight, has a direction and optional
  goalposts, and the composite index is computed from the framework (indicators.composite).

A framework is versioned: importing a newer version creates new rows, and the values entered under the old one stay
with it (indicators.exchange). Frameworks are the coordinators' to manage; measurements are a Lab's.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from conect.history import History
from conect.roles import Role
from conect.storage import private_storage
from conect.text import no_markup
from conect.translations import TranslatedDescription, in_language, translations_field
from labs.models import Lab
from labs.roles import has_role
from practices.models import ImportJobBase, ImportRow

CODE_RE = r"^[A-Za-z][A-Za-z0-9_]{0,39}$"
validate_code = RegexValidator(
    CODE_RE, _("Use letters, digits and underscores, starting with a letter (40 characters at most).")
)


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class IndicatorType(models.TextChoices):
    COUNT = "count", _("Count")
    AMOUNT = "amount", _("Amount")
    PERCENTAGE = "percentage", _("Percentage (numerator over denominator)")
    SCALE = "scale", _("Scale from 1 to 5")
    YES_NO = "yes_no", _("Yes or no")
    NARRATIVE = "narrative", _("Narrative")


# Types whose values are numbers (a narrative has text only and never enters charts or indices).
NUMERIC_TYPES = frozenset(
    {IndicatorType.COUNT, IndicatorType.AMOUNT, IndicatorType.PERCENTAGE, IndicatorType.SCALE, IndicatorType.YES_NO}
)


class Aggregation(models.TextChoices):
    """How values combine over periods and from children (practices into their Lab, Labs into their country). A
    percentage always combines as the sum of its numerators over the sum of its denominators."""

    SUM = "sum", _("Sum")
    MEAN = "mean", _("Mean")
    LATEST = "latest", _("Latest")


class Level(models.TextChoices):
    PRACTICE = "practice", _("Practice")
    LAB = "lab", _("Lab")
    TERRITORY = "territory", _("Territory")
    COUNTRY = "country", _("Country")


class PeriodType(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    HALF_YEAR = "half_year", _("Half-year")
    YEAR = "year", _("Year")
    RANGE = "range", _("Free range of dates")


class Feed(models.TextChoices):
    """Where an indicator's values come from when they are not entered: activity attendance is counted once, in the
    activities app, and read from there (no double entry)."""

    NONE = "", _("Entered as measurements")
    ATTENDANCE = "attendance", _("People reached by the Lab's reported activities")


class FrameworkQuerySet(models.QuerySet):
    def visible_to(self, user) -> "FrameworkQuerySet":
        """Published frameworks for everyone; drafts for the coordinators who manage them."""
        if has_role(user, Role.COORDINATOR):
            return self.all()
        return self.filter(published=True)

    def editable_by(self, user) -> "FrameworkQuerySet":
        if has_role(user, Role.COORDINATOR):
            return self.all()
        return self.none()

    def latest_versions(self) -> "FrameworkQuerySet":
        """The newest version of each framework code."""
        # Compared with versions of the same standing: a draft next version never hides the published one.
        newer = Framework.objects.filter(
            code=models.OuterRef("code"), version__gt=models.OuterRef("version"), published=models.OuterRef("published")
        )
        return self.filter(~models.Exists(newer))


class Framework(TranslatedDescription, models.Model):
    """One version of an indicator framework. `code` names the framework across its versions."""

    code = models.SlugField(_("code"), max_length=60, help_text=_("Names the framework across its versions."))
    version = models.PositiveIntegerField(_("version"), default=1, validators=[MinValueValidator(1)])
    name = models.CharField(_("name"), max_length=200, validators=[no_markup])
    names = translations_field()
    description = models.TextField(_("description"), blank=True, validators=[no_markup])
    descriptions = translations_field()
    index_name = models.CharField(
        _("name of the index"), max_length=200, blank=True, validators=[no_markup], help_text=_("e.g. Resilience index")
    )
    source = models.CharField(_("source"), max_length=500, blank=True, validators=[no_markup])
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Published frameworks are public; values still need approval.")
    )
    starts_on = models.DateField(_("first period starts"), null=True, blank=True)
    ends_on = models.DateField(_("last period ends"), null=True, blank=True)
    # {"gender": {"name": "Gender", "names": {...}, "categories": [{"code": "women", "name": "Women", "names": {}}]}}
    disaggregations = models.JSONField(_("disaggregations"), default=dict, blank=True)
    # The composite method this framework's index is computed with by default (indicators.composite.Method as JSON).
    method = models.JSONField(_("method of the index"), default=dict, blank=True)
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("previous version")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = FrameworkQuerySet.as_manager()
    history = History()

    class Meta:
        verbose_name = _("indicator framework")
        verbose_name_plural = _("indicator frameworks")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="indicators_framework_code_version"),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="indicators_framework_period_order",
                violation_error_message=_("The last period cannot end before the first one starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    def get_absolute_url(self) -> str:
        return reverse("indicators:framework", kwargs={"code": self.code, "version": self.version})

    @property
    def localised_name(self):
        return in_language(self.names if isinstance(self.names, dict) else {}, self.name)

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The last period cannot end before the first one starts.")})

    def covers(self, start, end) -> bool:
        """Whether a period from `start` to `end` lies within the framework's periods."""
        return (self.starts_on is None or start >= self.starts_on) and (self.ends_on is None or end <= self.ends_on)


class Dimension(models.Model):
    """A dimension of the framework (social, economic, environmental, governance, cultural by default), optionally
    inside a parent dimension, with its weight in the level above."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="dimensions")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    code = models.CharField(_("code"), max_length=40, validators=[validate_code])
    name = models.CharField(_("name"), max_length=200, validators=[no_markup])
    names = translations_field()
    weight = models.FloatField(_("weight"), default=1.0, validators=[MinValueValidator(0.0)])
    position = models.PositiveIntegerField(_("position"), default=0)

    history = History()

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["framework", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"],
                name="indicators_dimension_code",
                violation_error_message=_("This framework already has a dimension with this code."),
            ),
            models.CheckConstraint(condition=Q(weight__gte=0), name="indicators_dimension_weight"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def localised_name(self):
        return in_language(self.names if isinstance(self.names, dict) else {}, self.name)


class IndicatorQuerySet(models.QuerySet):
    def visible_to(self, user) -> "IndicatorQuerySet":
        return self.filter(framework__in=Framework.objects.visible_to(user))

    def enterable_by(self, user) -> "IndicatorQuerySet":
        """The data elements a person may enter values of: a country's values only by coordinators (they belong to no
        Lab)."""
        rows = self.visible_to(user).raw()
        return rows if has_role(user, Role.COORDINATOR) else rows.exclude(level=Level.COUNTRY)

    def raw(self) -> "IndicatorQuerySet":
        """The data elements: indicators that take measurements (no formula, no feed)."""
        return self.filter(formula="", feed=Feed.NONE)


class Indicator(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    dimension = models.ForeignKey(
        Dimension,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("dimension"),
        help_text=_("Without a dimension the indicator is reported but does not enter the index."),
    )
    code = models.CharField(_("code"), max_length=40, validators=[validate_code])
    name = models.CharField(_("name"), max_length=250, validators=[no_markup])
    names = translations_field()
    definition = models.TextField(_("definition"), blank=True, validators=[no_markup])
    definitions = translations_field()
    unit = models.CharField(_("unit"), max_length=60, blank=True, validators=[no_markup])
    type = models.CharField(_("type"), max_length=20, choices=IndicatorType.choices, default=IndicatorType.COUNT)
    # The labels of a 1-5 scale, lowest first: ["none", "low", ...] (translations in scale_label_translations).
    scale_labels = models.JSONField(_("labels of the scale"), default=list, blank=True)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    cumulative = models.BooleanField(
        _("cumulative"), default=False, help_text=_("Each period adds to the previous ones (people reached so far).")
    )
    time_aggregation = models.CharField(
        _("aggregation over time"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    child_aggregation = models.CharField(
        _("aggregation of children"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.LAB)
    data_source = models.CharField(_("data source"), max_length=300, blank=True, validators=[no_markup])
    frequency = models.CharField(_("frequency"), max_length=20, choices=PeriodType.choices, default=PeriodType.YEAR)
    goal_min = models.FloatField(_("goalpost minimum"), null=True, blank=True)
    goal_max = models.FloatField(_("goalpost maximum"), null=True, blank=True)
    weight = models.FloatField(_("weight"), default=1.0, validators=[MinValueValidator(0.0)])
    formula = models.CharField(
        _("formula"),
        max_length=500,
        blank=True,
        help_text=_("For a derived indicator: an expression over other indicators' codes, e.g. (A + B) / C."),
    )
    factor = models.FloatField(_("factor"), default=1.0, help_text=_("The value is multiplied by it (100 for %)."))
    feed = models.CharField(_("values from"), max_length=20, choices=Feed.choices, default=Feed.NONE, blank=True)
    feed_activity_kind = models.CharField(
        _("activity kind"), max_length=30, blank=True, help_text=_("Only activities of this kind count.")
    )
    feed_programme = models.ForeignKey(
        "activities.Programme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme"),
        help_text=_("Only this programme's activities count; its planned people are the target."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = IndicatorQuerySet.as_manager()
    history = History()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["framework", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"],
                name="indicators_indicator_code",
                violation_error_message=_("This framework already has an indicator with this code."),
            ),
            models.CheckConstraint(
                condition=Q(goal_min__isnull=True) | Q(goal_max__isnull=True) | Q(goal_max__gt=F("goal_min")),
                name="indicators_indicator_goalposts",
                violation_error_message=_("The goalposts' maximum must be above their minimum."),
            ),
            models.CheckConstraint(condition=Q(weight__gte=0), name="indicators_indicator_weight"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def localised_name(self):
        return in_language(self.names if isinstance(self.names, dict) else {}, self.name)

    @property
    def localised_definition(self):
        return in_language(self.definitions if isinstance(self.definitions, dict) else {}, self.definition)

    @property
    def is_derived(self) -> bool:
        return bool(self.formula)

    @property
    def takes_measurements(self) -> bool:
        return not self.formula and not self.feed

    @property
    def is_numeric(self) -> bool:
        return self.type in NUMERIC_TYPES

    def clean(self):
        super().clean()
        errors = {}
        if self.goal_min is not None and self.goal_max is not None and self.goal_min >= self.goal_max:
            errors["goal_max"] = _("The goalposts' maximum must be above their minimum.")
        if self.type == IndicatorType.SCALE and self.scale_labels and len(self.scale_labels) != 5:
            errors["scale_labels"] = _("A scale from 1 to 5 needs five labels, or none.")
        if self.formula and self.feed:
            errors["feed"] = _("A derived indicator takes its values from its formula.")
        if self.formula and self.type == IndicatorType.NARRATIVE:
            errors["formula"] = _("A narrative indicator cannot have a formula.")
        if self.formula and self.framework_id:
            from indicators.formula import FormulaError, check_formula

            try:
                check_formula(self)
            except FormulaError as error:
                errors["formula"] = error.messages
        if errors:
            raise ValidationError(errors)


def period_label(period_type: str, start, end) -> str:
    from indicators.periods import Period

    return Period(period_type, start, end).label()


class Subject(models.Model):
    """What a value is about: a Lab (or its territory), one of its practices, or a country (then no Lab)."""

    lab = models.ForeignKey(
        Lab, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("Lab")
    )
    practice = models.ForeignKey(
        "practices.Practice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("practice"),
    )
    country = CountryField(_("country"), blank=True)

    class Meta:
        abstract = True

    def clean_subject(self, indicator: Indicator) -> dict:
        """The errors of a subject that does not fit the indicator's level."""
        errors = {}
        if indicator.level == Level.COUNTRY:
            if not self.country:
                errors["country"] = _("This indicator is measured per country.")
        elif not self.lab_id:
            errors["lab"] = _("Choose the Lab this value is about.")
        elif self.country:
            errors["country"] = _("This indicator is measured per Lab, not per country.")
        if indicator.level == Level.PRACTICE and not self.practice_id:
            errors["practice"] = _("This indicator is measured per practice.")
        elif indicator.level != Level.PRACTICE and self.practice_id:
            errors["practice"] = _("This indicator is measured per Lab, not per practice.")
        if self.practice_id and self.lab_id and self.practice.lab_id != self.lab_id:
            errors["practice"] = _("This practice belongs to another Lab.")
        return errors


class Period(models.Model):
    period_type = models.CharField(_("period type"), max_length=10, choices=PeriodType.choices)
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))

    class Meta:
        abstract = True

    @property
    def period(self):
        from indicators.periods import Period as PeriodValue

        return PeriodValue(self.period_type, self.period_start, self.period_end)


class TargetKind(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    TARGET = "target", _("Target")


class TargetQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TargetQuerySet":
        # Baselines and targets are a Lab's plan, public like the Lab itself, as long as the framework is visible.
        return self.filter(indicator__framework__in=Framework.objects.visible_to(user))

    def editable_by(self, user) -> "TargetQuerySet":
        if has_role(user, Role.COORDINATOR):
            return self.all()
        return self.filter(lab__in=Lab.objects.moderatable_by(user))


class Target(Subject, Period):
    """A baseline or a target of one indicator for one subject and period, set by the Lab's facilitators."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(_("kind"), max_length=10, choices=TargetKind.choices)
    value = models.FloatField(_("value"))
    comment = models.TextField(_("comment"), blank=True, validators=[no_markup])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TargetQuerySet.as_manager()
    history = History()

    class Meta:
        verbose_name = _("baseline or target")
        verbose_name_plural = _("baselines and targets")
        ordering = ["indicator", "period_start", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "kind", "lab", "practice", "country", "period_start", "period_end"],
                nulls_distinct=False,
                name="indicators_target_once",
                violation_error_message=_("This subject already has this kind of value for this period."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="indicators_target_period_order",
                violation_error_message=_("A period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.indicator.code} {self.period.label()}"


class MeasurementState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")


M = MeasurementState
# Akvo RSR's update flow: anything else is refused.
MEASUREMENT_TRANSITIONS: dict[str, set[str]] = {
    M.DRAFT: {M.SUBMITTED},
    M.SUBMITTED: {M.APPROVED, M.RETURNED},
    M.RETURNED: {M.SUBMITTED},
    M.APPROVED: {M.RETURNED},
}


class MeasurementError(ValueError):
    pass


class MeasurementQuerySet(models.QuerySet):
    def approved(self) -> "MeasurementQuerySet":
        return self.filter(state=M.APPROVED)

    def visible_to(self, user) -> "MeasurementQuerySet":
        """Approved values of visible frameworks for everyone; a Lab's other values for its members; all for
        coordinators."""
        if has_role(user, Role.COORDINATOR):
            return self.all()
        public = Q(state=M.APPROVED, indicator__framework__published=True)
        if user is None or not user.is_authenticated:
            return self.filter(public)
        return self.filter(public | Q(lab__in=Lab.objects.addable_by(user)))

    def editable_by(self, user) -> "MeasurementQuerySet":
        """Values a person may change: their Lab's drafts and returned values (a submitted value waits for its review,
        an approved one is returned first)."""
        open_states = [M.DRAFT, M.RETURNED]
        if has_role(user, Role.COORDINATOR):
            return self.filter(state__in=open_states)
        return self.filter(lab__in=Lab.objects.addable_by(user), state__in=open_states)

    def internal_to(self, user) -> "MeasurementQuerySet":
        """Values whose inner workings (who entered them, review notes, history, evidence) a person may read: their
        Labs' people and the coordinators."""
        if has_role(user, Role.COORDINATOR):
            return self.all()
        return self.filter(lab__in=Lab.objects.addable_by(user))

    def submittable_by(self, user) -> "MeasurementQuerySet":
        if has_role(user, Role.COORDINATOR):
            return self.all()
        return self.filter(lab__in=Lab.objects.moderatable_by(user))

    def approvable_by(self, user) -> "MeasurementQuerySet":
        if has_role(user, Role.COORDINATOR):
            return self.all()
        return self.none()


def evidence_path(measurement: "Measurement", filename: str) -> str:
    return f"indicators/evidence/{timezone.now():%Y/%m}/{filename}"


class Measurement(Subject, Period):
    """One value of a data element for one subject and period (Akvo RSR's "update"), with its review state."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="measurements")
    value = models.FloatField(_("value"), null=True, blank=True)
    numerator = models.FloatField(_("numerator"), null=True, blank=True)
    denominator = models.FloatField(_("denominator"), null=True, blank=True)
    text = models.TextField(_("narrative"), blank=True, validators=[no_markup])
    # {"gender": {"women": 12, "men": 9}, "age": {"18_29": 4}}; for a percentage {"gender": {"women": [3, 10]}}.
    disaggregation = models.JSONField(_("disaggregation"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True, validators=[no_markup])
    comment = models.TextField(_("comment"), blank=True, validators=[no_markup])
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, storage=private_storage, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=MeasurementState.choices, default=M.DRAFT)
    review_note = models.TextField(_("note of the review"), blank=True, validators=[no_markup])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    state_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    state_changed_at = models.DateTimeField(_("state changed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MeasurementQuerySet.as_manager()
    history = History()

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["indicator", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "lab", "practice", "country", "period_start", "period_end"],
                nulls_distinct=False,
                name="indicators_measurement_once",
                violation_error_message=_("This subject already has a value for this period."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="indicators_measurement_period_order",
                violation_error_message=_("A period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | ~Q(denominator=0),
                name="indicators_measurement_denominator",
                violation_error_message=_("The denominator cannot be zero."),
            ),
        ]
        indexes = [
            # The dashboards' and the index's reads: approved values of some indicators, by subject and period.
            models.Index(
                fields=["indicator", "state", "lab", "period_start"],
                include=["value", "numerator", "denominator"],
                name="indicators_m_read",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period.label()}"

    def get_absolute_url(self) -> str:
        return reverse("indicators:measurement", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        from indicators.values import measurement_errors

        errors = measurement_errors(self)
        if errors:
            raise ValidationError(errors)

    # The review flow: one method per move; indicators.services.move_measurements checks the mover's rights and the
    # transition (MEASUREMENT_TRANSITIONS) for one value here and for a whole import alike.
    def submit(self, *, by) -> None:
        self._move(M.SUBMITTED, by=by)

    def approve(self, *, by) -> None:
        self._move(M.APPROVED, by=by)

    def return_for_changes(self, *, by, note: str) -> None:
        self._move(M.RETURNED, by=by, note=note)

    def _move(self, to: str, *, by, note: str = "") -> None:
        from indicators import services

        services.move_measurements([self], to=to, by=by, note=note)


class Rollup(models.Model):
    """Approved values summed per indicator, subject and year: what the dashboards read, so a chart never scans the
    measurements. Written only by indicators.services.refresh_rollups, in the transaction that changes a value."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, null=True, related_name="+")
    country = CountryField(blank=True)
    year = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)
    total = models.FloatField(null=True)  # sum of the values
    numerator = models.FloatField(null=True)
    denominator = models.FloatField(null=True)
    latest = models.FloatField(null=True)  # the value of the period that ends last
    latest_end = models.DateField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "lab", "country", "year"], nulls_distinct=False, name="indicators_rollup_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.lab_id or self.country} {self.year}"

    def value(self, indicator: Indicator) -> float | None:
        """The year's value as the indicator aggregates over time."""
        return self.value_of(indicator, self.count, self.total, self.numerator, self.denominator, self.latest)

    @staticmethod
    def value_of(indicator: Indicator, count, total, numerator, denominator, latest) -> float | None:
        if indicator.type == IndicatorType.PERCENTAGE:
            return numerator / denominator * indicator.factor if denominator else None
        if indicator.time_aggregation == Aggregation.LATEST:
            return latest
        if indicator.time_aggregation == Aggregation.MEAN:
            return None if not count or total is None else total / count
        return total


class CompositeStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for a worker")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Composite(models.Model):
    """One computation of a composite index: a framework, a set of subjects and a period, the method's choices, and
    its results (index, components, ranks, sensitivity), computed on the task queue from approved values only, so
    every result is public. `key` identifies the inputs and the method: the same request is computed once."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="composites")
    key = models.CharField(max_length=64, unique=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    method = models.JSONField(_("method"), default=dict)
    data_version = models.CharField(max_length=64, blank=True)  # fingerprint of the approved values used
    status = models.CharField(max_length=10, choices=CompositeStatus.choices, default=CompositeStatus.WAITING)
    results = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("composite index")
        verbose_name_plural = _("composite indices")

    def __str__(self) -> str:
        return f"{self.framework} {self.level} {self.year or ''}"

    def get_absolute_url(self) -> str:
        return reverse("indicators:composite", kwargs={"pk": self.pk})


class MeasurementImportJob(ImportJobBase):
    """One spreadsheet of measurements for a framework: checked whole in a dry run, then imported all or nothing,
    on the task queue like the other imports (practices.services runs the steps)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="+")

    class Meta(ImportJobBase.Meta):
        verbose_name = _("measurements import")
        verbose_name_plural = _("measurements imports")

    def get_absolute_url(self) -> str:
        return reverse("indicators:import_job", kwargs={"pk": self.pk})


class MeasurementImportRow(models.Model):
    """One row of a measurements spreadsheet: what the dry run found, then what the import did."""

    job = models.ForeignKey(MeasurementImportJob, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField()
    action = models.CharField(max_length=10, choices=ImportRow.Action.choices)
    title = models.CharField(max_length=250, blank=True)
    reasons = models.JSONField(default=list)
    warnings = models.JSONField(default=list)
    measurement = models.ForeignKey(Measurement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["job", "number"]
        constraints = [models.UniqueConstraint(fields=["job", "number"], name="indicators_import_row_number")]

    def __str__(self) -> str:
        return f"{self.job} #{self.number}"


def is_identifier(text: str) -> bool:
    return bool(re.match(CODE_RE, text))
