from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps_views
from django.urls import include, path

from conect import views
from practices import embed_views, map_views
from practices.sitemaps import PracticeSitemap, SpaceSitemap
from practices.views import photo

SITEMAPS = {"practices": PracticeSitemap, "spaces": SpaceSitemap}
handler400 = views.bad_request
handler404 = views.page_not_found

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("conect.api_urls")),
    path("sitemap.xml", sitemaps_views.index, {"sitemaps": SITEMAPS}, name="sitemap-index"),
    path(
        "sitemap-<section>.xml",
        sitemaps_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("tiles/<str:layer>/<int:z>/<int:x>/<int:y>.geojson", map_views.tile, name="tile"),
    # The script partner pages load to embed the map: one address whatever the language.
    path("embed/map.js", embed_views.embed_script, name="embed_script"),
    # Photos go through the access path: never under MEDIA_URL, whose files anyone with the address may fetch.
    path("photos/<int:pk>/<str:size>.jpg", photo, name="photo"),
    # iCalendar feeds keep one address whatever the language (calendar clients subscribe to it).
    path("", include("activities.ical_urls")),
    # OGC API - Features, HSDS, Murmurations: addresses that clients keep, whatever the language.
    path("", include("opendata.urls")),
]

if settings.DEBUG:
    # Development only: in production the web server or the object storage serves the uploads.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("accounts/tokens/", include("partners.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("indicators.urls")),
    path("labs/", include("labs.urls")),
    path("networks/", include("networks.urls")),
    path("", include("activities.urls")),
    path("library/", include("library.urls")),
    path("", include("practices.urls")),
    path("admin/", admin.site.urls),
)
