"""A version number for everything drawn on maps: cached tiles carry it in their key, so any change hides them."""

from django.core.cache import cache

_VERSION_KEY = "map-version"


def map_version() -> int:
    return cache.get_or_set(_VERSION_KEY, 1, timeout=None)


def bump_map_version() -> None:
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 2, timeout=None)
