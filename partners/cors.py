"""CORS (django-cors-headers): the open read endpoints answer any origin; writes only the origins in
CORS_WRITE_ORIGINS. No credentials: tokens travel in the Authorization header, never in cookies.

CORS_URLS_REGEX (settings) limits CORS to the open endpoints; there, CORS_ALLOWED_ORIGINS (= CORS_WRITE_ORIGINS) may
do anything, and this signal lets every other origin read, preflight included (a GET with an Authorization header is
preflighted)."""

import re

from django.conf import settings
from django.http import HttpRequest

READ_METHODS = frozenset({"GET", "HEAD"})


def read_from_anywhere(sender, request: HttpRequest, **kwargs) -> bool:
    if not re.match(settings.CORS_URLS_REGEX, request.path_info):
        return False
    if request.method == "OPTIONS":
        asked = request.headers.get("Access-Control-Request-Method", "GET").upper()
        return asked in READ_METHODS
    return request.method in READ_METHODS
