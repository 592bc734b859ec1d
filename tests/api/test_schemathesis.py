"""The API against its own OpenAPI schema, by Schemathesis (property-based): for any input it generates, anonymous or
signed in, no server error, and every answer (status code, content type, headers, body) is one the schema documents.

In process (Django's WSGI application, no network), with a bounded number of examples per operation."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from labs.moderation import ModerationState
from tests.factories import make_practice, make_space

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = settings(
    max_examples=25,
    deadline=2000,
    # Generated examples only: Schemathesis' coverage phase would add every boundary case of every field (minutes).
    phases=[Phase.generate, Phase.shrink],
    derandomize=True,  # the same examples on every run: a failure is reproduced, not met by chance
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


# Loaded when the tests are collected (Schemathesis' lazy loader, from_fixture, does not run under pytest 9).
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application()).exclude(path="/api/schema/")


@pytest.fixture(autouse=True)
def _one_connection(db):
    """Like Django's test client: the test's database connection, and its transaction, outlive each request."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def rows(lab):
    """One published and one draft practice and space of the Lab: the operations on one address get real rows."""
    return {
        "published": {"practices": make_practice(lab=lab).slug, "spaces": make_space(lab=lab).slug},
        "draft": {
            "practices": make_practice(lab=lab, state=ModerationState.DRAFT).slug,
            "spaces": make_space(lab=lab, state=ModerationState.DRAFT).slug,
        },
    }


def _aim(case, slugs: dict[str, str]) -> None:
    """Half of the cases on one address go to a real row, the other half keep the slug Schemathesis made up."""
    slug = (case.path_parameters or {}).get("slug")
    if slug is not None and len(slug) % 2 == 0:
        case.path_parameters["slug"] = slugs["practices" if "/practices/" in case.path else "spaces"]


@schema.parametrize()
@EXAMPLES
def test_the_api_answers_a_visitor_as_its_schema_says(case, rows):
    _aim(case, rows["published"])
    case.call_and_validate(checks=CHECKS)


@pytest.fixture
def member_session(member) -> dict:
    """A signed-in session with its CSRF token, as a browser of the API holds them."""
    client = Client()
    client.force_login(member)
    token = get_random_string(32)  # the secret itself is a valid token
    return {
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": token},
        "headers": {"X-CSRFToken": token},
    }


@schema.parametrize()
@EXAMPLES
def test_the_api_answers_a_lab_member_as_its_schema_says(case, rows, member_session):
    _aim(case, rows["draft"])
    case.call_and_validate(checks=CHECKS, **member_session)
