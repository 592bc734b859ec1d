"""Language-independent addresses (clients and harvesters keep them): mounted at the site's root."""

from django.urls import path  # noqa: F401 (the helpers add their paths)

app_name = "opendata"
urlpatterns: list = [
    # --- OGC API - Features (/ogc/...) ---
    # --- Open Referral HSDS 3.0 (/hsds/...) ---
    # --- Murmurations profiles (/murmurations/...) ---
]
