"""Every API error is JSON: `{"error": {"code", "message", "details"}}`, never an HTML page or a trace."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Blueprint, Flask, current_app, jsonify, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wrappers import Response

from assess.reporting.svg import ChromiumMissingError

API_PREFIX = "/api/"

# Codes and messages say what kind of problem it is, never which rows exist.
_CODES = {
    400: ("bad_request", "The request could not be understood."),
    401: ("unauthorized", "A valid API token is required: send 'Authorization: Bearer <token>'."),
    403: ("forbidden", "This token may not do that."),
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", "This address does not accept that method."),
    413: ("too_large", "The request body is too large."),
    415: ("unsupported_media_type", "Send a JSON body with 'Content-Type: application/json'."),
    422: ("invalid", "The request is not valid; see details."),
    429: ("rate_limited", "Too many requests; please wait a moment."),
    500: ("server_error", "An unexpected error occurred."),
}


class ApiError(Exception):
    """An error answer with a status, a stable code, a message and a list of problems."""

    def __init__(self, status: int, message: str | None = None, details: Iterable[dict[str, Any]] = (),
                 code: str | None = None) -> None:
        default_code, default_message = _CODES.get(status) or (f"http_{status}", HTTP_STATUS_CODES.get(status, "Error"))
        super().__init__(message or default_message)
        self.status = status
        self.code = code or default_code
        self.message = message or default_message
        self.details = list(details)


def not_found() -> ApiError:
    """The one answer for an id that does not exist or belongs to another workspace."""
    return ApiError(404)


def detail(field: str | None, message: str) -> dict[str, Any]:
    return {"field": field, "message": message}


def validation_details(error: ValidationError, where: str) -> list[dict[str, Any]]:
    """One detail per problem pydantic found, with a dotted path to the field."""
    return [detail(".".join([where, *(str(part) for part in e["loc"])]), e["msg"]) for e in error.errors()]


def error_response(error: ApiError) -> Response:
    response = jsonify({"error": {"code": error.code, "message": error.message, "details": error.details}})
    response.status_code = error.status
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="assess"'
    return response


def _from_http(error: HTTPException) -> Response:
    response = error_response(ApiError(error.code or 500))
    for key, value in error.get_headers():
        if key in ("Allow", "Retry-After"):  # they tell the client how to proceed
            response.headers[key] = value
    return response


def init_blueprint(bp: Blueprint) -> None:
    """Errors raised while handling an API route."""
    bp.register_error_handler(ApiError, error_response)
    bp.register_error_handler(HTTPException, _from_http)

    @bp.errorhandler(ChromiumMissingError)
    def _no_charts(_error: ChromiumMissingError) -> Response:
        current_app.logger.error("PDF refused: no Chromium to draw its charts (%s %s)", request.method, request.path)
        return error_response(ApiError(503, "this server cannot draw the report's charts: Chromium is not installed "
                                            "(apt-get install chromium)"))

    @bp.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        current_app.logger.exception("unhandled API error: %s on %s %s", type(error).__name__, request.method, request.path)
        return error_response(ApiError(500))


def init_app(app: Flask) -> None:
    """Routing errors (unknown path, wrong method) happen before a blueprint is known: answer JSON under /api/."""
    html: Callable[[HTTPException], Any] | None = app.error_handler_spec[None][None].get(HTTPException)

    def _http(error: HTTPException) -> Any:
        if request.path.startswith(API_PREFIX):
            return _from_http(error)
        return html(error) if html is not None else error

    app.register_error_handler(HTTPException, _http)
