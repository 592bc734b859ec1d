"""What partner sites put in their pages: the embeddable map (/<lang>/embed/map/), the script that inserts it
(/embed/map.js), and the rule every embed follows (framed from the sources settings allow, no cookie set)."""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.gis.db.models import Extent
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from practices.filters import PracticeFilter
from practices.map_views import map_config, public_practices

# Not a filter but where the map starts: zoom/latitude/longitude, as the full map writes it in its address.
VIEW = "view"
SCRIPT = "js/embed_map.js"


def embeddable(view: Callable) -> Callable:
    """Let the pages of the sources in settings.EMBED_FRAME_ANCESTORS frame `view` (and only them)."""

    @wraps(view)
    def framed(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = "frame-ancestors " + " ".join(settings.EMBED_FRAME_ANCESTORS)
        return response

    return xframe_options_exempt(framed)


def embed_filters(query: QueryDict) -> tuple[QueryDict, PracticeFilter, dict]:
    """The map's filters read from `query`: those that make sense (with `view`), the filter over them, and the
    messages of those that do not (a partner's hand-edited address shows the map with the rest, never fails)."""
    names = PracticeFilter.base_filters
    given = QueryDict(mutable=True)
    for key in query:
        if key in names:
            given.setlist(key, [value.replace("\x00", "") for value in query.getlist(key)][:50])
    checked = PracticeFilter(given, queryset=public_practices())
    errors = checked.errors if given else {}
    kept = QueryDict(mutable=True)
    for key in given:
        if key not in errors:
            kept.setlist(key, given.getlist(key))
    practice_filter = PracticeFilter(kept or None, queryset=public_practices())
    if VIEW in query:
        kept[VIEW] = query[VIEW][:40]
    return kept, practice_filter, errors


@require_GET
@embeddable
def map_embed(request: HttpRequest) -> HttpResponse:
    query, practice_filter, errors = embed_filters(request.GET)
    practices = practice_filter.qs if practice_filter.is_bound else public_practices()
    practice_count = practices.count()
    config = map_config()
    filters = query.copy()
    filters.pop(VIEW, None)
    config["layers"]["spaces"] = False  # the embed shows practices only: one layer, one legend
    # Without a view or a box in its address, the embed starts on its practices (a Lab's, a country's...).
    extent = practices.aggregate(extent=Extent("location"))["extent"] if practice_count else None
    config["embed"] = {"filters": filters.urlencode(), "extent": extent}
    full_map = reverse("practices:map")
    problems = [
        f"{PracticeFilter.base_filters[key].label}: {' '.join(str(message) for message in messages)}"
        for key, messages in errors.items()
    ]
    context = {
        "map_config": config,
        "practice_count": practice_count,
        "open_url": request.build_absolute_uri(f"{full_map}?{query.urlencode()}" if query else full_map),
        "problems": problems,
        "licence": getattr(settings, "DATA_LICENCE", "CC BY 4.0"),
        "attribution": getattr(settings, "DATA_ATTRIBUTION", _("CoNECT platform contributors")),
    }
    return render(request, "practices/map_embed.html", context)


@require_GET
def embed_script(request: HttpRequest) -> HttpResponse:
    """static/js/embed_map.js at an address that never changes (a partner's page keeps it for years)."""
    path = finders.find(SCRIPT)
    if not path:
        raise Http404
    with open(path, "rb") as script:
        response = HttpResponse(script.read(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def embed_query(filters: dict[str, list[str]]) -> str:
    """The query string of the embed for these filters (and `view`), in the order the filter declares them."""
    order = [*PracticeFilter.base_filters, VIEW]
    pairs = [(key, value) for key in order for value in filters.get(key, []) if value]
    return urlencode(pairs)
