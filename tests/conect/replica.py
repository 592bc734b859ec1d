"""The read replica in tests: a "replica" alias added as a test mirror of the test database (what settings.py
configures when DATABASE_REPLICA_URL is set), so each test can see which alias ran what, and the router and the
read-your-writes middleware switched on. Test modules import both fixtures."""

import pytest
from django.db import connections

from conect import dbrouter

ROUTER = "conect.dbrouter.PrimaryReplicaRouter"
PIN = "conect.middleware.read_your_writes"


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup):
    test_database = connections["default"].settings_dict
    connections.settings["replica"] = {**test_database, "TEST": {**test_database["TEST"], "MIRROR": "default"}}
    yield
    connections["replica"].close()
    del connections["replica"]
    del connections.settings["replica"]


@pytest.fixture(autouse=True)
def routed(settings):
    settings.DATABASE_ROUTERS = [ROUTER]
    settings.MIDDLEWARE = [settings.MIDDLEWARE[0], PIN, *settings.MIDDLEWARE[1:]]
    settings.REPLICA_PIN_SECONDS = 5
    dbrouter._replica_down_until = 0.0
    yield
    dbrouter._replica_down_until = 0.0
