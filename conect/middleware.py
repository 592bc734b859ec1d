"""Middleware every app shares."""

import re
import time
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.core.exceptions import BadRequest, MiddlewareNotUsed
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from conect.dbrouter import PRIMARY, REPLICA, reads_from_replica, replica_reachable


def _any_nul(data: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path_info or _any_nul(request.GET):
        return True
    if request.method != "POST" or _is_api(request):
        return False  # the API reads JSON bodies only, through conect.parsers.JSONParser
    try:
        data, files = request.POST, request.FILES
    except MultiPartParserError:
        return False  # the view answers an unreadable form as it would without this middleware
    return _any_nul(data) or any("\x00" in (upload.name or "") for upload in files.values())


def refuse_nul(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """Answer 400 to a request with a NUL character in its path, query or form fields, before any view sees it.

    PostgreSQL text cannot hold NUL: such a value reaching a query (a slug, a theme, a Lab) fails with a server error,
    and no person types it. The API's JSON bodies are checked by conect.parsers.JSONParser.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            message = _("The request contains a NUL character.")
            if _is_api(request):
                return JsonResponse({"detail": message}, status=400)
            raise BadRequest(message)
        return get_response(request)

    return middleware


# --- Read-your-writes with a read replica (conect.dbrouter) ---
PIN_COOKIE = "conect_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_LSN = re.compile(r"^[0-9A-F]{1,8}/[0-9A-F]{1,8}$")


def _replica_has(lsn: str) -> bool:
    """Whether the replica has replayed the primary's WAL up to `lsn` (False when it cannot say)."""
    if not replica_reachable():
        return False  # pinned: the primary answers
    with connections[REPLICA].cursor() as cursor:
        # NULL when it is no standby (a misconfiguration, or tests' mirror): the time alone decides.
        cursor.execute("SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() >= %s::pg_lsn END", [lsn])
        return bool(cursor.fetchone()[0])


def _pinned(cookie: str | None, now: float) -> bool:
    """Whether the client that sent this cookie wrote so recently that the replica may not show it yet."""
    expiry, _sep, lsn = (cookie or "").partition(":")
    try:
        # Capped: a forged cookie pins its sender for REPLICA_PIN_SECONDS at most, like a real one.
        if not now < float(expiry) <= now + settings.REPLICA_PIN_SECONDS:
            return False
    except ValueError:
        return False
    return not (_LSN.match(lsn) and _replica_has(lsn))


def _primary_lsn() -> str:
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return cursor.fetchone()[0]


def _from_replica(chunks: Iterable) -> Iterator:
    """A streamed body (CSV, GeoJSON exports) is read after the view returned: each chunk is read from the replica."""
    iterator = iter(chunks)
    while True:
        with reads_from_replica():
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk


def read_your_writes(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """Let a request read from the replica unless it writes, or its client wrote less than REPLICA_PIN_SECONDS ago.

    A request with a non-safe method reads from the primary (it validates then writes) and pins its client: the
    cookie conect_primary holds when the pin ends and the primary's WAL position after the write; the client's next
    requests read from the primary until either the time has passed or the replica has replayed that position. Clients
    without cookies (API scripts) are not pinned: they read what they wrote from the answer to their write. Unused
    (no cost) without DATABASE_REPLICA_URL.
    """
    if REPLICA not in connections.settings:
        raise MiddlewareNotUsed

    def middleware(request: HttpRequest) -> HttpResponse:
        now = time.time()
        writes = request.method not in SAFE_METHODS
        cookie = request.COOKIES.get(PIN_COOKIE)
        replica = not writes and not (cookie and _pinned(cookie, now))
        with reads_from_replica(replica):
            response = get_response(request)
        if replica and response.streaming and not response.is_async:
            response.streaming_content = _from_replica(response.streaming_content)
        if writes:
            seconds = settings.REPLICA_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                f"{now + seconds:.3f}:{_primary_lsn()}",
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        elif cookie and replica:
            response.delete_cookie(PIN_COOKIE, samesite="Lax")
        return response

    return middleware
