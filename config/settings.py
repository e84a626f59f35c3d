"""Spendwise settings: one file, read from the environment (see docs/settings.md).

With nothing set, the embedded default applies: SQLite, local-memory cache, in-memory
channel layer, Celery tasks run eagerly, console email. With DEBUG off, production-safe
defaults apply and SECRET_KEY must be given.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    email_settings,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_rate,
    env_str,
    env_timezone,
    env_url,
    https_origins,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (50+ random characters)")
    SECRET_KEY = "django-insecure-dev-only-key-never-use-in-production-0123456789"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = https_origins("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework_simplejwt",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served by us: the API docs work offline
    "django_celery_beat",
    "channels",
    "csp",
    "axes",
    "users",
    "finance",
    "alerts",
    "insights",
    "operators",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.headers.PrivateApiAnswersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "users.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into users.lockouts' answer
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
# Threads per daphne process that run HTTP requests (config/runtime/http.py); WebSockets do not use them.
HTTP_THREADS = env_int("HTTP_THREADS", 4, minimum=1)

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "alerts.context_processors.unread_notifications",
            ],
            # People's words (enum labels, plurals, changes) in every template, the admin's included.
            "builtins": ["core.templatetags.wording"],
        },
    },
]

# Database: PostgreSQL through psycopg 3 when DATABASE_URL is set, else a SQLite file.
_database_url = env_url("DATABASE_URL", {"postgres", "postgresql", "sqlite"})
# PostgreSQL connections come from psycopg's pool (DATABASE_POOL_SIZE per process, shared by
# every thread: HTTP_THREADS request threads, WebSocket and Celery threads). DATABASE_POOL_SIZE=0 turns the
# pool off; then DATABASE_CONN_MAX_AGE (0 by default: a connection per request) applies.
_database_pool_size = env_int("DATABASE_POOL_SIZE", 20, minimum=0)
# Seconds to wait for a free pooled connection, and for PostgreSQL to accept a new one: with the
# database down, a request answers 503 (core/outage.py) after about this long, not a 500 much later.
_database_pool_timeout = env_int("DATABASE_POOL_TIMEOUT", 3, minimum=1)
_database_connect_timeout = env_int("DATABASE_CONNECT_TIMEOUT", 3, minimum=1)
_database_conn_max_age = env_int("DATABASE_CONN_MAX_AGE", 0, minimum=0)
if _database_url:
    try:
        _database = dj_database_url.parse(_database_url, conn_max_age=_database_conn_max_age, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL could not be parsed: {exc}") from None
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _database.setdefault("OPTIONS", {}).setdefault("connect_timeout", _database_connect_timeout)
        # Parameters travel apart from the SQL, and psycopg prepares a statement a connection runs often: PostgreSQL
        # plans each hot query once per connection, not on every write (bench/README.md, the alerts mix).
        _database["OPTIONS"].setdefault("server_side_binding", env_bool("DATABASE_SERVER_SIDE_BINDING", True))
    if _database["ENGINE"] == "django.db.backends.postgresql" and _database_pool_size:
        if _database_conn_max_age:
            raise ImproperlyConfigured(
                "DATABASE_CONN_MAX_AGE must be 0 while the connection pool is on; set DATABASE_POOL_SIZE=0 to use it."
            )
        _database.setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(2, _database_pool_size),
            "max_size": _database_pool_size,
            "timeout": _database_pool_timeout,
        }
    DATABASES = {"default": _database}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(BASE_DIR / "db.sqlite3"),
            "CONN_HEALTH_CHECKS": True,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USES_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

# Cache, throttling and locks: Redis when REDIS_URL is set, else local memory. With Redis
# unreachable the cache fails open to this process's memory (config/runtime/cache.py); the short socket
# timeouts keep a request from waiting on a Redis that does not answer.
REDIS_URL = env_url("REDIS_URL", {"redis", "rediss", "unix"})
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.runtime.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "spendwise"),
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 2,
            },
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "config.runtime.channel_layer.BoundedRedisChannelLayer",
            # Past CHANNEL_LAYER_MAX_CONNECTIONS a command waits for a free connection instead of
            # opening more (config/runtime/channel_layer.py); at least 2, as the layer's blocking receive
            # holds one for up to 5 s. The read timeout must outlast that receive (redis-py's 5 s
            # default raced it), or a slow reply kills a socket. REDIS_URL options win.
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "max_connections": env_int("CHANNEL_LAYER_MAX_CONNECTIONS", 100, minimum=2),
                        "socket_timeout": 30,
                    }
                ],
                "prefix": env_str("CACHE_KEY_PREFIX", "spendwise") + ":asgi",
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Celery: a real broker when CELERY_BROKER_URL is set, else tasks run eagerly in-process.
CELERY_BROKER_URL = env_url("CELERY_BROKER_URL", {"redis", "rediss", "amqp", "amqps", "memory"})
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

EMAIL_SETTINGS = email_settings("EMAIL_URL")
globals().update(EMAIL_SETTINGS)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Spendwise <noreply@spendwise.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out account or address before the password check
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "users:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_timezone("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Production-safe defaults when DEBUG is off. SECURE_SSL_REDIRECT=0 turns off only the
# redirect (plain HTTP behind a TLS-terminating proxy, or on loopback).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("TRUST_X_FORWARDED_PROTO", False) else None
SILENCED_SYSTEM_CHECKS = [] if SECURE_SSL_REDIRECT or DEBUG else ["security.W008"]
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every page (django-csp): scripts only from our own static files, never
# inline; style attributes stay allowed (the bars' widths). WebSockets go to the same host ('self').
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("THROTTLE_ANON", "120/min"),
        "user": env_rate("THROTTLE_USER", "1200/min"),
        "auth": env_rate("THROTTLE_AUTH", "10/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # How many reverse proxies append to X-Forwarded-For; 0 trusts only REMOTE_ADDR (throttling, login audit).
    "NUM_PROXIES": env_int("NUM_PROXIES", 0, minimum=0),
}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("JWT_ACCESS_MINUTES", 15, minimum=1)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("JWT_REFRESH_DAYS", 7, minimum=1)),
    "UPDATE_LAST_LOGIN": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Spendwise API",
    "DESCRIPTION": "Self-hostable smart budgets: ledger, alerts, insights and the operator console.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per shared choice set; the schema's warnings fail `check --deploy`.
    "ENUM_NAME_OVERRIDES": {"ChannelKindEnum": "alerts.models.ChannelKind"},
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Operations grouped by resource, every error answer described (core/api_schema.py).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.api_schema.schema_finish"],
}

# Password guessing (users/lockouts.py): failures per account and per address, each locked out alone.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_USERNAME_CALLABLE = "users.lockouts.attempted_email"
AXES_CLIENT_IP_CALLABLE = "users.lockouts.attempt_address"
AXES_LOCKOUT_CALLABLE = "users.lockouts.lockout_response"
AXES_RESET_ON_SUCCESS = False  # a success elsewhere must not wipe an attacker's count
AXES_VERBOSE = False

# Product limits
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 20 * 1024 * 1024, minimum=1)
# A running import whose worker gave no sign of life for this long was lost (killed, out of memory): the
# recovery job (every minute) queues it again, or after IMPORT_MAX_ATTEMPTS starts ends it failed.
IMPORT_LEASE_SECONDS = env_int("IMPORT_LEASE_SECONDS", 120, minimum=1)
IMPORT_MAX_ATTEMPTS = env_int("IMPORT_MAX_ATTEMPTS", 3, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES + 1024 * 1024
OTP_TTL_MINUTES = 10
# Hours a prepared data export can be downloaded (users/exports.py).
DATA_EXPORT_HOURS = env_int("DATA_EXPORT_HOURS", 24, minimum=1)
OTP_MAX_ATTEMPTS = 5
# Seconds between a person's first new label and the refit of their categoriser's model (the labels that arrive
# meanwhile are fitted with it); the merchant memory learns each label at once.
CATEGORIZER_REFIT_DELAY = env_int("CATEGORIZER_REFIT_DELAY", 20, minimum=0)

# Alerts (see docs/alerts.md): delivery channels and limits.
SITE_URL = env_str("SITE_URL", "http://localhost:8000").rstrip("/")
ALERTS_DAILY_LIMIT = env_int("ALERTS_DAILY_LIMIT", 3, minimum=0)
# Insights: a dotted path to a text provider class that may rewrite recommendation text (off: templates only).
INSIGHTS_TEXT_PROVIDER = env_str("INSIGHTS_TEXT_PROVIDER", "")
ALERTS_DAILY_DIGEST_HOUR = env_int("ALERTS_DAILY_DIGEST_HOUR", 8, minimum=0)
if ALERTS_DAILY_DIGEST_HOUR > 23:
    raise ImproperlyConfigured(f"ALERTS_DAILY_DIGEST_HOUR must be an hour from 0 to 23, got {ALERTS_DAILY_DIGEST_HOUR}")
SMS_BACKEND = env_str("SMS_BACKEND", "console")
if SMS_BACKEND not in {"console", "twilio"}:
    raise ImproperlyConfigured(f"SMS_BACKEND must be console or twilio, got {SMS_BACKEND!r}")
SMS_FILE_PATH = env_str("SMS_FILE_PATH")
SMS_API_URL = env_url("SMS_API_URL", {"https", "http"}) or "https://api.twilio.com"
SMS_ACCOUNT_SID = env_str("SMS_ACCOUNT_SID")
SMS_AUTH_TOKEN = env_str("SMS_AUTH_TOKEN")
SMS_FROM_NUMBER = env_str("SMS_FROM_NUMBER")
if SMS_BACKEND == "twilio" and not (SMS_ACCOUNT_SID and SMS_AUTH_TOKEN and SMS_FROM_NUMBER):
    raise ImproperlyConfigured("SMS_BACKEND=twilio needs SMS_ACCOUNT_SID, SMS_AUTH_TOKEN and SMS_FROM_NUMBER")
VAPID_PUBLIC_KEY = env_str("VAPID_PUBLIC_KEY")
VAPID_PRIVATE_KEY = env_str("VAPID_PRIVATE_KEY")
VAPID_SUBJECT = env_str("VAPID_SUBJECT", "mailto:admin@spendwise.local")
# Allow webhooks to private/loopback/link-local addresses (tests; a trusted internal network).
WEBHOOK_ALLOW_PRIVATE = env_bool("WEBHOOK_ALLOW_PRIVATE", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}),
    },
    "loggers": {"daphne": {"level": "WARNING"}},
}
