"""Liveness and health endpoints for load balancers and container checks."""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, current_app

from assess.services.records import ping
from assess.web.database import db

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)
PLAIN = {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/livez")
def livez() -> tuple[str, int, dict[str, str]]:
    """The process answers (no database): the trivial route of the load benchmark."""
    return "ok", 200, PLAIN


@bp.get("/healthz")
def healthz() -> tuple[str, int, dict[str, str]]:
    """One line per dependency; 503 only when the database is down (without Redis the app works, degraded)."""
    database = ping(db())
    lines = ["database ok" if database else "database unavailable", f"redis {_redis_state(current_app)}"]
    return "\n".join(lines) + "\n", 200 if database else 503, PLAIN


def _redis_state(app: Flask) -> str:
    """'ok', 'unavailable' (rate limits in memory per worker, no shared cache) or 'not configured'."""
    url = app.config.get("REDIS_URL")
    if not url:
        return "not configured"
    client = app.extensions.get("assess.health_redis")
    if client is None:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        app.extensions["assess.health_redis"] = client
    try:
        client.ping()
    except Exception as error:  # an outage degrades the app; the reason goes to the log only
        log.warning("health check: redis unavailable: %s", type(error).__name__)
        return "unavailable"
    return "ok"
