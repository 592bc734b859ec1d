"""What the networks app adds to other apps' pages: practices know no networks, so their pages ask here."""

from django import template

from networks.models import Network, Organisation, PracticeOrganisation

register = template.Library()


@register.simple_tag
def organisations_involved(practice) -> list[PracticeOrganisation]:
    return list(PracticeOrganisation.objects.filter(practice=practice).select_related("organisation"))


@register.simple_tag(takes_context=True)
def network_count(context) -> int:
    """Networks and programmes, not counting their hubs."""
    return Network.objects.visible_to(context["request"].user).filter(parent__isnull=True).count()


@register.simple_tag(takes_context=True)
def organisation_count(context) -> int:
    return Organisation.objects.visible_to(context["request"].user).count()
