"""Settings come from the environment; a bad value stops start-up with a message naming it.

Each case starts Django in a fresh interpreter, as a deployment would, with only the
variables under test set (the ones CI exports are removed first).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
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

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_VARIABLES = {
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DATABASE_CONN_MAX_AGE",
    "DATABASE_POOL_SIZE",
    "DATABASE_POOL_TIMEOUT",
    "REDIS_URL",
    "CHANNEL_LAYER_MAX_CONNECTIONS",
    "CELERY_BROKER_URL",
    "EMAIL_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "TRUST_X_FORWARDED_PROTO",
    "TIME_ZONE",
    "THROTTLE_ANON",
    "THROTTLE_USER",
    "THROTTLE_AUTH",
    "LOG_LEVEL",
}
PRODUCTION_SECRET = "s3cret-" + "x7Kq2" * 10
SHOW_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
from config.celery import app
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "database_engine": settings.DATABASES["default"]["ENGINE"],
    "database_conn_max_age": settings.DATABASES["default"].get("CONN_MAX_AGE", 0),
    "database_health_checks": settings.DATABASES["default"]["CONN_HEALTH_CHECKS"],
    "database_pool": settings.DATABASES["default"].get("OPTIONS", {}).get("pool"),
    "cache": settings.CACHES["default"]["BACKEND"],
    "channel_layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "channel_layer_hosts": settings.CHANNEL_LAYERS["default"].get("CONFIG", {}).get("hosts"),
    "celery_eager": app.conf.task_always_eager,
    "email": settings.EMAIL_BACKEND,
    "TIME_ZONE": settings.TIME_ZONE,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "staticfiles": settings.STORAGES["staticfiles"]["BACKEND"],
}))
"""


