"""The public map: its page, the result list that follows the viewport, and the tiles the map draws."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.translation import get_language, get_language_from_request
from django.views.decorators.http import require_GET

from practices.filters import PracticeFilter, SpaceFilter
from practices.mapcache import map_version
from practices.models import Practice, Space, Theme
from practices.paging import CappedPaginator
from practices.tiles import (
    filtered_dimension,
    normalised_filters,
    render_aggregate_tile,
    render_live_tile,
    tile_key,
    tile_language,
    uses_aggregate,
    valid_tile,
)

RESULTS_PER_PAGE = 20
# Keys carry the map's version: a change hides them at once; this frees the room of the hidden ones (an hour, so
# that a tile of an older version does not hold a place in the cache for a day).
TILE_CACHE_SECONDS = 3600
_VISITOR = AnonymousUser()


def public_practices():
    """The map is public: it shows what a visitor may see, whoever asks."""
    return Practice.objects.visible_to(_VISITOR)


def public_spaces():
    return Space.objects.visible_to(_VISITOR)


def _results_context(request) -> dict:
    practice_filter = PracticeFilter(request.GET or None, queryset=public_practices())
    queryset = practice_filter.qs if practice_filter.is_bound else public_practices()
    if practice_filter.is_bound and not practice_filter.is_valid():
        queryset = public_practices().none()
    if request.GET.get("q", "").strip() and practice_filter.is_valid():
        # The search's bounded ranking, as on the search page, counted by the query that ranks the matches.
        ranked = counted = queryset.with_relations().by_relevance()
    else:
        ranked, counted = queryset.with_relations().order_by("title", "pk"), queryset
    paginator = CappedPaginator(ranked, RESULTS_PER_PAGE, counted=counted)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"filter": practice_filter, "page": page, "query": query.urlencode()}


def map_page(request):
    context = _results_context(request)
    context["themes"] = Theme.objects.all()
    context["map_config"] = map_config()
    return render(request, "practices/map.html", context)


def map_config() -> dict:
    """What static/js/map.js needs to draw the map (the page's and the embed's)."""
    return {
        "tiles": {"url": settings.MAP_TILES_URL, "attribution": settings.MAP_TILES_ATTRIBUTION},
        "tileUrl": reverse("tile", kwargs={"layer": "practices", "z": 0, "x": 0, "y": 0}).replace(
            "/0/0/0.", "/{z}/{x}/{y}."
        ),
        "spaceTileUrl": reverse("tile", kwargs={"layer": "spaces", "z": 0, "x": 0, "y": 0}).replace(
            "/0/0/0.", "/{z}/{x}/{y}."
        ),
        "resultsUrl": reverse("practices:map_results"),
        "language": get_language(),
        # Tiles are cached in the page for this version of the map; a layer with nothing published is never asked.
        "version": map_version(),
        "layers": {"practices": public_practices().exists(), "spaces": public_spaces().exists()},
    }


def map_results(request):
    return render(request, "practices/_map_results.html", _results_context(request))


@require_GET
def tile(request, layer: str, z: int, x: int, y: int):
    """One tile, from the cache when it can: the key is made from the raw query string before any filter is built
    (building and validating a FilterSet costs more than the cache hit itself); a miss builds it, and a bad filter
    answers 400 with its errors, never cached. A hit is mostly answered before the view, by cached_tile."""
    if layer not in ("practices", "spaces") or not valid_tile(z, x, y):
        raise Http404
    filterset_class = PracticeFilter if layer == "practices" else SpaceFilter
    missed = getattr(request, "tile_cache_key", None)  # the key cached_tile made and did not find, with its version
    key = missed or tile_cache_key(request, layer, z, x, y)
    body = None if missed else cache.get(key)
    if body is None:
        filters = normalised_filters(filterset_class, request.GET)
        language = tile_language(request.GET)
        if uses_aggregate(z, filters):
            body = render_aggregate_tile(layer, z, x, y, language)
        elif dimension := filtered_dimension(layer, z, filters):
            body = render_aggregate_tile(layer, z, x, y, language, dimension)
        else:
            queryset = public_practices() if layer == "practices" else public_spaces()
            if filters:
                tile_filter = filterset_class(QueryDict(filters), queryset=queryset)
                if not tile_filter.is_valid():
                    return JsonResponse({"errors": tile_filter.errors.get_json_data()}, status=400)
                queryset = tile_filter.qs
            body = render_live_tile(layer, queryset, z, x, y, language)
        cache.set(key, body, timeout=TILE_CACHE_SECONDS)
    return tile_response(request, body)


def tile_cache_key(request, layer: str, z: int, x: int, y: int) -> str:
    """The cache key of a tile request: the map's version (read from the database now, so no change is hidden), the
    tile, the reader's language and the filters in one spelling, from the raw query string (no FilterSet is built)."""
    filterset_class = PracticeFilter if layer == "practices" else SpaceFilter
    filters = normalised_filters(filterset_class, request.GET)
    return tile_key(map_version(), layer, z, x, y, tile_language(request.GET), filters)


def tile_response(request, body: str) -> HttpResponse:
    """A tile's answer, the view's and cached_tile's alike. Its language is the tile's (the titles in it), not the
    one LocaleMiddleware would negotiate from Accept-Language."""
    response = HttpResponse(body, content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=60"
    response["Content-Language"] = tile_language(request.GET)
    return response


def cached_tile(request) -> HttpResponse | None:
    """The answer to a GET of a tile whose body is in the cache, as the whole middleware stack would give it; None
    when the request is no such tile (the view answers it: a miss, a 404, a NUL the stack refuses).

    Called by practices.middleware.cached_tiles before the middleware a tile does not need (sessions, locale,
    authentication, messages, allauth, history): a hit is then one read of the map's version and one cache read. What
    those middleware add to a tile's answer is added here, in their order (tests/practices/test_tile_fast_path.py
    compares both answers header by header, 304 included)."""
    raw_query = request.META.get("QUERY_STRING", "")
    if "%00" in raw_query or "\x00" in raw_query or "\x00" in request.path_info:
        return None  # conect.middleware.refuse_nul answers it
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.func is not tile:
        return None
    layer, z, x, y = (match.kwargs[name] for name in ("layer", "z", "x", "y"))
    if layer not in ("practices", "spaces") or not valid_tile(z, x, y):
        return None
    request.tile_cache_key = key = tile_cache_key(request, layer, z, x, y)
    body = cache.get(key)
    if body is None:
        return None
    response = tile_response(request, body)
    response["X-Frame-Options"] = settings.X_FRAME_OPTIONS  # XFrameOptionsMiddleware
    set_response_etag(response)  # ConditionalGetMiddleware: the same ETag (the body's MD5), and its 304
    response = get_conditional_response(request, etag=response["ETag"], response=response)
    response["Content-Length"] = str(len(response.content))  # CommonMiddleware
    patch_vary_headers(response, ("Accept-Language",))  # LocaleMiddleware, and its language on a 304 (which has none)
    response.headers.setdefault("Content-Language", get_language_from_request(request, check_path=True))
    return response
