"""`Authorization: Bearer <key>`: the one place where a partner token's scopes take effect.

The one rule of scopes. A request with a valid token has `request.auth` = its PartnerToken (a session request has
`request.auth is None`), and:
- reading (GET, HEAD, OPTIONS): with the "private" scope it acts as the token's owner (who sees their Labs' drafts);
  without it, `request.user` is AnonymousUser and it sees what a visitor sees;
- writing needs the "submit" scope (403 otherwise, before any view runs); it then acts as the owner, and whatever it
  writes enters moderation (the serializers pass `review=request.auth is not None` to Moderated.save_new/save_edit);
- a bad, malformed, expired or revoked token, or one whose owner's account is closed: 401, whatever the endpoint.
"""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.permissions import SAFE_METHODS

from partners.models import PartnerToken, Scope

KEYWORD = "Bearer"


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None  # no token: the session (or nobody) decides
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Send the token as: Authorization: Bearer <key>."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("This token is not valid.")) from None
        token = self._token(key)
        request._request.partner_token = token  # partners.middleware logs the writes it makes
        if request.method in SAFE_METHODS:
            return (token.user if token.has_scope(Scope.PRIVATE) else AnonymousUser()), token
        if not token.has_scope(Scope.SUBMIT):
            raise exceptions.PermissionDenied(_("This token may only read: writing needs the “submit” scope."))
        return token.user, token

    def _token(self, key: str) -> PartnerToken:
        prefix, dot, _secret = key.partition(".")
        token = PartnerToken.objects.select_related("user").filter(prefix=prefix).first() if dot else None
        if token is None or not token.is_valid(key) or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This token is not valid."))
        if token.revoked:
            raise exceptions.AuthenticationFailed(_("This token was revoked."))
        if token.has_expired:
            raise exceptions.AuthenticationFailed(_("This token has expired."))
        token.touch()
        return token

    def authenticate_header(self, request) -> str | None:
        # Only an answer to a token says "Bearer": without one, a write refused to a visitor stays a 403 as before.
        if authentication.get_authorization_header(request).lower().startswith(KEYWORD.lower().encode()):
            return f'{KEYWORD} realm="api"'
        return None


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """Declares the bearer scheme in /api/schema/."""

    target_class = TokenAuthentication
    name = "partnerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(
                _(
                    "A partner token made on your account's Tokens page, sent as `Authorization: Bearer <key>`. "
                    "Scopes: read (what a visitor reads), private (also your Labs' unpublished content), submit "
                    "(writes, which enter the moderation queue)."
                )
            ),
        }
