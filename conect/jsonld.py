"""schema.org JSON-LD of the public detail pages: one registry of builders, one way to write them into a page.

Each app says how its models read as schema.org in its own `<app>/jsonld.py` (`@jsonld.register(Model)` on a
function `(obj, request) -> dict`); `conect.apps` loads those modules at start-up (like the admin's), so conect
never imports an app. Pages print them with `{% load jsonld %}{% json_ld object %}` in their head block."""

from collections.abc import Callable

from django.conf import settings
from django.db import models
from django.http import HttpRequest

Builder = Callable[[models.Model, HttpRequest], dict]
_builders: dict[type[models.Model], Builder] = {}

# The deeds of the licences the platform's data may carry (settings.DATA_LICENCE), for a machine to follow.
LICENCE_URLS = {
    "CC BY 4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC BY-SA 4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "CC0 1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "ODbL 1.0": "https://opendatacommons.org/licenses/odbl/1-0/",
}


def register(model: type[models.Model]) -> Callable[[Builder], Builder]:
    def decorator(builder: Builder) -> Builder:
        _builders[model] = builder
        return builder

    return decorator


def data_licence_url() -> str:
    licence = getattr(settings, "DATA_LICENCE", "CC BY 4.0")
    return LICENCE_URLS.get(licence, licence)


def describe(obj: models.Model, request: HttpRequest) -> dict | None:
    """The JSON-LD of `obj` as its page shows it, or None for a model without a builder or an unpublished row (a
    draft's page is seen only by its Lab: search engines and harvesters read published pages only)."""
    builder = _builders.get(type(obj))
    if builder is None or getattr(obj, "is_published", True) is False:
        return None
    url = request.build_absolute_uri(obj.get_absolute_url())
    data = {"@context": "https://schema.org", "@id": url, "url": url}
    data.update(builder(obj, request))
    # The page is the CreativeWork the data's licence applies to.
    data["mainEntityOfPage"] = {"@type": "WebPage", "@id": url, "license": data_licence_url()}
    return {key: value for key, value in data.items() if value not in ("", None, [], {})}


def place(*, name: str = "", street: str = "", city: str = "", country: str = "", point=None) -> dict | None:
    """A schema.org Place from what a row knows of where it is (None when it knows nothing)."""
    data: dict = {"@type": "Place"}
    if name:
        data["name"] = name
    address = {"streetAddress": street, "addressLocality": city, "addressCountry": country}
    address = {key: value for key, value in address.items() if value}
    if address:
        data["address"] = {"@type": "PostalAddress", **address}
    if point is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": point.y, "longitude": point.x}
    return data if len(data) > 1 else None
