"""Languages: Flask-Babel for the UI, the questionnaire's own texts for its content."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from babel.dates import format_date
from flask import Blueprint, Flask, current_app, redirect, request, session
from flask_babel import Babel, get_locale
from werkzeug.wrappers import Response

from assess.domain.levels import LEVELS
from assess.reporting.labels import role_label
from assess.reporting.numbers import NO_VALUE, number, percent, signed

bp = Blueprint("i18n", __name__)


def current_language() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def format_day(value: dt.date | dt.datetime | str | None) -> str:
    """A date as the page's language writes it ("3. Dezember 2026", "3 December 2026"); "–" for none."""
    if value is None or value == "":
        return NO_VALUE
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        value = value.date()
    lang = current_language()
    return str(format_date(value, format="long", locale="en_GB" if lang == "en" else lang))  # as in the report


def _select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return str(chosen)
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def safe_next(target: str | None) -> str:
    """Only same-site paths: a language link must not become an open redirect, nor a header with a line break."""
    if not target or not target.isprintable() or "\\" in target or len(target) > 2000:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@bp.get("/lang/<code>")
def switch(code: str) -> Response:
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code  # as long as the session lasts; only signing in makes it permanent (idle timeout)
    return redirect(safe_next(request.args.get("next")))


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=_select_locale)
    app.register_blueprint(bp)
    app.jinja_env.globals["role_label"] = lambda role: role_label(role, current_language())  # as in the report
    app.jinja_env.globals["levels"] = LEVELS
    app.jinja_env.globals["format_number"] = lambda value, digits=1: number(value, current_language(), digits)
    app.jinja_env.globals["format_percent"] = percent
    app.jinja_env.globals["format_signed"] = lambda value, digits=1: signed(value, current_language(), digits)
    app.jinja_env.globals["format_day"] = format_day

    @app.context_processor
    def _languages() -> dict[str, object]:
        return {"current_language": current_language(), "languages": app.config["LANGUAGES"]}
