"""Partner tokens: keys that partner sites send as `Authorization: Bearer <key>`, stored hashed (SHA-512 through
djangorestframework-api-key: the key is shown once and never kept), scoped, expiring and revocable; and the log of
every write a token made."""

from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from rest_framework_api_key.models import AbstractAPIKey, BaseAPIKeyManager

from networks.models import Organisation

# last_used is written at most this often: a token used 100 times a second costs one UPDATE a minute.
LAST_USED_EVERY = timedelta(minutes=1)


class Scope(models.TextChoices):
    READ = "read", _("Read what a visitor reads")
    PRIVATE = "private", _("Read the unpublished content of my Labs")
    SUBMIT = "submit", _("Submit content (it enters the moderation queue)")


class TokenState(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("token state", "Active")
    EXPIRED = "expired", pgettext_lazy("token state", "Expired")
    REVOKED = "revoked", pgettext_lazy("token state", "Revoked")


class PartnerTokenQuerySet(models.QuerySet):
    def manageable_by(self, user) -> "PartnerTokenQuerySet":
        """The tokens `user` sees and may revoke: their own, and those of every organisation they may edit."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(Q(user=user) | Q(organisation__in=Organisation.objects.editable_by(user)))


class PartnerTokenManager(BaseAPIKeyManager.from_queryset(PartnerTokenQuerySet)):
    pass


class PartnerToken(AbstractAPIKey):
    """A personal token, or an organisation's (made by someone who may edit it): either way it acts with the rights
    of `user`, narrowed by its scopes (partners.authentication says how)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_tokens", verbose_name=_("owner")
    )
    organisation = models.ForeignKey(
        "networks.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="partner_tokens",
        verbose_name=_("organisation"),
    )
    scopes = ArrayField(
        models.CharField(max_length=10, choices=Scope.choices), default=list, verbose_name=_("scopes"), blank=True
    )
    last_used = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    objects = PartnerTokenManager()

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("partner token")
        verbose_name_plural = _("partner tokens")

    def has_scope(self, scope: str) -> bool:
        return scope == Scope.READ or scope in self.scopes

    @property
    def state(self) -> str:
        if self.revoked:
            return TokenState.REVOKED
        if self.has_expired:
            return TokenState.EXPIRED
        return TokenState.ACTIVE

    def get_state_display(self) -> str:
        return str(TokenState(self.state).label)

    def scope_labels(self) -> list[str]:
        return [str(label) for value, label in Scope.choices if self.has_scope(value)]

    def revoke(self) -> None:
        """For good: a revoked token never works again (the library refuses to un-revoke it)."""
        self.revoked = True
        self.save(update_fields=["revoked"])

    def touch(self) -> None:
        """Note the use, at most once a LAST_USED_EVERY (one UPDATE, none in between)."""
        now = timezone.now()
        if self.last_used is None or now - self.last_used >= LAST_USED_EVERY:
            self.last_used = now
            type(self).objects.filter(pk=self.pk).update(last_used=now)


class TokenWrite(models.Model):
    """One write (POST, PUT, PATCH, DELETE) a token asked for, accepted or refused: who, on whose behalf, what and the
    answer. Names are copied so the line stays readable when the token or its owner is gone."""

    token = models.ForeignKey(
        PartnerToken, on_delete=models.SET_NULL, null=True, related_name="writes", verbose_name=_("token")
    )
    prefix = models.CharField(_("token prefix"), max_length=8)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("owner")
    )
    organisation = models.ForeignKey(
        "networks.Organisation", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("organisation")
    )
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("address"), max_length=500)
    status = models.PositiveSmallIntegerField(_("answer"))
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("write by a token")
        verbose_name_plural = _("writes by tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.prefix} {self.method} {self.path} {self.status}"


class ThrottleCounter(models.Model):
    """The requests of one client (a token, or an anonymous address) in the current window of its rate, when the
    throttles count in the database (no REDIS_URL): one row per client, counted by one INSERT ... ON CONFLICT DO
    UPDATE per request (partners.throttles)."""

    key = models.CharField(primary_key=True, max_length=200)
    ends = models.DateTimeField()
    count = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.key}: {self.count} until {self.ends:%Y-%m-%d %H:%M:%S}"
