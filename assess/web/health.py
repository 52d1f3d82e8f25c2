"""Liveness and health endpoints for load balancers and container checks."""

from __future__ import annotations

from flask import Blueprint
from sqlalchemy import text

from assess.web.database import db

bp = Blueprint("health", __name__)


@bp.get("/livez")
def livez() -> tuple[str, int, dict[str, str]]:
    """The process answers (no database): the trivial route of the load benchmark."""
    return "ok", 200, {"Content-Type": "text/plain"}


@bp.get("/healthz")
def healthz() -> tuple[str, int, dict[str, str]]:
    """The process answers and the database is reachable."""
    try:
        db().execute(text("SELECT 1"))
    except Exception:  # any database failure means unhealthy; the reason goes to the log only
        return "database unavailable", 503, {"Content-Type": "text/plain"}
    return "ok", 200, {"Content-Type": "text/plain"}
