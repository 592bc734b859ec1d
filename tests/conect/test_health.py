import pytest
from django.db import connection


def test_healthz_reports_database_and_postgis_versions(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"].startswith("15.")
    assert body["postgis"].startswith("3.")


@pytest.mark.django_db(transaction=True)
def test_healthz_answers_503_when_the_database_is_down(client):
    saved = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = 9  # nothing listens on the discard port
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict["PORT"] = saved
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_healthz_is_not_cached(client, db):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]
