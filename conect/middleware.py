"""Middleware every app shares."""

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _


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
