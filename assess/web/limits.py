"""Rate limits, shared between workers through Redis when REDIS_URL is set (in memory otherwise).

A Redis outage must not take the sign-in or the API down: the limiter then counts
in this process's memory (each worker on its own, so the limits hold per worker),
logs "Rate limit storage unreachable - falling back to in-memory storage", and
goes back to Redis once it answers again. The client address behind a reverse
proxy comes from ProxyFix (assess.web.security.init_proxy, ASSESS_TRUSTED_PROXIES).
"""

from __future__ import annotations

from flask import Flask, Response, g
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True,
                  in_memory_fallback_enabled=True, swallow_errors=True)
# Set on g by a report route whose request only looked at a job already queued or printing (see the API's limit).
REPORT_POLL = "assess.report_poll"
# A Redis that does not answer (dropped packets rather than a refused connection) must cost seconds, not hang.
REDIS_TIMEOUTS = {"socket_connect_timeout": 2, "socket_timeout": 2}


def init_app(app: Flask) -> None:
    redis_url = app.config.get("REDIS_URL")
    app.config.setdefault("RATELIMIT_STORAGE_URI", redis_url or "memory://")
    if app.config["RATELIMIT_STORAGE_URI"].startswith(("redis://", "rediss://")):
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", REDIS_TIMEOUTS)
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "assess")
    # Flask runs an app's after_request hooks last-registered first: this one runs after the limiter's headers.
    app.after_request(_own_retry_after)
    limiter.init_app(app)
    app.after_request(_remember_retry_after)  # and this one before them
    # One limiter serves every app of the process (the views are decorated at import); each app starts with
    # its own storage, so a fallback an earlier app (a test) fell into must not carry over.
    limiter._storage_dead = False


def _remember_retry_after(response: Response) -> Response:
    g.assess_retry_after = response.headers.get("Retry-After")
    return response


def _own_retry_after(response: Response) -> Response:
    """Retry-After says when to ask again: the limiter's window only on a 429, the view's own value elsewhere.

    Flask-Limiter (headers_enabled) writes the end of the current rate-limit window into every limited
    response, over a view's own value: a client polling a report that said "ask again in 2 s" was told
    to wait up to a minute."""
    if response.status_code == 429:
        return response
    own = g.get("assess_retry_after")
    if own is None:
        response.headers.pop("Retry-After", None)
    else:
        response.headers["Retry-After"] = own
    return response
