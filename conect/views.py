from django.db import DatabaseError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from conect.health import database_versions


class HomeView(TemplateView):
    """The home page: each app's figures come from its own template tags (the core knows no app)."""

    template_name = "conect/home.html"


@never_cache
def healthz(request):
    try:
        versions = database_versions()
    except DatabaseError as error:
        return JsonResponse({"status": "error", "database": "unreachable", "detail": type(error).__name__}, status=503)
    ok = versions["postgis"] is not None
    return JsonResponse(
        {"status": "ok" if ok else "error", "database": versions["postgresql"], "postgis": versions["postgis"]},
        status=200 if ok else 503,
    )


def page_not_found(request, exception):
    """The 404 page; under /api/, where DRF answers its own 404s in JSON, an unknown address answers alike."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception):
    """The 400 page (a body over the upload limit, an unreadable request); under /api/, a JSON error like DRF's."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": _("The request cannot be read: it is malformed or too large.")}, status=400)
    return defaults.bad_request(request, exception)
