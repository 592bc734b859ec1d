"""What the library adds to the Lab pages (labs knows no app above it): the Lab's published resources for its public
page; the person's drafts and the resources awaiting review for the workspace."""

from django import template

from labs.moderation import ModerationState
from library.models import Resource

register = template.Library()

LIST_SIZE = 50


@register.simple_tag(takes_context=True)
def lab_resources(context, lab) -> list:
    return list(
        Resource.objects.visible_to(context["request"].user).published().filter(lab=lab).order_by("title")[:LIST_SIZE]
    )


@register.simple_tag(takes_context=True)
def my_lab_resources(context, lab) -> list:
    """The person's own resources in the Lab that are not public yet, latest first."""
    user = context["request"].user
    return list(
        Resource.objects.visible_to(user)
        .filter(lab=lab, created_by=user)
        .exclude(state__in=[ModerationState.PUBLISHED, ModerationState.ARCHIVED])
        .order_by("-updated_at")
    )


@register.simple_tag(takes_context=True)
def lab_resources_in_review(context, lab) -> list:
    """The Lab's resources submitted for review, oldest first."""
    return list(
        Resource.objects.visible_to(context["request"].user)
        .filter(lab=lab, state=ModerationState.SUBMITTED)
        .order_by("state_changed_at")
    )
