"""The scope ladder on every endpoint of the router: a read-only token reads what a visitor reads, a private token
what its owner reads signed in, and no write gets through without the submit scope."""

import pytest

from conect.api_urls import router
from labs.moderation import ModerationState
from partners.models import Scope, TokenWrite
from tests.conftest import client_for
from tests.factories import make_activity, make_organisation, make_practice, make_space
from tests.partners.conftest import make_token, token_client

S = ModerationState
PREFIXES = [prefix for prefix, _viewset, _basename in router.registry]
# The big lists where a Lab's drafts show: a private token must see them, a read-only one must not.
WITH_DRAFTS = ["practices", "spaces", "organisations", "activities"]


@pytest.fixture
def content(lab, other_lab):
    """Published and draft rows of both Labs in the moderated lists; a draft's name says whose it is."""
    for owner, mark in ((lab, "Drafta"), (other_lab, "Draftb")):
        make_practice(title=f"Published practice of {owner.name}", lab=owner)
        make_practice(title=f"{mark} practice", lab=owner, state=S.DRAFT)
        make_space(name=f"{mark} space", lab=owner, state=S.DRAFT)
        make_organisation(name=f"{mark} organisation", lab=owner, state=S.DRAFT)
        make_activity(title=f"{mark} activity", lab=owner, state=S.DRAFT)


def answer(response) -> tuple[int, object]:
    """The status, and the body of a 200 (a refusal may word itself differently for a token)."""
    if response.status_code != 200:
        return response.status_code, None
    kind = response.get("Content-Type", "")
    return 200, response.json() if kind.startswith("application/json") else response.content


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_read_only_token_of_a_member_reads_what_a_visitor_reads(client, member, content, prefix):
    _token, key = make_token(member)
    assert answer(token_client(key).get(f"/api/v1/{prefix}/")) == answer(client.get(f"/api/v1/{prefix}/"))


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_private_token_reads_what_its_owner_reads_signed_in(member, content, prefix):
    _token, key = make_token(member, Scope.PRIVATE)
    signed_in = client_for(member).get(f"/api/v1/{prefix}/")
    assert answer(token_client(key).get(f"/api/v1/{prefix}/")) == answer(signed_in)


@pytest.mark.parametrize("prefix", WITH_DRAFTS)
def test_a_private_token_sees_its_labs_drafts_and_no_other_labs(member, content, prefix):
    _token, key = make_token(member, Scope.PRIVATE)
    body = token_client(key).get(f"/api/v1/{prefix}/").content.decode()
    assert "Drafta" in body and "Draftb" not in body


@pytest.mark.parametrize("prefix", WITH_DRAFTS)
def test_a_read_only_token_sees_no_draft_even_of_its_own_lab(member, content, prefix):
    _token, key = make_token(member)
    body = token_client(key).get(f"/api/v1/{prefix}/").content.decode()
    assert "Drafta" not in body and "Draftb" not in body


WRITES = [("post", ""), ("put", "1/"), ("patch", "1/"), ("delete", "1/")]
# Every write route of the router: the list's, and the detail's where there is one.
ROUTES = [
    (prefix, method, tail)
    for prefix, viewset, _basename in router.registry
    for method, tail in WRITES
    if not tail or hasattr(viewset, "retrieve")
]


@pytest.mark.parametrize("scopes", [(), (Scope.PRIVATE,)], ids=["read", "private"])
@pytest.mark.parametrize(("prefix", "method", "tail"), ROUTES, ids=[f"{p}-{m}" for p, m, _t in ROUTES])
def test_no_write_gets_through_without_the_submit_scope(coordinator, prefix, method, tail, scopes):
    _token, key = make_token(coordinator, *scopes)
    response = getattr(token_client(key), method)(f"/api/v1/{prefix}/{tail}", {}, content_type="application/json")
    assert response.status_code == 403
    assert "submit" in response.json()["detail"]
    assert TokenWrite.objects.get().status == 403
