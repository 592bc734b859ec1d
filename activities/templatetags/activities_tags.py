"""What the activities app adds to pages it does not own (the home page, Lab and network pages)."""

from django import template

from activities.models import Activity

register = template.Library()


@register.simple_tag(takes_context=True)
def activity_count(context) -> int:
    return Activity.objects.visible_to(context["request"].user).count()


@register.simple_tag(takes_context=True)
def network_activities(context, network):
    """A network's activities, the ones of its programmes included, soonest first."""
    return (
        Activity.objects.visible_to(context["request"].user)
        .filter(networks=network)
        .select_related("programme", "lab")
        .order_by("programme__title", "starts_at", "title")
    )
