"""Every write a partner token asks for, in the TokenWrite log with its answer (partners.authentication marks the
request; reads are not logged)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from partners.models import TokenWrite

READS = frozenset({"GET", "HEAD", "OPTIONS"})


def log_token_writes(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        token = getattr(request, "partner_token", None)
        if token is not None and request.method not in READS:
            TokenWrite.objects.create(
                token=token,
                prefix=token.prefix,
                user_id=token.user_id,
                organisation_id=token.organisation_id,
                method=request.method[:10],
                path=request.get_full_path()[:500],
                status=response.status_code,
            )
        return response

    return middleware
