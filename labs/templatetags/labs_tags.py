"""What the labs app adds to pages it does not own (the home page): the core's views know no app."""

from django import template

from labs.models import Lab
from labs.moderation import moderates
from labs.roles import Role, has_role

register = template.Library()


@register.simple_tag(takes_context=True)
def visible_labs(context):
    return Lab.objects.visible_to(context["request"].user).only("name", "slug", "city", "country")


@register.simple_tag
def may_moderate(user) -> bool:
    """Whether the person has a moderation queue (and may import): menus show only what the person may use."""
    return moderates(user)


@register.simple_tag
def is_coordinator(user) -> bool:
    return has_role(user, Role.COORDINATOR)