def start_django(**variables: str) -> subprocess.CompletedProcess:
    env = {name: value for name, value in os.environ.items() if name not in SETTINGS_VARIABLES}
    env.update(variables, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def settings_with(**variables: str) -> dict:
    result = start_django(**variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def start_up_error(**variables: str) -> str:
    result = start_django(**variables)
    assert result.returncode != 0, f"Django started with {variables}"
    assert "ImproperlyConfigured" in result.stderr
    return result.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("variable", "bad_value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "mysql://spendwise@db.example.com/spendwise"),
        ("DATABASE_URL", "postgres://spendwise@db.example.com:port/spendwise"),
        ("REDIS_URL", "http://cache.example.com:6379/0"),
        ("TIME_ZONE", "Mars/Base"),
        ("DATABASE_CONN_MAX_AGE", "-1"),
        ("DATABASE_CONN_MAX_AGE", "forever"),
        ("DATABASE_POOL_SIZE", "-5"),
        ("DATABASE_POOL_TIMEOUT", "0"),
        ("EMAIL_URL", "smtp://"),
        ("EMAIL_URL", "pigeon://loft"),
        ("CELERY_BROKER_URL", "ftp://broker.example.com/"),
        ("CSRF_TRUSTED_ORIGINS", "example.com"),
        ("SECURE_SSL_REDIRECT", "sometimes"),
        ("SECURE_HSTS_SECONDS", "a year"),
        ("THROTTLE_AUTH", "lots"),
        ("JWT_ACCESS_MINUTES", "0"),
        ("LOG_LEVEL", "LOUD"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(variable, bad_value):
    assert variable in start_up_error(**{variable: bad_value})


def test_a_bad_url_is_named_without_echoing_its_password():
    message = start_up_error(REDIS_URL="http://:hunter2-password@cache.example.com:6379/0")
    assert "REDIS_URL" in message
    assert "hunter2" not in message


def test_debug_off_without_a_secret_key_stops_start_up_naming_it():
    assert "SECRET_KEY" in start_up_error(DEBUG="0")


def test_nothing_set_gives_the_embedded_default():
    settings = settings_with()
    assert settings["DEBUG"] is True
    assert settings["database_engine"] == "django.db.backends.sqlite3"
    assert settings["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert settings["channel_layer"] == "channels.layers.InMemoryChannelLayer"
    assert settings["celery_eager"] is True
    assert settings["email"] == "django.core.mail.backends.console.EmailBackend"
    assert settings["TIME_ZONE"] == "UTC"
    assert settings["SECURE_SSL_REDIRECT"] is False
    assert "localhost" in settings["ALLOWED_HOSTS"]


def test_the_real_services_are_used_when_configured():
    settings = settings_with(
        DATABASE_URL="postgres://spendwise@db.example.com:5432/spendwise",
        DATABASE_POOL_SIZE="0",
        DATABASE_CONN_MAX_AGE="120",
        REDIS_URL="redis://cache.example.com:6379/0",
        CELERY_BROKER_URL="redis://cache.example.com:6379/1",
        EMAIL_URL="smtp://mailer:pw@mail.example.com:587?tls=1",
        TIME_ZONE="Asia/Jakarta",
    )
    assert settings["database_engine"] == "django.db.backends.postgresql"
    assert settings["database_conn_max_age"] == 120
    assert settings["database_pool"] is None
    assert settings["database_health_checks"] is True
    assert settings["cache"] == "config.runtime.cache.FailOpenRedisCache"
    assert settings["channel_layer"] == "config.runtime.channel_layer.BoundedRedisChannelLayer"
    assert settings["celery_eager"] is False
    assert settings["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert settings["TIME_ZONE"] == "Asia/Jakarta"


def test_the_channel_layer_keeps_to_a_bounded_number_of_redis_connections():
    redis = {"REDIS_URL": "redis://cache.example.com:6379/0"}
    assert settings_with(**redis)["channel_layer_hosts"][0]["max_connections"] == 100
    sized = settings_with(**redis, CHANNEL_LAYER_MAX_CONNECTIONS="40")
    assert sized["channel_layer_hosts"][0]["max_connections"] == 40
    # the layer's blocking receive holds one connection, so one alone would starve the sockets
    assert "CHANNEL_LAYER_MAX_CONNECTIONS" in start_up_error(**redis, CHANNEL_LAYER_MAX_CONNECTIONS="1")


def test_postgresql_connections_come_from_a_pool_by_default():
    settings = settings_with(DATABASE_URL="postgres://spendwise@db.example.com:5432/spendwise")
    assert settings["database_pool"] == {"min_size": 2, "max_size": 20, "timeout": 3}
    assert settings["database_conn_max_age"] == 0

    sized = settings_with(
        DATABASE_URL="postgres://spendwise@db.example.com:5432/spendwise",
        DATABASE_POOL_SIZE="50",
        DATABASE_POOL_TIMEOUT="8",
    )
    assert sized["database_pool"] == {"min_size": 2, "max_size": 50, "timeout": 8}


def test_a_pool_and_persistent_connections_together_stop_start_up_naming_both():
    message = start_up_error(
        DATABASE_URL="postgres://spendwise@db.example.com:5432/spendwise", DATABASE_CONN_MAX_AGE="60"
    )
    assert "DATABASE_CONN_MAX_AGE" in message and "DATABASE_POOL_SIZE" in message


def test_debug_off_gives_production_safe_defaults():
    settings = settings_with(DEBUG="0", SECRET_KEY=PRODUCTION_SECRET, ALLOWED_HOSTS="spendwise.example.com")
    assert settings["DEBUG"] is False
    assert settings["SECURE_SSL_REDIRECT"] is True
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert settings["ALLOWED_HOSTS"] == ["spendwise.example.com"]
    assert settings["staticfiles"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_secure_ssl_redirect_off_turns_off_only_the_redirect():
    settings = settings_with(DEBUG="0", SECRET_KEY=PRODUCTION_SECRET, SECURE_SSL_REDIRECT="0")
    assert settings["SECURE_SSL_REDIRECT"] is False
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SECURE_HSTS_SECONDS"] >= 31_536_000


@pytest.mark.parametrize("redirect", [{}, {"SECURE_SSL_REDIRECT": "0"}])
def test_deploy_checks_pass_with_production_variables(redirect):
    env = {name: value for name, value in os.environ.items() if name not in SETTINGS_VARIABLES}
    env.update(
        redirect,
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY=PRODUCTION_SECRET,
        ALLOWED_HOSTS="spendwise.example.com",
        CSRF_TRUSTED_ORIGINS="https://spendwise.example.com",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


class TestEnvReaders:
    @pytest.mark.parametrize("value", ["1", "true", "YES", " on "])
    def test_bool_true(self, monkeypatch, value):
        monkeypatch.setenv("FEATURE", value)
        assert env_bool("FEATURE", False) is True

    @pytest.mark.parametrize("value", ["0", "false", "No", "off", ""])
    def test_bool_false(self, monkeypatch, value):
        monkeypatch.setenv("FEATURE", value)
        assert env_bool("FEATURE", True) is False

    def test_bool_default_when_unset(self, monkeypatch):
        monkeypatch.delenv("FEATURE", raising=False)
        assert env_bool("FEATURE", True) is True

    def test_int(self, monkeypatch):
        monkeypatch.setenv("WORKERS", " 4 ")
        assert env_int("WORKERS", 1, minimum=1) == 4
        monkeypatch.setenv("WORKERS", "")
        assert env_int("WORKERS", 1) == 1
        monkeypatch.setenv("WORKERS", "0")
        with pytest.raises(ImproperlyConfigured, match="WORKERS must be at least 1"):
            env_int("WORKERS", 1, minimum=1)

    def test_str_and_list(self, monkeypatch):
        monkeypatch.setenv("GREETING", "  hello ")
        assert env_str("GREETING") == "hello"
        monkeypatch.delenv("GREETING")
        assert env_str("GREETING", "hi") == "hi"
        monkeypatch.setenv("HOSTS", "a.example.com, b.example.com,,")
        assert env_list("HOSTS", []) == ["a.example.com", "b.example.com"]

    def test_url(self, monkeypatch):
        monkeypatch.setenv("BROKER", "amqp://guest@rabbit:5672//")
        assert env_url("BROKER", {"amqp"}) == "amqp://guest@rabbit:5672//"
        monkeypatch.setenv("BROKER", "")
        assert env_url("BROKER", {"amqp"}) is None
        monkeypatch.setenv("BROKER", "rabbit:5672")
        with pytest.raises(ImproperlyConfigured, match="BROKER"):
            env_url("BROKER", {"amqp"})

    @pytest.mark.parametrize("rate", ["10/min", "1/s", "1200/minute", "5/hour", "100/day"])
    def test_rate(self, monkeypatch, rate):
        monkeypatch.setenv("RATE", rate)
        assert env_rate("RATE", "1/min") == rate

    @pytest.mark.parametrize("rate", ["10", "0/min", "ten/min", "10/fortnight", "10 / min"])
    def test_bad_rate(self, monkeypatch, rate):
        monkeypatch.setenv("RATE", rate)
        with pytest.raises(ImproperlyConfigured, match="RATE"):
            env_rate("RATE", "1/min")

    def test_choice(self, monkeypatch):
        monkeypatch.setenv("LEVEL", "WARNING")
        assert env_choice("LEVEL", "INFO", {"INFO", "WARNING"}) == "WARNING"
        monkeypatch.setenv("LEVEL", "chatty")
        with pytest.raises(ImproperlyConfigured, match="LEVEL must be one of INFO, WARNING"):
            env_choice("LEVEL", "INFO", {"INFO", "WARNING"})

    def test_timezone(self, monkeypatch):
        monkeypatch.setenv("ZONE", "Europe/Berlin")
        assert env_timezone("ZONE", "UTC") == "Europe/Berlin"
        monkeypatch.delenv("ZONE")
        assert env_timezone("ZONE", "UTC") == "UTC"

    def test_https_origins(self, monkeypatch):
        monkeypatch.setenv("ORIGINS", "https://a.example.com,http://localhost:8000")
        assert https_origins("ORIGINS", []) == ["https://a.example.com", "http://localhost:8000"]
        monkeypatch.setenv("ORIGINS", "https://a.example.com,b.example.com")
        with pytest.raises(ImproperlyConfigured, match="ORIGINS.*b.example.com"):
            https_origins("ORIGINS", [])


class TestEmailSettings:
    def test_unset_is_the_console(self, monkeypatch):
        monkeypatch.delenv("MAIL", raising=False)
        assert email_settings("MAIL") == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}

    def test_smtp_with_starttls_and_an_encoded_password(self, monkeypatch):
        monkeypatch.setenv("MAIL", "smtp://mailer%40example.com:p%2Fss@mail.example.com:587?tls=1")
        assert email_settings("MAIL") == {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "mail.example.com",
            "EMAIL_PORT": 587,
            "EMAIL_HOST_USER": "mailer@example.com",
            "EMAIL_HOST_PASSWORD": "p/ss",
            "EMAIL_USE_SSL": False,
            "EMAIL_USE_TLS": True,
            "EMAIL_TIMEOUT": 10,
        }

    def test_smtps_defaults_to_port_465_with_ssl(self, monkeypatch):
        monkeypatch.setenv("MAIL", "smtps://mail.example.com")
        settings = email_settings("MAIL")
        assert (settings["EMAIL_PORT"], settings["EMAIL_USE_SSL"], settings["EMAIL_USE_TLS"]) == (465, True, False)

    def test_plain_smtp_defaults_to_port_25(self, monkeypatch):
        monkeypatch.setenv("MAIL", "smtp://relay.internal")
        assert email_settings("MAIL")["EMAIL_PORT"] == 25

    def test_file_and_locmem(self, monkeypatch):
        monkeypatch.setenv("MAIL", "file:///var/spool/spendwise")
        assert email_settings("MAIL") == {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": "/var/spool/spendwise",
        }
        monkeypatch.setenv("MAIL", "locmem://")
        assert email_settings("MAIL")["EMAIL_BACKEND"] == "django.core.mail.backends.locmem.EmailBackend"

    @pytest.mark.parametrize("url", ["smtp://", "smtp://mail.example.com:port", "file://", "http://mail.example.com"])
    def test_bad_urls_name_the_variable(self, monkeypatch, url):
        monkeypatch.setenv("MAIL", url)
        with pytest.raises(ImproperlyConfigured, match="MAIL"):
            email_settings("MAIL")
