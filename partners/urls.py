from django.urls import path

from partners import views

app_name = "partners"
urlpatterns = [
    path("", views.token_list, name="tokens"),
    path("<str:prefix>/revoke/", views.token_revoke, name="revoke"),
]
