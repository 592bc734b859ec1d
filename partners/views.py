"""The account's token pages: the tokens one manages, a new token (its key shown once), revoking one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from partners.forms import TokenForm
from partners.models import PartnerToken, Scope


@login_required
@never_cache
def token_list(request):
    """The list, and the form of a new token. A new token's key is shown in the answer to the form and nowhere else:
    never redirected through the session (which the database keeps), never cached."""
    form = TokenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        token, key = form.save()
        return render(request, "partners/token_created.html", {"token": token, "key": key})
    tokens = PartnerToken.objects.manageable_by(request.user).select_related("user", "organisation")
    context = {"form": form, "tokens": tokens.order_by("-created"), "scopes": Scope}
    return render(request, "partners/token_list.html", context, status=400 if form.errors else 200)


@login_required
def token_revoke(request, prefix: str):
    token = get_object_or_404(PartnerToken.objects.manageable_by(request.user), prefix=prefix)
    if request.method == "POST" and not token.revoked:
        token.revoke()
        messages.success(request, _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name})
        return redirect("partners:tokens")
    if token.revoked:
        return redirect("partners:tokens")
    return render(request, "partners/token_revoke.html", {"token": token})
