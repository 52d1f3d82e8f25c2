"""Rate limits, shared between workers through Redis when REDIS_URL is set (in memory otherwise).

A Redis outage must not take the sign-in or the API down: the limiter then counts
in this process's memory (each worker on its own, so the limits hold per worker),
logs "Rate limit storage unreachable - falling back to in-memory storage", and
goes back to Redis once it answers again. The client address behind a reverse
proxy comes from ProxyFix (assess.web.security.init_proxy, ASSESS_TRUSTED_PROXIES).
"""

from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True,
                  in_memory_fallback_enabled=True, swallow_errors=True)
# A Redis that does not answer (dropped packets rather than a refused connection) must cost seconds, not hang.
REDIS_TIMEOUTS = {"socket_connect_timeout": 2, "socket_timeout": 2}


def init_app(app: Flask) -> None:
    redis_url = app.config.get("REDIS_URL")
    app.config.setdefault("RATELIMIT_STORAGE_URI", redis_url or "memory://")
    if app.config["RATELIMIT_STORAGE_URI"].startswith(("redis://", "rediss://")):
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", REDIS_TIMEOUTS)
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "assess")
    limiter.init_app(app)
    # One limiter serves every app of the process (the views are decorated at import); each app starts with
    # its own storage, so a fallback an earlier app (a test) fell into must not carry over.
    limiter._storage_dead = False
