"""Security headers on every response, including a Content-Security-Policy the charts work under; proxies trusted."""

from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

# plotly.js draws with SVG and sets inline styles, so styles may be inline; scripts come only from
# this app (app.js, the locally served plotly bundle); chart data sits in non-executable JSON blocks.
CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def init_app(app: Flask) -> None:
    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        # Resume links carry a secret token in the URL: never send it to another site as a referrer.
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("Permissions-Policy", PERMISSIONS)
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.path.startswith(("/r/", "/w/", "/api/")) and "Cache-Control" not in headers:
            headers["Cache-Control"] = "private, no-store"
        return response


def init_proxy(app: Flask) -> None:
    """Trust X-Forwarded-For/-Proto/-Host from exactly TRUSTED_PROXIES reverse proxies (ASSESS_TRUSTED_PROXIES).

    Behind a proxy every request comes from the proxy's address, so all visitors would share one sign-in
    rate limit; with the proxies counted, the client address is the one the nearest trusted proxy saw.
    With 0 (the default) the headers are ignored: a client could otherwise claim any address.
    """
    hops = int(app.config.get("TRUSTED_PROXIES", 0))
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
