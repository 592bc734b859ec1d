"""Tokens for the role ladder: `token_for(user, "private", "submit")` gives the key to send."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from partners.models import PartnerToken, Scope


def make_token(user, *scopes: str, organisation=None, expires_in: timedelta | None = timedelta(days=30), **kwargs):
    expiry = timezone.now() + expires_in if expires_in is not None else None
    return PartnerToken.objects.create_key(
        name=kwargs.pop("name", "Partner site"),
        user=user,
        organisation=organisation,
        scopes=[Scope.READ, *scopes],
        expiry_date=expiry,
        **kwargs,
    )


def token_client(key: str) -> Client:
    """A client that sends the token with every request, and no cookie."""
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.fixture
def token_for():
    def make(user, *scopes: str, **kwargs) -> Client:
        _token, key = make_token(user, *scopes, **kwargs)
        return token_client(key)

    return make
