"""Configuration: safe defaults, overridden by environment variables (ASSESS_*, DATABASE_URL)."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


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


def _hours(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        hours = float(raw) if raw else default
    except ValueError:
        hours = -1
    if not 0 < hours <= 24 * 366:
        raise ConfigError(f"{name} must be a number of hours greater than 0, not {raw!r}")
    return hours


def _count(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit() and int(raw) <= 10):
        raise ConfigError(f"{name} must be a whole number from 0 to 10, not {raw!r}")
    return int(raw)


# What the instance folder holds: the embedded SQLite database (with SQLite's companion files) and
# the development secret key. Nobody but the app's own user may read them.
INSTANCE_FILES = ("assess.db", "assess.db-wal", "assess.db-shm", "assess.db-journal", "secret_key")


def private_instance(instance: Path) -> None:
    """Create the instance folder readable by its owner only (0700), and tighten what an older version left open."""
    instance.mkdir(mode=0o700, parents=True, exist_ok=True)
    for path, mode in ((instance, 0o700), *((instance / name, 0o600) for name in INSTANCE_FILES)):
        try:
            if path.exists() and not path.is_symlink() and path.stat().st_mode & 0o777 != mode:
                path.chmod(mode)
        except OSError as error:  # e.g. a volume owned by another user: say so, but do not refuse to start
            log.warning("cannot make %s private (mode %o): %s", path, mode, error)


def _private_file(path: Path, content: str = "") -> None:
    """Create `path` with mode 0600 from the start unless it exists (SQLite gives -wal/-shm the database's mode)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w") as handle:
        handle.write(content)


def _secret_key(instance: Path, production: bool) -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if production:
        raise ConfigError("SECRET_KEY is not set; in production set it to a long random value, "
                          "e.g. SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))')")
    # Development: a random key kept in the instance folder, so sessions survive restarts.
    private_instance(instance)
    path = instance / "secret_key"
    _private_file(path, secrets.token_hex(32))
    return path.read_text().strip()


def load_config(instance_path: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the app configuration from the environment and `overrides`."""
    overrides = overrides or {}
    instance = Path(instance_path)
    production = os.environ.get("ASSESS_ENV", "development") == "production"
    embedded_database = f"sqlite:///{instance / 'assess.db'}"
    database_url = os.environ.get("DATABASE_URL") or embedded_database
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
        # A signed-in session ends after this much inactivity: it is permanent, every request renews the
        # cookie's signed time, and Flask refuses a cookie signed longer ago (see SECURITY.md, Sessions).
        "PERMANENT_SESSION_LIFETIME": round(_hours("ASSESS_SESSION_IDLE_HOURS", 8) * 3600),
        "SESSION_REFRESH_EACH_REQUEST": True,
        # ... and after this long since the sign-in, however active (assess.web.auth checks it).
        "SESSION_MAX_LIFETIME": round(_hours("ASSESS_SESSION_MAX_HOURS", 12) * 3600),
        "TRUSTED_PROXIES": _count("ASSESS_TRUSTED_PROXIES", 0),  # reverse proxies in front (X-Forwarded-*)
        "WTF_CSRF_TIME_LIMIT": None,  # a respondent may leave a page open for hours
        "WTF_I18N_ENABLED": False,  # our own messages; WTForms' catalogs would load on every request
        "SQL_ECHO": _bool(os.environ.get("ASSESS_SQL_ECHO"), False),
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        "START_RATE_LIMIT": os.environ.get("ASSESS_START_RATE_LIMIT") or None,  # self-assessments per address
    }
    config.update(overrides)
    if config["DATABASE_URL"] == embedded_database:
        private_instance(instance)
        _private_file(instance / "assess.db")
    config["DATABASE_URL"] = normalise_database_url(config["DATABASE_URL"])
    if "SECRET_KEY" not in config:
        config["SECRET_KEY"] = _secret_key(instance, production)
    return config
