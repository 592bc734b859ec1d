"""A cached map tile with the cache in Redis (REDIS_URL: conect.cache.RedisCache, one client object per pool)."""

import shutil
import socket
import subprocess
import time

import pytest
from django.contrib.gis.geos import Point
from django.core.cache import caches
from django.test import override_settings

from tests.factories import make_practice

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")


@pytest.fixture(scope="module")
def redis_url():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(  # noqa: S603 - a fixed program on loopback
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait()


@pytest.fixture
def redis_cache(redis_url, settings):
    backend = {"BACKEND": "conect.cache.RedisCache", "LOCATION": redis_url}
    with override_settings(CACHES={**settings.CACHES, "default": backend}):
        caches["default"].clear()
        yield caches["default"]
        caches["default"].clear()


def test_a_tile_cached_in_redis_is_answered_again_and_hidden_by_a_change(client, db, redis_cache):
    practice = make_practice(title="Jardin", location=Point(4.84, 45.76, srid=4326))
    url = "/tiles/practices/12/2103/1461.geojson?lang=en"
    first = client.get(url)
    again = client.get(url)
    assert (again.status_code, dict(again.headers), again.content) == (200, dict(first.headers), first.content)
    practice.title = "Orto"
    practice.save()
    assert b"Orto" in client.get(url).content


def test_the_redis_cache_keeps_one_client_object_for_its_pool(redis_cache):
    redis_cache.set("a", 1)
    assert redis_cache.get("a") == 1
    assert redis_cache._cache.get_client("a") is redis_cache._cache.get_client("b")
