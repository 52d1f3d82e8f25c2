"""The JSON API for consultants, under /api/v1, described by /api/v1/openapi.json.

Authentication is a bearer token (created and revoked at /w/settings/tokens,
stored hashed); every call acts within the token owner's workspace, exactly
like the workspace pages: another workspace's ids answer 404. Bodies are
validated in full before anything is written, and every error is JSON.
"""

from __future__ import annotations

from flask import Flask, current_app, jsonify
from werkzeug.wrappers import Response

from assess.web.api import errors
from assess.web.api.auth import authenticate
from assess.web.api.openapi import openapi_document
from assess.web.api.routing import OPERATIONS, bp, operation
from assess.web.limits import limiter

DEFAULT_RATE_LIMIT = "300 per minute"  # per route and client address (Flask-Limiter counts a blueprint limit per route)


def api_rate_limit() -> str:
    return str(current_app.config.get("API_RATE_LIMIT", DEFAULT_RATE_LIMIT))



bp.before_request(authenticate)
errors.init_blueprint(bp)
limiter.limit(api_rate_limit)(bp)


@operation("GET", "/openapi.json", summary="This API's OpenAPI 3.1 document", tag="meta", public=True)
def openapi_json() -> Response:
    document = current_app.extensions.get("assess.openapi")
    if document is None:
        document = current_app.extensions["assess.openapi"] = openapi_document(OPERATIONS)
    return jsonify(document)


def init_app(app: Flask) -> None:
    """Register the API: JSON errors under /api/, no CSRF (no cookies are used), the blueprint itself."""
    errors.init_app(app)
    csrf = app.extensions.get("csrf")
    if csrf is not None:
        csrf.exempt(bp)
    app.register_blueprint(bp)


from assess.web.api import assessments, organisations, questionnaires, respondents, results  # noqa: E402,F401  (registers the views)
