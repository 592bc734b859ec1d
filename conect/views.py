from django.db import DatabaseError
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from conect.health import database_versions
from labs.models import Activity, Lab
from networks.models import Network, Organisation


class HomeView(TemplateView):
    template_name = "conect/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["labs"] = Lab.objects.visible_to(user).only("name", "slug", "city", "country")
        context["counts"] = {
            "labs": Lab.objects.visible_to(user).count(),
            "networks": Network.objects.visible_to(user).filter(parent__isnull=True).count(),
            "organisations": Organisation.objects.visible_to(user).count(),
            "activities": Activity.objects.visible_to(user).count(),
        }
        return context


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
