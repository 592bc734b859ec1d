"""CoNECT settings: every value comes from an environment variable; .env.example lists them all."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from conect.env import env_bool, env_choice, env_database, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", True)
_DEV_SECRET = "dev-only-secret-key-never-used-in-production-0123456789abcdef"
SECRET_KEY = env_str("DJANGO_SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # In the order of their dependencies (load_demo loads each app's demo data in this order too).
    "conect",
    "labs",
    "practices",
    "networks",
    "activities",
    "library",
    "indicators",
    "partners",
    "opendata",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "django_countries",
    "leaflet",
    "rest_framework",
    "rest_framework_gis",
    "django_filters",
    "simple_history",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "corsheaders",
    "rest_framework_api_key",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "practices.middleware.cached_tiles",  # a cached map tile, before the middleware it does not need
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag on every GET answer that has none, and 304 for If-None-Match / If-Modified-Since (RFC 9110).
    "django.middleware.http.ConditionalGetMiddleware",
    "conect.middleware.refuse_nul",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "conect.urls"
WSGI_APPLICATION = "conect.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# The project's own PostGIS cluster (scripts/pg.sh) listens here when DATABASE_URL is unset.
PG_PORT = env_int("CONECT_PG_PORT", 54329)
DATABASES = {"default": env_database("DATABASE_URL", f"postgis://conect@127.0.0.1:{PG_PORT}/conect")}
# Requests run short queries: PostgreSQL's JIT compilation (about 20 ms per run of a 1,000-feature API page, never
# reused) and parallel workers (their start) cost more than they save; off for our connections, set in the startup
# packet (no query). Synchronized scans off: a table scan that stops early (a search's first 1,001 matches, practices
# by_relevance) would start where another scan of the table happens to be, so the same search, or its page 2, would
# give other practices from one request to the next. A DATABASE_URL with its own ?options= (or a pooler refusing
# startup options) decides instead.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
    "options", "-c jit=off -c max_parallel_workers_per_gather=0 -c synchronize_seqscans=off"
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "conect.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A URL name, not a path: reversed in the reader's language, so a sign-in asked on /it/... opens in Italian.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[CoNECT] "
ACCOUNT_PREVENT_ENUMERATION = True

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("it", _("Italian")),
    ("ro", _("Romanian")),
    ("fr", _("French")),
    ("de", _("German")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "Europe/Brussels")

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / ".local" / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / ".local" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Uploaded import files hold private contacts: never under MEDIA_URL.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / ".local" / "private")), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not env_bool("CONECT_PLAIN_STATIC", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend" if DEBUG else "")
if not EMAIL_BACKEND:
    # Without this, confirmation and password-reset links would end up in the production logs.
    raise ImproperlyConfigured("EMAIL_BACKEND must be set when DJANGO_DEBUG is false")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "CoNECT <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "conect_cache_default"}}
if env_str("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "conect.cache.RedisCache", "LOCATION": env_str("REDIS_URL")}}

# Background jobs (imports, e-mails): django-tasks, the backport of Django 6's tasks API, on its database backend, so
# the queue lives in the same PostgreSQL. Workers run `manage.py db_worker` (README "Background jobs"). "immediate"
# runs each job inside the request that asks for it: only to try things out without a worker.
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[env_choice("TASKS_BACKEND", "database", ("database", "immediate"))]
    }
}

# Base-map tiles are the only third-party request the public site makes.
MAP_TILES_URL = env_str("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = env_str(
    "MAP_TILES_ATTRIBUTION", '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
# Optional online geocoder for the place finder of the forms (e.g. https://nominatim.openstreetmap.org); unset, the
# offline gazetteer alone answers and the platform makes no request to it.
NOMINATIM_URL = env_str("NOMINATIM_URL").rstrip("/")
if NOMINATIM_URL and not NOMINATIM_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"NOMINATIM_URL must be an http(s) URL, not {NOMINATIM_URL!r}")

LEAFLET_CONFIG = {
    "TILES": [("OpenStreetMap", MAP_TILES_URL, {"attribution": MAP_TILES_ATTRIBUTION, "maxZoom": 19})],
    "DEFAULT_CENTER": (48.5, 12.0),
    "DEFAULT_ZOOM": 4,
    "RESET_VIEW": False,
}

REST_FRAMEWORK = {
    # Partner tokens (Bearer, partners.authentication: the one rule of scopes), then the session; no Basic auth, which
    # would bypass allauth's rate limits.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "partners.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # JSON only, read with a nesting limit and without NUL (conect.parsers).
    "DEFAULT_PARSER_CLASSES": ["conect.parsers.JSONParser"],
    # drf-spectacular's, with what every operation shares (lang, modified_since, 401, 429): conect.openapi.
    "DEFAULT_SCHEMA_CLASS": "conect.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CoNECT API",
    "DESCRIPTION": "Practices and spaces of community resilience: JSON and GeoJSON (add ?format=geojson).",
    "VERSION": "1",
    # Swagger UI from the drf-spectacular-sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "LanguageEnum": "practices.vocabularies.language_choices",
        "FeatureCollectionTypeEnum": [("FeatureCollection", "FeatureCollection")],
    },
    # Request and response bodies each have their own schema: read-only fields are never asked for.
    "COMPONENT_SPLIT_REQUEST": True,
    # Operations grouped by what they serve (practices, spaces...), not by the address's first segment ("v1").
    "SCHEMA_PATH_PREFIX": r"/api/v1",
}
# What the API's collections say of their data (GeoJSON, OGC API, HSDS): the licence and whom to credit.
DATA_LICENCE = env_str("DATA_LICENCE", "CC BY 4.0")
DATA_ATTRIBUTION = env_str("DATA_ATTRIBUTION", "CoNECT platform contributors")

# Production hardening: on by default whenever DEBUG is off, each switch overridable for a proxy set-up.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
# Sub-domains and preload are commitments that are hard to undo: opt-in.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
FORMS_URLFIELD_ASSUME_HTTPS = True  # the Django 6 default, opted into now
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# gis.W001: Debian 12's GDAL 3.6 cannot block file and network access from spatial reference strings. We never hand
# user-supplied SRS text to GDAL (geometries are read by GEOS in SRID 4326), so the warning is silenced knowingly.
SILENCED_SYSTEM_CHECKS = env_list("DJANGO_SILENCED_SYSTEM_CHECKS", ["gis.W001"])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))},
}

# --- Partner tokens, throttles and CORS (partners app) ---
# Requests per token (whatever its scopes) and per anonymous address, e.g. "1000/hour", "20/min"; empty: no limit.
# Counted in CACHES["shared"], which every process sees: Redis when REDIS_URL is set, else the database's cache table
# (created by `manage.py createcachetable`, which `make migrate` and the container's start run).
API_TOKEN_RATE = env_str("API_TOKEN_RATE", "5000/hour")
API_ANON_RATE = env_str("API_ANON_RATE", "1000/hour")
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "partners.throttles.TokenRateThrottle",
    "partners.throttles.AnonRateThrottle",
]
# How many proxies sit before the app: the anonymous address is read that far back in X-Forwarded-For (0: the socket's
# address, so a client cannot pick its own by sending the header).
REST_FRAMEWORK["NUM_PROXIES"] = env_int("API_NUM_PROXIES", 0)
if env_str("REDIS_URL"):
    CACHES["shared"] = {"BACKEND": "conect.cache.RedisCache", "LOCATION": env_str("REDIS_URL")}
else:
    CACHES["shared"] = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "conect_cache"}
MIDDLEWARE.append("partners.middleware.log_token_writes")  # every write by a token, with its answer
# CORS only on the open endpoints (the API, OGC API - Features, HSDS, Murmurations, the RSS, Atom and iCalendar feeds):
# any origin reads them (partners.cors), the origins listed here may also write; no cookies ever cross origins.
CORS_URLS_REGEX = r"^/(api|ogc|hsds|murmurations)/|^/[\w-]+/(.+/)?[\w-]+\.(rss|atom)$|^/(.+/)?[\w-]+\.ics$"
CORS_ALLOWED_ORIGINS = env_list("CORS_WRITE_ORIGINS", [])
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After", "Link"]

# --- Embeds: who may frame the embeddable map (practices app) ---
# The sources a partner page must come from to frame the embeddable map and the practice cards: the embeds'
# Content-Security-Policy frame-ancestors, e.g. "https://city.example,https://*.partner.example". "*": any site.
EMBED_FRAME_ANCESTORS = env_list("EMBED_FRAME_ANCESTORS", ["*"])
if any(";" in source or len(source.split()) != 1 for source in EMBED_FRAME_ANCESTORS):
    raise ImproperlyConfigured("EMBED_FRAME_ANCESTORS: sources separated by commas, none with a space or a ';'")

# --- Replica, sessions and scale-out (issue 11) ---
# DATABASE_REPLICA_URL: a streaming read replica of DATABASE_URL (same user and database). Set, web requests read from
# it through conect.dbrouter (writes, migrations, transactions, task workers and commands stay on the primary), and a
# client that wrote reads from the primary for REPLICA_PIN_SECONDS, or until the replica has replayed its write
# (conect.middleware.read_your_writes). Unset, there is one database and nothing here changes.
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 5)
if env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = env_database("DATABASE_REPLICA_URL", "")
    DATABASES["replica"]["OPTIONS"] = DATABASES["default"]["OPTIONS"] | DATABASES["replica"].get("OPTIONS", {})
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # tests read the test database through both aliases
    DATABASE_ROUTERS = ["conect.dbrouter.PrimaryReplicaRouter"]
    _after_static = MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1
    MIDDLEWARE.insert(_after_static, "conect.middleware.read_your_writes")
# With REDIS_URL, sessions are read from Redis (CACHES["shared"]) and written through to the database, which keeps
# them when Redis restarts: an app server holds no state of its own.
if env_str("REDIS_URL"):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    SESSION_CACHE_ALIAS = "shared"

# --- Map tiles and caches (issue 11) ---
# The default cache (map tiles, allauth's rate limits) is shared by every process: the database's cache table
# conect_cache_default (`manage.py createcachetable`, run by `make migrate` and the container's start), or Redis when
# REDIS_URL is set (size it there with maxmemory and an allkeys-lru policy). CACHE_MAX_ENTRIES bounds the table: the
# map's working set is about 1,500 tiles for one language and no filter (the views of Europe from zoom 2 to 12 that
# people look at), times the languages and the common filters; 20,000 tiles of at most 25 markers are about 80 MB.
if not env_str("REDIS_URL"):
    CACHES["default"]["OPTIONS"] = {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 20_000)}
