"""Middleware of the practices app."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from practices.map_views import cached_tile

TILES_PREFIX = "/tiles/"


def cached_tiles(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """Answer a map tile that is in the cache before the middleware it does not need (sessions, locale, CSRF,
    authentication, messages, allauth, history): a map asks for thirty tiles at each move, most of them hits.

    Placed after SecurityMiddleware, WhiteNoise and CORS (and the replica's read_your_writes), which a tile keeps;
    everything else comes from practices.map_views.cached_tile, which makes the same key as the view and gives the
    same answer. A miss goes on to the view.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method == "GET" and request.path_info.startswith(TILES_PREFIX):
            response = cached_tile(request)
            if response is not None:
                return response
        return get_response(request)

    return middleware
