"""The roles of the platform, defined once: pages, API and admin all ask these functions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from labs.models import Lab


class Role(models.TextChoices):
    # Ordered from least to most rights: has_role() compares positions in this list.
    VISITOR = "visitor", _("Visitor")
    CONTRIBUTOR = "contributor", _("Contributor")
    MEMBER = "member", _("Lab member")
    FACILITATOR = "facilitator", _("Lab facilitator")
    COORDINATOR = "coordinator", _("Coordinator")
    ADMIN = "admin", _("Administrator")


_RANK = {role: rank for rank, role in enumerate(Role)}


def role_of(user, lab: Lab | None = None) -> Role:
    """The highest role `user` holds, in `lab` when one is given."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Role.VISITOR
    if user.is_superuser:
        return Role.ADMIN
    if user.is_coordinator:
        return Role.COORDINATOR
    if lab is not None:
        membership_role = lab.role_of_user(user)
        if membership_role:
            return Role(membership_role)
    return Role.CONTRIBUTOR


def has_role(user, minimum: Role, lab: Lab | None = None) -> bool:
    return _RANK[role_of(user, lab)] >= _RANK[minimum]
