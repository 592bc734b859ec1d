"""The API against its own OpenAPI schema, by Schemathesis (property-based): for any input it generates, as a visitor,
a Lab member signed in, and partner tokens (one reading its Labs' private data, one submitting), no server error, and
every answer (status code, content type, headers, body) is one the schema documents. Whoever reads as a visitor (no
sign-in, or a token without the "private" scope) never gets a private field nor a row that is not public.

In process (Django's WSGI application, no network), with a bounded number of examples per operation; no throttle."""

import json
import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.transport import response_content_type
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from labs.models import MembershipRole
from labs.moderation import ModerationState
from networks.models import OrganisationPerson
from partners.models import Scope
from tests.factories import (
    make_activity,
    make_dimension,
    make_framework,
    make_indicator,
    make_measurement,
    make_member,
    make_network,
    make_organisation,
    make_practice,
    make_programme,
    make_relationship,
    make_space,
)
from tests.library.helpers import make_resource
from tests.partners.conftest import make_token

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = settings(
    max_examples=20,
    deadline=2000,
    # Generated examples only: Schemathesis' coverage phase would add every boundary case of every field (minutes).
    phases=[Phase.generate, Phase.shrink],
    derandomize=True,  # the same examples on every run: a failure is reproduced, not met by chance
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


# Loaded when the tests are collected (Schemathesis' lazy loader, from_fixture, does not run under pytest 9).
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application()).exclude(path="/api/schema/")


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    """Every operation gets its examples answered, not a 429 (tests/partners/test_throttles.py tests the rates)."""
    settings.API_TOKEN_RATE = settings.API_ANON_RATE = ""


@pytest.fixture(autouse=True)
def _one_connection(db):
    """Like Django's test client: the test's database connection, and its transaction, outlive each request."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


# What only a row's own people may read: in the rows below, each private value, and each row a visitor may not see,
# carries this mark. A visitor's answer (whatever the address, parameters and format) never contains it.
SECRET = "zq7private"
# Keys a visitor's JSON never has (a practice's and an organisation's people's contact details, registrations' e-mails).
PRIVATE_KEYS = {"contact_email", "contact_phone", "email", "phone"}
PUBLIC_STATES = {ModerationState.PUBLISHED, "approved"}  # approved: a measurement's public state


@pytest.fixture
def rows(lab, member):
    """Rows of every kind, public and private, so that each operation on one address has real rows to aim at; every
    private thing is marked with SECRET."""
    framework = make_framework()
    indicator = make_indicator(framework)
    organisation = make_organisation(lab=lab)
    OrganisationPerson.objects.create(
        organisation=organisation,
        name="Ana",
        role="coordinator",
        email=f"{SECRET}@example.org",
        phone="+40 700 000 017",
        consent_date="2025-01-01",
        consent_note="signed form",
    )
    draft = {"lab": lab, "state": ModerationState.DRAFT, "created_by": member}
    make_organisation(website="https://example.org", sector="civic", size="micro")  # no Lab: the coordinators'
    make_activity(title="An activity of no Lab")
    make_programme()  # of no Lab nor network
    make_dimension(framework)  # at the top
    make_relationship(organisation, make_organisation())  # of no network
    make_network()  # part of none
    make_resource(content=("notes.txt", b"Notes", "text/plain"))  # a file, no link, no Lab
    return {
        "published": {
            "practices": make_practice(lab=lab, contact_email=f"{SECRET}@example.org").slug,
            "spaces": make_space(lab=lab).slug,
            "organisations": organisation.slug,
            "activities": make_activity(lab=lab).pk,
            "resources": make_resource(lab=lab).slug,
            "measurements": make_measurement(indicator, lab=lab, period="2023", state="approved").pk,
            "labs": lab.slug,
        },
        "draft": {
            "practices": make_practice(title=f"Practice {SECRET}", **draft).slug,
            "spaces": make_space(name=f"Space {SECRET}", **draft).slug,
            "organisations": make_organisation(name=f"Organisation {SECRET}", **draft).slug,
            "activities": make_activity(title=f"Activity {SECRET}", **draft).pk,
            "resources": make_resource(title=f"Resource {SECRET}", **draft).slug,
            "measurements": make_measurement(
                indicator, lab=lab, period="2024", state="returned", text=SECRET, review_note=SECRET
            ).pk,
            "labs": lab.slug,
        },
    }


def _aim(case, *targets: dict) -> None:
    """Most cases on one address go to a real row (of each target in turn), the others keep what Schemathesis made."""
    parameters = case.path_parameters or {}
    name = next((n for n in ("slug", "id") if n in parameters), None)
    collection = case.path.split("/")[3]
    if name is None:
        return
    pick = len(str(parameters[name])) % (len(targets) + 1)
    if pick < len(targets) and collection in targets[pick]:
        parameters[name] = targets[pick][collection]


def _walk(value, path: str = ""):
    """Every object inside a JSON document, with where it is."""
    if isinstance(value, dict):
        yield path, value
        for key, item in value.items():
            yield from _walk(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")


def no_private_data(ctx, response, case):
    """A visitor's read: no SECRET anywhere, no private key, no row whose state is not public."""
    if case.method.upper() not in ("GET", "HEAD"):
        return None
    text = response.text or ""
    if SECRET in text.lower():
        index = text.lower().index(SECRET)
        raise AssertionError(f"Private data in a visitor's answer: …{text[max(0, index - 120) : index + 40]}…")
    if "json" not in (response_content_type(response) or ""):
        return None
    try:
        document = json.loads(text)
    except ValueError:
        return None
    for where, item in _walk(document):
        leaked = PRIVATE_KEYS & set(item)
        if leaked:
            raise AssertionError(f"Private field {sorted(leaked)} at {where or '/'} in a visitor's answer")
        state = item.get("state")
        if isinstance(state, str) and state not in PUBLIC_STATES and re.fullmatch(r"[a-z_]+", state):
            raise AssertionError(f"A row in state {state!r} at {where or '/'} in a visitor's answer")
        if item.get("review_note"):
            raise AssertionError(f"A review note at {where or '/'} in a visitor's answer")
    return None


@schema.parametrize()
@EXAMPLES
def test_the_api_answers_a_visitor_as_its_schema_says_and_never_with_private_data(case, rows):
    _aim(case, rows["published"], rows["draft"])
    case.call_and_validate(checks=[*CHECKS, no_private_data])


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
    _aim(case, rows["draft"], rows["published"])
    case.call_and_validate(checks=CHECKS, **member_session)


def _bearer(user, *scopes: str) -> dict:
    _token, key = make_token(user, *scopes)
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def private_token(member) -> dict:
    """A Lab member's token that reads the Lab's private data (scopes read and private)."""
    return _bearer(member, Scope.PRIVATE)


@pytest.fixture
def submit_token(lab) -> dict:
    """A Lab facilitator's token that submits (scopes read and submit): it reads what a visitor reads."""
    return _bearer(make_member(lab, MembershipRole.FACILITATOR), Scope.SUBMIT)


@schema.parametrize()
@EXAMPLES
def test_a_partner_token_reading_its_labs_private_data_gets_answers_as_the_schema_says(case, rows, private_token):
    _aim(case, rows["draft"], rows["published"])
    case.call_and_validate(checks=CHECKS, headers=private_token)


@schema.parametrize()
@EXAMPLES
def test_a_submitting_partner_token_is_answered_as_the_schema_says_and_reads_no_private_data(case, rows, submit_token):
    _aim(case, rows["published"], rows["draft"])
    case.call_and_validate(checks=[*CHECKS, no_private_data], headers=submit_token)
