"""What the networks app adds to a Lab's page (labs knows no app above it): the way to the graph of the organisations
and relationships the Lab mapped."""

from django import template
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from labs.models import Lab
from networks.models import Organisation, Relationship

register = template.Library()


def _count(queryset) -> Coalesce:
    """How many rows of `queryset` the Lab mapped, as a subquery (the two counts cost the Lab's page one query)."""
    rows = queryset.filter(lab=OuterRef("pk")).order_by().values("lab").annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(rows), 0)


@register.simple_tag(takes_context=True)
def lab_network_link(context, lab) -> str:
    """The Lab's network section, when the Lab mapped an organisation or relationship the reader may see."""
    user = context["request"].user
    organisations, relationships = (
        Lab.objects.filter(pk=lab.pk)
        .annotate(
            organisation_count=_count(Organisation.objects.visible_to(user)),
            relationship_count=_count(Relationship.objects.between_visible(user)),
        )
        .values_list("organisation_count", "relationship_count")
        .get()
    )
    if not organisations and not relationships:
        return ""
    counts = "{}, {}.".format(
        ngettext("%(count)s organisation mapped", "%(count)s organisations mapped", organisations)
        % {"count": organisations},
        ngettext("%(count)s relationship", "%(count)s relationships", relationships) % {"count": relationships},
    )
    return format_html(
        '<section aria-labelledby="network-title"><h2 id="network-title">{}</h2>'
        '<p>{} <a href="{}">{}</a></p></section>',
        _("Network"),
        counts,
        f"{reverse('networks:graph')}?{urlencode({'lab': lab.slug})}",
        _("Network of organisations mapped by this Lab"),
    )
