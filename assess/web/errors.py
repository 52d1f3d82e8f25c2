"""Error pages in the visitor's language, never with a stack trace."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


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
    }


def _render(code: int) -> tuple[str, int]:
    title, text = _titles().get(code, _titles()[500])
    return render_template("error.html", code=code, title=title, text=text), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(_error: CSRFError) -> tuple[str, int]:
        return _render(400)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> tuple[str, int]:
        return _render(error.code or 500)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[str, int]:
        app.logger.exception("unhandled error: %s", type(error).__name__)
        return _render(500)
