"""JSON read safely, for the API and for imported files: a nesting limit checked before parsing (a document nested
100,000 levels deep would exhaust the stack), and no text PostgreSQL cannot store (NUL, lone surrogates)."""

import json
import re
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.settings import api_settings
from rest_framework.utils.json import strict_constant

# A FeatureCollection of MultiPolygons nests 8 levels deep; the API's bodies fewer.
MAX_DEPTH = 32

# What the depth count looks at: an escaped character (so an escaped quote never ends a string), a quote, a bracket.
_TOKENS = re.compile(r'\\.|["\[\]{}]', re.DOTALL)
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class UnsafeJSON(ValueError):
    """Well-formed or not, JSON this platform refuses to read; the message says why, in the reader's language."""


def nesting_depth(text: str) -> int:
    """How deep arrays and objects nest in `text`, counted in one pass without parsing it (brackets inside strings
    ignored), so that even malformed text costs time in proportion to its length."""
    depth = deepest = 0
    in_string = False
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token == '"':
            in_string = not in_string
        elif not in_string and token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif not in_string and token in "]}":
            depth -= 1
    return deepest


def _check_text(value: Any) -> None:
    if isinstance(value, str):
        if _UNSTORABLE.search(value):
            raise UnsafeJSON(_("Text cannot contain NUL characters or lone surrogates."))
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key)
            _check_text(item)
    elif isinstance(value, list):
        for item in value:
            _check_text(item)


def load_json(data: str | bytes, *, max_depth: int = MAX_DEPTH, **kwargs) -> Any:
    """json.loads, refusing documents nested deeper than `max_depth` and text that cannot be stored.

    Raises ValueError (json.JSONDecodeError for malformed JSON, UnsafeJSON for the rest).
    """
    if isinstance(data, bytes):
        data = data.decode("utf-8-sig")
    if nesting_depth(data) > max_depth:
        raise UnsafeJSON(_("The JSON is nested more than %(depth)d levels deep.") % {"depth": max_depth})
    document = json.loads(data, **kwargs)
    _check_text(document)
    return document


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, through load_json: too deep or unstorable JSON is a 400 with a JSON error, not a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        parse_constant = strict_constant if api_settings.STRICT_JSON else None
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE  # what Django allows a form body, 2.5 MB by default
        data = stream.read(limit + 1) if stream is not None else b""
        if limit is not None and len(data) > limit:
            raise ParseError(_("The body is larger than %(size)s bytes.") % {"size": limit})
        try:
            return load_json(data.decode(encoding), parse_constant=parse_constant)
        except ValueError as error:  # UnicodeDecodeError and JSONDecodeError included
            raise ParseError(_("JSON parse error - %(error)s") % {"error": error}) from None
