"""Shared people and places: every view gets its role ladder for free."""

import tempfile

import pytest
from django.conf import settings
from django.test import Client, override_settings

from labs.models import MembershipRole
from tests.factories import make_lab, make_member, make_user


@pytest.fixture(scope="session", autouse=True)
def _fast_and_plain():
    # Fast password hashing, static files served straight from static/ so tests need no collectstatic, jobs at once.
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "private": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": tempfile.mkdtemp(prefix="conect-private-"), "base_url": None},
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        # Jobs run where they are queued; tests/practices/test_jobs.py runs them through the database and a worker.
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        # The throttles' counters in memory: the database's cache table would add its queries to every query count
        # (tests/partners/test_throttles.py runs them on that table too).
        CACHES={
            **settings.CACHES,
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "shared": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared"},
        },
    ):
        yield


@pytest.fixture
def lab(db):
    return make_lab(name="Lab Alba Iulia", city="Alba Iulia", country="RO")


@pytest.fixture
def other_lab(db):
    return make_lab(name="Lab Gijón", city="Gijón", country="ES")


@pytest.fixture
def contributor(db):
    return make_user(display_name="Carla Contributor")


@pytest.fixture
def member(lab):
    return make_member(lab, MembershipRole.MEMBER, display_name="Mara Member")


@pytest.fixture
def facilitator(lab):
    return make_member(lab, MembershipRole.FACILITATOR, display_name="Fabio Facilitator")


@pytest.fixture
def outsider(other_lab):
    """A facilitator, but of another Lab."""
    return make_member(other_lab, MembershipRole.FACILITATOR, display_name="Otto Outsider")


@pytest.fixture
def coordinator(db):
    return make_user(is_coordinator=True, display_name="Cora Coordinator")


@pytest.fixture
def admin_user(db):
    return make_user(is_staff=True, is_superuser=True, display_name="Ada Admin")


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _empty_cache():
    # allauth keeps its rate limits in the cache: each test starts with none spent.
    from django.core.cache import cache, caches

    cache.clear()
    caches["shared"].clear()  # the throttles' counters
    yield


@pytest.fixture(autouse=True)
def _english_outside_requests():
    # Code that runs outside a request (validators, tasks) speaks the default language unless a test says otherwise;
    # a test that activates another one must not leak it into the next.
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")
