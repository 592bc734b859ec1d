"""What the map page and the Lab pages offer partner sites: the code to embed the map, and the feeds of new
practices (advertised in the page's head and linked in its body)."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from labs.models import Lab
from practices.embed_views import VIEW, embed_query
from practices.filters import PracticeFilter
from practices.models import Theme

register = template.Library()

EMBED_HEIGHT = 480


def _filters(query) -> dict[str, list[str]]:
    names = [*PracticeFilter.base_filters, VIEW]
    if hasattr(query, "getlist"):
        return {key: query.getlist(key) for key in names if key in query}
    return {key: [str(value)] for key, value in (query or {}).items() if key in names}


@register.inclusion_tag("practices/_embed_snippet.html", takes_context=True)
def embed_snippet(context, query=None, lab=None) -> dict:
    """The iframe code and its script alternative for the map with these filters (a QueryDict or a dict), or of
    one Lab's practices."""
    request = context["request"]
    filters = _filters({"lab": lab.slug} if lab is not None else query)
    title = _("Map of the practices of %(lab)s") % {"lab": lab.name} if lab is not None else _("Map of practices")
    base = request.build_absolute_uri(reverse("practices:map_embed"))
    # The script's attributes: one per filter, several values separated by commas (bbox and q are whole values).
    attributes = [
        (key.replace("_", "-"), ",".join(values)) for key, values in filters.items() if any(values)
    ]  # fmt: skip
    query_string = embed_query(filters)
    return {
        "src": f"{base}?{query_string}" if query_string else base,
        "embed_base": base,
        "script_src": request.build_absolute_uri(reverse("embed_script")),
        "title": title,
        "attributes": attributes,
        "height": EMBED_HEIGHT,
        "language": getattr(request, "LANGUAGE_CODE", ""),
    }


@register.simple_tag
def practice_feeds(lab=None, query=None) -> list[dict]:
    """The feeds a page offers: its Lab's (or the one Lab or theme filtered on), then all new practices."""
    feeds = []
    if lab is None and query is not None and len(query.getlist("lab")) == 1:
        lab = Lab.objects.filter(slug=query.get("lab")).first()
    if lab is not None:
        feeds.append(_feed(_("New practices of %(lab)s") % {"lab": lab.name}, "lab", lab.slug))
    elif query is not None and len(query.getlist("theme")) == 1:
        theme = Theme.objects.filter(slug=query.get("theme")).first()
        if theme is not None:
            feeds.append(_feed(_("New practices: %(theme)s") % {"theme": theme.label}, "theme", theme.slug))
    feeds.append(_feed(_("New practices on CoNECT"), "", None))
    return feeds


def _feed(title: str, kind: str, slug: str | None) -> dict:
    kwargs = {"slug": slug} if slug else {}
    prefix = f"{kind}_" if kind else ""
    return {
        "title": title,
        "rss": reverse(f"practices:{prefix}feed_rss", kwargs=kwargs),
        "atom": reverse(f"practices:{prefix}feed_atom", kwargs=kwargs),
    }
