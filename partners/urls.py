from django.urls import path  # noqa: F401 (the helpers add their paths)

app_name = "partners"
urlpatterns: list = [
    # tokens helper: the account's token pages
]
