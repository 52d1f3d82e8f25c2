"""Error pages in the visitor's language, never with a stack trace; logs without what visitors sent."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from assess.cache import CacheUnavailable
from assess.reporting.svg import ChromiumMissingError
from assess.services.assessments import withdrawn_by
from assess.services.records import UNAVAILABLE_ERRORS
from assess.web import redact
from assess.web.database import db

# The database (or the cache a deletion must reach) cannot be reached: a 503, retried, never a 500.
UNAVAILABLE: tuple[type[Exception], ...] = (*UNAVAILABLE_ERRORS, CacheUnavailable)
RETRY_AFTER = "30"


def _titles() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The form could not be accepted. Nothing was changed. Please reload the page and try again.")),
        403: (_("Not allowed"), _("You do not have access to this page.")),
        404: (_("Not found"), _("There is nothing here. If you followed a link, please check that it is complete.")),
        405: (_("Not allowed"), _("This address does not accept that kind of request.")),
        413: (_("Too large"), _("What you sent is larger than allowed. Please shorten long comments.")),
        422: (_("Please check your input"), _("Some answers need a correction.")),
        429: (_("Too many requests"), _("Please wait a moment and try again.")),
        500: (_("Something went wrong"), _("An unexpected error occurred. Your saved answers are safe. Please try again.")),
        503: (_("Briefly unavailable"), _("The service is briefly unavailable. Nothing was changed; what you saved before "
                                          "is safe. Please try again in a moment.")),
    }


def charts_unavailable_text() -> str:
    """Why a PDF cannot be printed on a server without Chromium, and what the operator does about it."""
    return _("This server cannot draw the report's charts, so it cannot print the PDF: Chromium is not installed. "
             "The operator installs it with “apt-get install chromium” (or “bash scripts/system-packages”) "
             "and restarts the app. The results page works without it.")


def render_error(code: int) -> tuple[str, int]:
    """The error page for `code` (a generic one for codes without their own text)."""
    title, text = _titles().get(code, _titles()[500 if code >= 500 else 400])
    return render_template("error.html", code=code, title=title, text=text), code


def _withdrawn_link() -> tuple[str, int] | None:
    """A personal link its consultant withdrew: say so (410) and whom to ask, instead of "not found"."""
    token = (request.view_args or {}).get("token")
    if not isinstance(token, str):
        return None
    try:
        workspace = withdrawn_by(db(), token)
    except UNAVAILABLE:
        return None  # the plain "not found" then; the database's absence shows on the next page
    if workspace is None:
        return None
    text = (_("This personal link was withdrawn by %(workspace)s. The answers given through it are kept. Please ask "
              "the person who invited you for a new link.", workspace=workspace) if workspace else
            _("This personal link was withdrawn. The answers given through it are kept. Please ask the person who "
              "invited you for a new link."))
    return render_template("error.html", code=410, title=_("This link was withdrawn"), text=text), 410


def _http(error: HTTPException) -> tuple[str, int]:
    """Not a handler for code 404 itself: that would take precedence over the API blueprint's JSON errors."""
    if error.code == 404 and (withdrawn := _withdrawn_link()) is not None:
        return withdrawn
    return render_error(error.code or 500)


def init_app(app: Flask) -> None:
    redact.install(app)  # tokens masked, exception messages withheld (they may quote form data)
    if app.config.get("ASSESS_ENV") == "production":
        app.debug = False  # the interactive debugger shows code and data: never in production

    @app.before_request
    def _refuse_oversized() -> None:
        """Werkzeug checks the size only when a view reads the body: refuse it for every endpoint up front."""
        limit = request.max_content_length  # MAX_CONTENT_LENGTH, or an upload's own (inputs.LARGER_BODIES)
        if limit is not None and (request.content_length or 0) > limit:
            raise RequestEntityTooLarge()

    @app.errorhandler(CSRFError)
    def _csrf(_error: CSRFError) -> tuple[str, int]:
        return render_error(400)

    app.register_error_handler(HTTPException, _http)

    for kind in UNAVAILABLE:
        @app.errorhandler(kind)
        def _unavailable(error: Exception) -> tuple[str, int, dict[str, str]]:
            app.logger.warning("unavailable: %s on %s %s", type(error).__name__, request.method, request.path)
            return (*render_error(503), {"Retry-After": RETRY_AFTER})

    @app.errorhandler(ChromiumMissingError)
    def _no_charts(_error: ChromiumMissingError) -> tuple[str, int]:
        app.logger.error("PDF refused: no Chromium to draw its charts (%s %s)", request.method, request.path)
        return render_template("error.html", code=503, title=_("The PDF cannot be printed here"),
                               text=charts_unavailable_text()), 503

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[str, int]:
        # Type, method and path (tokens masked by the filter) only: never the form, the message or locals.
        app.logger.exception("unhandled error: %s on %s %s", type(error).__name__, request.method, request.path)
        return render_error(500)
