from django import template

from conect import jsonld
from conect.text import json_ld as json_ld_script

register = template.Library()


@register.simple_tag(takes_context=True)
def json_ld(context, obj) -> str:
    """`{% json_ld object %}`: its schema.org JSON-LD in a <script> that no text of it can close (nothing for a
    draft or a model without a builder)."""
    data = jsonld.describe(obj, context["request"])
    return json_ld_script(data) if data else ""
