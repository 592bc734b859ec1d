import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from conect.env import env_bool, env_database, env_int

ROOT = Path(__file__).resolve().parents[2]


def test_a_bad_boolean_fails_loudly(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG must be true or false"):
        env_bool("DJANGO_DEBUG", True)


def test_a_bad_number_fails_loudly(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "five-eight-seven")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT must be a whole number"):
        env_int("EMAIL_PORT", 587)


def test_a_database_url_that_is_not_postgresql_is_refused(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///db.sqlite3")
    with pytest.raises(ImproperlyConfigured, match="must be a PostgreSQL URL"):
        env_database("DATABASE_URL", "")


def test_any_postgresql_url_runs_on_the_postgis_backend(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example:6543/conect")
    config = env_database("DATABASE_URL", "")
    assert config["ENGINE"] == "django.contrib.gis.db.backends.postgis"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.example", 6543, "conect")


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")} | env
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x7#kq2!vB9zL0pW4mN8rT1yU6hJ3gF5dS0aQ9wE2rT7yU4iO1pL6kJ8hG3fD5sA",
    "DJANGO_ALLOWED_HOSTS": "conect.example.org",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
}


def test_check_deploy_is_clean_with_the_production_variables():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_without_a_secret_key_says_so_in_one_line():
    result = _manage("check", DJANGO_DEBUG="false")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "conect: configuration error: DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false"
    )


def test_production_without_an_email_backend_refuses_to_start():
    env = {k: v for k, v in PRODUCTION.items() if k != "EMAIL_BACKEND"}
    result = _manage("check", **env)
    assert result.returncode == 1
    assert "EMAIL_BACKEND must be set when DJANGO_DEBUG is false" in result.stderr


def test_an_unreachable_database_is_one_clear_line():
    result = _manage("dbcheck", DATABASE_URL="postgres://nobody@127.0.0.1:9/conect")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "cannot reach the database at 127.0.0.1:9/conect" in lines[0]
    assert "fix DATABASE_URL" in lines[0]


def test_a_wrong_database_url_scheme_is_one_clear_line():
    result = _manage("dbcheck", DATABASE_URL="mysql://root@localhost/conect")
    assert result.returncode == 1
    assert result.stderr.strip().startswith("conect: configuration error: DATABASE_URL must be a PostgreSQL URL")


def test_an_empty_variable_means_its_default(monkeypatch):
    monkeypatch.setenv("SECURE_SSL_REDIRECT", "")
    assert env_bool("SECURE_SSL_REDIRECT", True) is True


def test_the_code_passes_ruff_and_the_templates_djhtml():
    bin_dir = Path(sys.executable).parent
    for command in (["ruff", "check", "."], ["ruff", "format", "--check", "."], ["djhtml", "--check", "templates"]):
        result = subprocess.run([bin_dir / command[0], *command[1:]], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_every_model_change_has_its_migration():
    result = _manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout


def _psql(url: str, sql: str) -> str:
    result = subprocess.run(["psql", url, "-tAqc", sql], capture_output=True, text=True, check=True)
    return result.stdout.strip()


@pytest.fixture
def database_without_postgis():
    """A database owned by a role that is not a superuser, on the test server: that role cannot add PostGIS."""
    from django.db import connection

    s = connection.settings_dict
    admin = f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/postgres"
    if _psql(admin, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user") != "t":
        pytest.skip("needs a superuser DATABASE_URL to create a role and a database")
    _psql(admin, "DROP DATABASE IF EXISTS conect_no_postgis")
    _psql(admin, "DROP ROLE IF EXISTS conect_no_postgis")
    _psql(admin, "CREATE ROLE conect_no_postgis LOGIN PASSWORD 'no-postgis'")
    _psql(admin, "CREATE DATABASE conect_no_postgis OWNER conect_no_postgis")
    yield f"postgres://conect_no_postgis:no-postgis@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/conect_no_postgis"
    _psql(admin, "DROP DATABASE IF EXISTS conect_no_postgis")
    _psql(admin, "DROP ROLE IF EXISTS conect_no_postgis")


def test_a_database_without_postgis_is_one_clear_line(database_without_postgis):
    result = _manage("dbcheck", DATABASE_URL=database_without_postgis)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "has no PostGIS and this role may not add it" in lines[0]
