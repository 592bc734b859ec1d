"""A read replica (DATABASE_REPLICA_URL): reads go there, writes and transactions to the primary, writers read back.

The "replica" alias is added here as a test mirror of the test database (what settings.py configures when
DATABASE_REPLICA_URL is set): a second connection to the same database, so each test can see which alias ran what.
"""

import time

import pytest
from django.core.exceptions import MiddlewareNotUsed
from django.db import connections, router, transaction

from conect import middleware
from conect.dbrouter import pin_to_primary, reads_from_replica
from practices.models import Practice
from tests.conect.replica import PIN, ROUTER, replica_alias, routed  # noqa: F401 - fixtures
from tests.factories import make_practice


# The router checks that the replica takes connections.
@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_a_visitors_read_in_a_request_goes_to_the_replica():
    with reads_from_replica():
        assert router.db_for_read(Practice) == "replica"


def test_a_write_always_goes_to_the_primary():
    with reads_from_replica():
        assert router.db_for_write(Practice) == "default"


def test_task_workers_and_commands_read_from_the_primary():
    # Outside a request (db_worker, manage.py, the shell) nothing opens the replica's window.
    assert router.db_for_read(Practice) == "default"


def test_a_request_that_wrote_reads_its_own_write_from_the_primary():
    with reads_from_replica():
        pin_to_primary()
        assert router.db_for_read(Practice) == "default"


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("default", "practices", model_name="practice")
    assert not router.allow_migrate("replica", "practices", model_name="practice")


def test_objects_read_from_either_database_may_be_related():
    from_primary, from_replica = Practice(), Practice()
    from_primary._state.db, from_replica._state.db = "default", "replica"
    assert router.allow_relation(from_primary, from_replica)


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_reads_inside_a_transaction_go_to_the_primary():
    with reads_from_replica(), transaction.atomic():
        assert router.db_for_read(Practice) == "default"


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_a_visitor_reads_a_practice_page_from_the_replica_alone(client, django_assert_num_queries):
    practice = make_practice(title="Suspended groceries")
    with django_assert_num_queries(0, using="default"):
        response = client.get(practice.get_absolute_url())
    assert "Suspended groceries" in response.content.decode()
    assert "conect_primary" not in response.cookies


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_a_post_reads_from_the_primary_and_pins_its_client(client, django_assert_num_queries):
    with django_assert_num_queries(0, using="replica"):
        client.post("/en/accounts/login/", {"login": "nobody@example.org", "password": "wrong"})
    expiry, lsn = client.cookies["conect_primary"].value.split(":")
    assert time.time() < float(expiry) <= time.time() + 5
    assert "/" in lsn  # the primary's WAL position after the write, e.g. 0/1A2B3C4


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_a_client_that_wrote_reads_from_the_primary_until_the_replica_has_its_write(
    client, monkeypatch, django_assert_num_queries
):
    practice = make_practice()
    client.post("/en/accounts/login/", {"login": "nobody@example.org", "password": "wrong"})
    monkeypatch.setattr(middleware, "_replica_has", lambda lsn: False)
    with django_assert_num_queries(0, using="replica"):
        assert client.get(practice.get_absolute_url()).status_code == 200
    monkeypatch.setattr(middleware, "_replica_has", lambda lsn: True)
    with django_assert_num_queries(0, using="default"):
        response = client.get(practice.get_absolute_url())
    assert response.cookies["conect_primary"].value == ""  # the pin is over: the cookie is deleted


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_the_pin_expires_after_replica_pin_seconds(client, django_assert_num_queries):
    practice = make_practice()
    client.cookies["conect_primary"] = f"{time.time() - 1:.3f}:0/0"
    with django_assert_num_queries(0, using="default"):
        client.get(practice.get_absolute_url())


def test_a_forged_cookie_cannot_pin_its_sender_for_longer_than_the_setting():
    now = time.time()
    assert not middleware._pinned(f"{now + 3600}:", now)
    assert not middleware._pinned("never:0/0", now)
    assert middleware._pinned(f"{now + 4}:", now)


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_the_replica_says_whether_it_has_replayed_a_position():
    # The test database is no standby (pg_last_wal_replay_lsn() is NULL): the pin then lasts its time.
    assert middleware._replica_has("0/0") is False


def test_without_a_replica_the_middleware_is_not_used():
    replica = connections.settings.pop("replica")
    try:
        with pytest.raises(MiddlewareNotUsed):
            middleware.read_your_writes(lambda request: None)
        assert router.db_for_read(Practice) == "default"
    finally:
        connections.settings["replica"] = replica
