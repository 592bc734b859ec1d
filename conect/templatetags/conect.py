from django import template

from conect.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str):
    return render_markdown(text)


@register.simple_tag
def map_tiles() -> dict:
    """Base-map settings for the page's scripts (read through json_script)."""
    from django.conf import settings

    return {"url": settings.MAP_TILES_URL, "attribution": settings.MAP_TILES_ATTRIBUTION}
