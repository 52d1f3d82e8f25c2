"""Configuration: safe defaults, overridden by environment variables (ASSESS_*, DATABASE_URL)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message says which and how to fix it."""


def _bool(value: str | None, default: bool) -> bool:
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def normalise_database_url(url: str) -> str:
    """Point plain PostgreSQL URLs (as hosting platforms hand them out) at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _secret_key(instance: Path, production: bool) -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if production:
        raise ConfigError("SECRET_KEY is not set; in production set it to a long random value, "
                          "e.g. SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))')")
    # Development: a random key kept in the instance folder, so sessions survive restarts.
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def load_config(instance_path: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the app configuration from the environment and `overrides`."""
    overrides = overrides or {}
    instance = Path(instance_path)
    production = os.environ.get("ASSESS_ENV", "development") == "production"
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'assess.db'}"
    config: dict[str, Any] = {
        "ASSESS_ENV": "production" if production else "development",
        "DATABASE_URL": database_url,
        "QUESTIONNAIRE_DIR": os.environ.get("ASSESS_QUESTIONNAIRES"),
        "DEFAULT_QUESTIONNAIRE": os.environ.get("ASSESS_DEFAULT_QUESTIONNAIRE", "digital-readiness"),
        "BABEL_DEFAULT_LOCALE": os.environ.get("ASSESS_DEFAULT_LANGUAGE", "de"),
        "LANGUAGES": ("de", "en"),
        "MAX_CONTENT_LENGTH": int(os.environ.get("ASSESS_MAX_REQUEST_BYTES", 256 * 1024)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool(os.environ.get("ASSESS_SECURE_COOKIES"), production),
        "REMEMBER_COOKIE_SECURE": _bool(os.environ.get("ASSESS_SECURE_COOKIES"), production),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 24 * 180,
        "WTF_CSRF_TIME_LIMIT": None,  # a respondent may leave a page open for hours
        "WTF_I18N_ENABLED": False,  # our own messages; WTForms' catalogs would load on every request
        "SQL_ECHO": _bool(os.environ.get("ASSESS_SQL_ECHO"), False),
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
    }
    config.update(overrides)
    workers = os.environ.get("REPORT_WORKERS", "").strip()  # read by assess.reporting.printing; checked at start
    if workers and not workers.isdigit():
        raise ConfigError(f"REPORT_WORKERS must be a whole number of PDF helper processes (0 for none), "
                          f"not {workers!r}")
    config["DATABASE_URL"] = normalise_database_url(config["DATABASE_URL"])
    if "SECRET_KEY" not in config:
        config["SECRET_KEY"] = _secret_key(instance, production)
    return config
