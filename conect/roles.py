"""The names of the roles, ordered from least to most rights. Who holds which role in a Lab is the labs app's business
(labs.roles.role_of): the core knows no app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # Ordered from least to most rights: labs.roles.has_role() compares positions in this list.
    VISITOR = "visitor", _("Visitor")
    CONTRIBUTOR = "contributor", _("Contributor")
    MEMBER = "member", _("Lab member")
    FACILITATOR = "facilitator", _("Lab facilitator")
    COORDINATOR = "coordinator", _("Coordinator")
    ADMIN = "admin", _("Administrator")


RANK = {role: rank for rank, role in enumerate(Role)}
