"""The moderation base every Lab-owned model uses (practices, spaces, later resources): states, the allowed
transitions, and the one access path (visible_to, editable_by, moderatable_by) that follows Lab membership."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from simple_history.utils import get_m2m_reverse_field_name

from conect.history import recorded_once
from conect.versioning import Versioned
from labs.models import Lab, LogAction, LogEntry
from labs.roles import Role, has_role


class ModerationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    ARCHIVED = "archived", _("Archived")


S = ModerationState
# Which state can follow which: anything else is refused.
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED, S.ARCHIVED},
    S.SUBMITTED: {S.PUBLISHED, S.REJECTED, S.DRAFT, S.ARCHIVED},
    S.PUBLISHED: {S.DRAFT, S.ARCHIVED},
    S.REJECTED: {S.DRAFT, S.ARCHIVED},
    S.ARCHIVED: {S.DRAFT},
}

# What the activity log says of a move to each state (a draft asked back from review: CHANGES_REQUESTED).
MOVE_ACTIONS: dict[str, str] = {
    S.SUBMITTED: LogAction.SUBMITTED,
    S.PUBLISHED: LogAction.PUBLISHED,
    S.REJECTED: LogAction.REJECTED,
    S.DRAFT: LogAction.BACK_TO_DRAFT,
    S.ARCHIVED: LogAction.ARCHIVED,
}


# What history rows say about where a version came from (translated when shown: change_reason_label).
IMPORTED = "import"
RESTORED = "restore"
# Bookkeeping that saves touch on their own: never listed as what an edit changed.
UNLISTED_IN_HISTORY = frozenset(
    {"search_vector", "state_changed_at", "state_changed_by", "updated_at", "created_at", "version", "slug"}
)


class ModerationError(ValueError):
    pass


class ModeratedQuerySet(models.QuerySet):
    """The one access path for moderated content: pages, API, search, exports and tiles all start here."""

    def published(self):
        return self.filter(state=S.PUBLISHED)

    def visible_to(self, user):
        if has_role(user, Role.COORDINATOR):
            return self.all()
        if user is None or not user.is_authenticated:
            return self.published()
        # Authors keep sight of their suggestions; what they wrote as members stays with the Lab, not with them.
        mine = Q(created_by=user, is_suggestion=True)
        return self.filter(Q(state=S.PUBLISHED) | Q(lab__in=Lab.objects.addable_by(user)) | mine)

    def editable_by(self, user):
        if has_role(user, Role.COORDINATOR):
            return self.all()
        if user is None or not user.is_authenticated:
            return self.none()
        # Lab members edit their Lab's rows; contributors only their own suggestions while they are drafts.
        return self.filter(
            Q(lab__in=Lab.objects.addable_by(user)) | Q(created_by=user, is_suggestion=True, state=S.DRAFT)
        )

    def moderatable_by(self, user):
        if has_role(user, Role.COORDINATOR):
            return self.all()
        return self.filter(lab__in=Lab.objects.moderatable_by(user))


def moderates(user) -> bool:
    """Whether `user` has a moderation queue at all: coordinators, and facilitators of some Lab."""
    return has_role(user, Role.COORDINATOR) or Lab.objects.moderatable_by(user).exists()


class Moderated(Versioned):
    lab = models.ForeignKey(
        "labs.Lab",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Lab"),
        help_text=_(
            "Without a Lab, it goes to the moderators of the Lab whose territory contains it, or to the coordinators."
        ),
    )
    state = models.CharField(_("state"), max_length=20, choices=S.choices, default=S.DRAFT, db_index=True)
    state_reason = models.TextField(_("reason"), blank=True)
    state_changed_at = models.DateTimeField(_("state changed at"), null=True, blank=True)
    state_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    # A suggestion from outside the Labs (save_new): its author keeps sight of it, and may edit it while it is a draft.
    is_suggestion = models.BooleanField(_("suggestion"), default=False, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def kind_label(self) -> str:
        return str(self._meta.verbose_name)

    @property
    def is_published(self) -> bool:
        return self.state == S.PUBLISHED

    def save_new(self, *, by, related: Callable[[], None] | None = None, review: bool = False) -> None:
        """Add it as `by`: a draft of its Lab; without a Lab (or from someone who may add to none), a suggestion that
        goes straight to the moderators of the Lab whose territory contains it, or to the coordinators.

        `review`: it enters the moderation queue (submitted) whatever `by` may do: what a partner token sends."""
        self.created_by = self._history_user = by
        with transaction.atomic(), recorded_once(self):
            own_lab = self.lab_id is not None and Lab.objects.addable_by(by).filter(pk=self.lab_id).exists()
            if not own_lab and not has_role(by, Role.COORDINATOR):
                self.lab = Lab.objects.for_point(getattr(self, "location", None))
                self.is_suggestion = True
                self._set_state(S.SUBMITTED, by=by)
            elif review:
                self._set_state(S.SUBMITTED, by=by)
            self.save()
            if related:
                related()
            self.relations_saved()
            self.log(LogAction.CREATED, by=by)

    def check_lab_change(self, lab_id: int | None, *, by) -> None:
        """An edit moves an item only to a Lab its editor may add to (coordinators may also leave it without one)."""
        stored = type(self).objects.filter(pk=self.pk).values_list("lab_id", flat=True).first() if self.pk else None
        if self.pk is None or lab_id == stored:
            return
        if lab_id is None and has_role(by, Role.COORDINATOR):
            return
        if lab_id is None or not Lab.objects.addable_by(by).filter(pk=lab_id).exists():
            raise ValidationError({"lab": _("It can move only to a Lab you belong to.")}, code="lab")

    def save_edit(
        self, *, by, related: Callable[[], None] | None = None, version: int | None = None, review: bool = False
    ) -> bool:
        """Save an edit by `by`, in one history row. Published content edited by someone who may not publish it goes
        back to review instead of changing the public page at once: True then. With `review` (a partner token's
        edit), it goes to review whatever its state and whatever `by` may do.

        `version` is the version the edit started from: when someone else saved since, nothing is saved and
        conect.versioning.EditConflict says so (changes_since() tells what they changed)."""
        self.check_lab_change(self.lab_id, by=by)
        restored = str(getattr(self, "_change_reason", "") or "").startswith(f"{RESTORED} ")
        to_review = review or (self.state == S.PUBLISHED and not self.can_moderate(by))
        if to_review:
            self._set_state(S.SUBMITTED, by=by)
        self._history_user = by
        with transaction.atomic(), recorded_once(self):
            self.check_version(version)
            self.save()
            if related:
                related()
            self.relations_saved()
            self.log(LogAction.RESTORED if restored else LogAction.EDITED, by=by)
        return to_review

    # What a restored version never brings back: where it lives, who made it, and where it is in moderation.
    KEPT_ON_RESTORE = frozenset(
        {"id", "slug", "lab", "state", "state_reason", "state_changed_at", "state_changed_by", "created_by",
         "created_at", "updated_at", "version"}
    )  # fmt: skip

    def restore(self, record, *, by) -> bool:
        """Bring back the content of a past version (history `record`), its relations included, in one history row;
        like any edit, published content restored by someone who may not publish it is reviewed again."""
        past = record.instance
        for field in self._meta.concrete_fields:
            if field.name not in self.KEPT_ON_RESTORE:
                setattr(self, field.attname, getattr(past, field.attname))
        self._change_reason = f"{RESTORED} {record.history_date.isoformat()}"

        def relations():
            for field in record._history_m2m_fields:
                target = get_m2m_reverse_field_name(field)
                self.set_related(
                    field.name, [getattr(row, f"{target}_id") for row in getattr(record, field.name).all()]
                )

        return self.save_edit(by=by, related=relations)

    @classmethod
    def change_labels(cls, changes) -> list[str]:
        """What a history diff changed, as the reader calls it: field names in their language, states by name."""
        labels = []
        for change in changes:
            if change.field in UNLISTED_IN_HISTORY:
                continue
            field = cls._meta.get_field(change.field)
            label = capfirst(field.verbose_name)
            if field.choices and change.new:
                label = f"{label}: {dict(field.flatchoices).get(change.new, change.new)}"
            labels.append(str(label))
        return labels

    @staticmethod
    def change_reason_label(reason: str) -> str:
        """A stored history reason, said in the reader's language."""
        if reason == IMPORTED:
            return str(_("Imported from a file"))
        if reason.startswith(f"{RESTORED} "):
            when = parse_datetime(reason.removeprefix(f"{RESTORED} "))
            if when is not None:
                return str(
                    _("Restored the version of %(date)s") % {"date": date_format(localtime(when), "DATETIME_FORMAT")}
                )
        return reason

    def changes_since(self, version: int) -> tuple[list[str], list[str]]:
        """What was saved after `version`: the fields changed, named as change_labels() names them, and by whom."""
        base = self.history.filter(version__lte=version).order_by("-version", "-history_id").first()
        newer = list(self.history.filter(version__gt=version).select_related("history_user").order_by("history_id"))
        people = list(dict.fromkeys(str(record.history_user) for record in newer if record.history_user))
        if base is None or not newer:
            return [], people
        return type(self).change_labels(newer[-1].diff_against(base).changes), people

    def set_related(self, name: str, ids: list[int]) -> None:
        getattr(self, name).set(ids)

    def relations_saved(self) -> None:
        """Called by every write path once the relations are saved: rules over relations live in its overrides."""

    def can_moderate(self, user) -> bool:
        return type(self).objects.moderatable_by(user).filter(pk=self.pk).exists()

    def log(self, action: str, *, by) -> None:
        """One line in its Lab's activity log (none for an item outside any Lab): one INSERT per write."""
        if self.lab_id is not None:
            LogEntry.objects.record(
                lab=self.lab_id, actor=by, action=action, subject=str(self), url=self.get_absolute_url()
            )

    def _move(self, to: str, *, by, reason: str = "") -> None:
        if to not in TRANSITIONS[self.state]:
            raise ModerationError(
                _("A %(kind)s that is %(state)s cannot become %(target)s.")
                % {"kind": self._meta.verbose_name, "state": self.get_state_display(), "target": S(to).label}
            )
        action = MOVE_ACTIONS[to]
        if to == S.DRAFT and self.state == S.SUBMITTED:
            action = LogAction.CHANGES_REQUESTED
        self._set_state(to, by=by, reason=reason)
        with transaction.atomic():
            self.save()
            self.log(action, by=by)

    def _set_state(self, to: str, *, by, reason: str = "") -> None:
        self.state, self.state_reason = to, reason
        self.state_changed_at, self.state_changed_by = timezone.now(), by

    def submit(self, *, by) -> None:
        self._move(S.SUBMITTED, by=by)

    def publish(self, *, by) -> None:
        self._move(S.PUBLISHED, by=by)

    def reject(self, *, by, reason: str) -> None:
        if not reason.strip():
            raise ModerationError(_("Say why it is rejected: the author reads the reason."))
        self._move(S.REJECTED, by=by, reason=reason)

    def request_changes(self, *, by, reason: str) -> None:
        if not reason.strip():
            raise ModerationError(_("Say which changes are needed."))
        self._move(S.DRAFT, by=by, reason=reason)

    def archive(self, *, by, reason: str = "") -> None:
        self._move(S.ARCHIVED, by=by, reason=reason)
