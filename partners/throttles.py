"""Rates per token and per anonymous address, counted in CACHES["shared"] (Redis when REDIS_URL is set, else the
database's cache table), so every worker process counts the same requests. Over the rate: 429 with Retry-After.

Fixed windows (one counter per token and window, atomic on Redis) rather than DRF's list of timestamps: one small
value per client whatever the rate, and Retry-After is the end of the window."""

import time

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import BaseThrottle

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str | None) -> tuple[int, int] | None:
    """A rate such as 1000/hour as (1000, 3600); None or empty: no limit."""
    if not rate:
        return None
    number, period = rate.split("/")
    return int(number), PERIODS[period.strip()[0]]


class WindowThrottle(BaseThrottle):
    setting = ""  # the name of the setting holding the rate

    def ident(self, request) -> str | None:
        """Who is counted; None: this throttle does not apply."""
        raise NotImplementedError

    def allow_request(self, request, view) -> bool:
        rate = parse_rate(getattr(settings, self.setting, None))
        ident = self.ident(request)
        if rate is None or ident is None:
            return True
        number, seconds = rate
        now = time.time()
        window = int(now // seconds)
        self.retry_after = max(1, int((window + 1) * seconds - now + 0.999))
        cache = caches["shared"]
        key = f"throttle:{self.setting}:{ident}:{window}"
        if cache.add(key, 1, seconds + 1):
            return True
        try:
            count = cache.incr(key)
        except ValueError:  # expired between the two calls: a new window
            cache.set(key, 1, seconds + 1)
            return True
        return count <= number

    def wait(self) -> float | None:
        return getattr(self, "retry_after", None)


class TokenRateThrottle(WindowThrottle):
    """Each partner token, whatever its scopes (API_TOKEN_RATE)."""

    setting = "API_TOKEN_RATE"

    def ident(self, request) -> str | None:
        return getattr(request.auth, "prefix", None) if request.auth is not None else None


class AnonRateThrottle(WindowThrottle):
    """Requests with neither token nor session, per address (API_ANON_RATE)."""

    setting = "API_ANON_RATE"

    def ident(self, request) -> str | None:
        if request.auth is not None or request.user.is_authenticated:
            return None
        return self.get_ident(request)
