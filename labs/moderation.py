"""The moderation base every Lab-owned model uses (practices, spaces, later resources): states, the allowed
transitions, and the one access path (visible_to, editable_by, moderatable_by) that follows Lab membership."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from labs.models import Lab
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
        return self.filter(Q(state=S.PUBLISHED) | Q(lab__in=Lab.objects.addable_by(user)) | Q(created_by=user))

    def editable_by(self, user):
        if has_role(user, Role.COORDINATOR):
            return self.all()
        if user is None or not user.is_authenticated:
            return self.none()
        # Lab members edit their Lab's rows; contributors only their own suggestions while they are drafts.
        return self.filter(Q(lab__in=Lab.objects.addable_by(user)) | Q(created_by=user, state=S.DRAFT))

    def moderatable_by(self, user):
        if has_role(user, Role.COORDINATOR):
            return self.all()
        return self.filter(lab__in=Lab.objects.moderatable_by(user))


class Moderated(models.Model):
    lab = models.ForeignKey(
        "labs.Lab",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Lab"),
        help_text=_("Without a Lab, the coordinators moderate it."),
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

    def can_moderate(self, user) -> bool:
        return type(self).objects.moderatable_by(user).filter(pk=self.pk).exists()

    def _move(self, to: str, *, by, reason: str = "") -> None:
        if to not in TRANSITIONS[self.state]:
            raise ModerationError(
                _("A %(kind)s that is %(state)s cannot become %(target)s.")
                % {"kind": self._meta.verbose_name, "state": self.get_state_display(), "target": S(to).label}
            )
        self.state, self.state_reason = to, reason
        self.state_changed_at, self.state_changed_by = timezone.now(), by
        self.save()

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
