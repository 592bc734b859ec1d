"""Rates per token and per anonymous address, counted where every worker process sees the same count. Over the rate:
429 with Retry-After.

Fixed windows (one counter per client and window) rather than DRF's list of timestamps: one small value per client
whatever the rate, and Retry-After is the end of the window. One round trip per request and throttle, whatever
CACHES["shared"] is:
- Redis (REDIS_URL): INCR and EXPIRE NX in one pipeline;
- the database (Django's DatabaseCache, no REDIS_URL): not the cache table (its set() alone is a transaction of four
  queries and a COUNT(*)), but one INSERT ... ON CONFLICT DO UPDATE ... RETURNING on partners_throttlecounter, one
  row per client, restarted when its window has ended; the rows of clients gone quiet are deleted by the same
  statement, now and then (about one request in COLLECT_EVERY);
- anything else (the tests' memory cache): add, then incr."""

import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import connection
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
        return count(f"{self.setting}:{ident}", window, seconds) <= number

    def wait(self) -> float | None:
        return getattr(self, "retry_after", None)


# One statement: the count of this client in this window, restarted at 1 when the stored window has ended; about one
# call in COLLECT_EVERY also deletes the other clients' ended windows (the random draw is made once, so the other
# calls do not read the table).
COLLECT_EVERY = 1000
UPSERT = """
WITH gone AS (
  DELETE FROM partners_throttlecounter
   WHERE (SELECT random()) < %(collect)s AND ends < %(now)s AND key <> %(key)s
)
INSERT INTO partners_throttlecounter AS c (key, ends, count) VALUES (%(key)s, %(ends)s, 1)
ON CONFLICT (key) DO UPDATE
   SET count = CASE WHEN c.ends >= EXCLUDED.ends THEN c.count + 1 ELSE 1 END,
       ends = GREATEST(c.ends, EXCLUDED.ends)
RETURNING count
"""


def count(key: str, window: int, seconds: int) -> int:
    """This request counted in window number `window` (of `seconds` each) of `key`: how many so far, this one
    included."""
    cache = caches["shared"]
    if isinstance(cache, RedisCache):
        name = cache.make_and_validate_key(f"throttle:{key}:{window}")
        pipe = cache._cache.get_client(name, write=True).pipeline(transaction=False)
        pipe.incr(name)
        pipe.expire(name, seconds + 1, nx=True)
        return int(pipe.execute()[0])
    if isinstance(cache, DatabaseCache):
        now = time.time()
        params = {
            "key": key[:200],
            "ends": datetime.fromtimestamp((window + 1) * seconds, UTC),
            "now": datetime.fromtimestamp(now, UTC),
            "collect": 1 / COLLECT_EVERY,
        }
        with connection.cursor() as cursor:
            cursor.execute(UPSERT, params)
            return cursor.fetchone()[0]
    name = f"throttle:{key}:{window}"
    if cache.add(name, 1, seconds + 1):
        return 1
    try:
        return cache.incr(name)
    except ValueError:  # expired between the two calls: a new window
        cache.set(name, 1, seconds + 1)
        return 1


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
