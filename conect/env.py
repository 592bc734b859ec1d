"""Typed readers for environment variables: a bad value fails loudly at start-up, never later."""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str) -> str | None:
    """The variable's value, with unset and empty meaning the same: "use the default"."""
    value = os.environ.get(name, "").strip()
    return value or None


def env_str(name: str, default: str = "") -> str:
    return _raw(name) or default


def env_bool(name: str, default: bool) -> bool:
    raw = _raw(name)
    if raw is None:
        return default
    value = raw.lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = _raw(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = _raw(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = _raw(name) or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def env_database(name: str, default: str) -> dict:
    """Parse a PostgreSQL URL into Django's DATABASES entry, always on the PostGIS backend."""
    import dj_database_url

    url = _raw(name) or default
    if url.split("://", 1)[0] not in {"postgres", "postgresql", "postgis", "pgsql"}:
        raise ImproperlyConfigured(
            f"{name} must be a PostgreSQL URL such as postgres://user:password@host:5432/name, not {url!r}"
        )
    config = dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))
    config["ENGINE"] = "django.contrib.gis.db.backends.postgis"
    config["CONN_HEALTH_CHECKS"] = True
    return config
