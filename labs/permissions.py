"""What no partner token may do, whatever its scopes: moderate (approve, publish, reject, return for changes).

Here, in the lowest app, so that every app's API may use it (partners.authentication, above them all, sets
`request.auth` to the token; a session request has `request.auth is None`)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission


class NotByToken(BasePermission):
    """Add to a moderation action (`@action(..., permission_classes=[IsAuthenticated, NotByToken])`): a partner
    token may submit into the moderation queue but never decide on it; that is done signed in, on the site."""

    message = _("A partner token cannot moderate: sign in on the site to approve, publish or return content.")

    def has_permission(self, request, view) -> bool:
        return request.auth is None
