from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from conect import views
from practices import map_views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("conect.api_urls")),
    path("tiles/<str:layer>/<int:z>/<int:x>/<int:y>.geojson", map_views.tile, name="tile"),
]

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("accounts/", include("allauth.urls")),
    path("labs/", include("labs.urls")),
    path("networks/", include("networks.urls")),
    path("", include("practices.urls")),
    path("admin/", admin.site.urls),
)
