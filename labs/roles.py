"""Which role a person holds, overall or in one Lab: pages, API and admin all ask these two functions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from conect.roles import RANK, Role

if TYPE_CHECKING:
    from labs.models import Lab

__all__ = ["Role", "has_role", "role_of"]


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
    return RANK[role_of(user, lab)] >= RANK[minimum]
