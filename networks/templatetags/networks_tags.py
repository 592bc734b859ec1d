"""What the networks app adds to other apps' pages: practices and Labs know no networks, so their pages ask here."""

from django import template

from labs.moderation import ModerationState
from networks.models import Network, Organisation, PracticeOrganisation, Relationship

register = template.Library()


@register.simple_tag(takes_context=True)
def organisations_involved(context, practice) -> list[PracticeOrganisation]:
    """The organisations involved in the practice that the reader may see, by name, each with its role."""
    return list(
        PracticeOrganisation.objects.filter(
            practice=practice, organisation__in=Organisation.objects.visible_to(context["request"].user)
        )
        .select_related("organisation")
        .order_by("organisation__name")
    )


@register.simple_tag(takes_context=True)
def network_count(context) -> int:
    """Networks and programmes, not counting their hubs."""
    return Network.objects.visible_to(context["request"].user).filter(parent__isnull=True).count()


@register.simple_tag(takes_context=True)
def organisation_count(context) -> int:
    return Organisation.objects.visible_to(context["request"].user).count()


@register.simple_tag(takes_context=True)
def my_lab_network_items(context, lab) -> list:
    """The person's own organisations and relationships in the Lab that are not public yet, latest first."""
    user = context["request"].user
    done = [ModerationState.PUBLISHED, ModerationState.ARCHIVED]
    items = [
        *Organisation.objects.visible_to(user).filter(lab=lab, created_by=user).exclude(state__in=done),
        *Relationship.objects.between_visible(user)
        .filter(lab=lab, created_by=user)
        .exclude(state__in=done)
        .select_related("source", "target"),
    ]
    return sorted(items, key=lambda item: item.updated_at, reverse=True)


@register.simple_tag(takes_context=True)
def lab_network_items_in_review(context, lab) -> list:
    """The Lab's organisations and relationships submitted for review, oldest first (decided on their pages)."""
    user = context["request"].user
    waiting = [
        *Organisation.objects.visible_to(user).filter(lab=lab, state=ModerationState.SUBMITTED),
        *Relationship.objects.between_visible(user)
        .filter(lab=lab, state=ModerationState.SUBMITTED)
        .select_related("source", "target"),
    ]
    return sorted(waiting, key=lambda item: (item.state_changed_at is None, item.state_changed_at))
