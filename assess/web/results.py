"""Result pages and the locally served plotly.js."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from assess.reporting.charts import CHARTS, charts_for
from assess.reporting.svg import PLOTLY_BUNDLE
from assess.services import assessments as svc
from assess.services import reports
from assess.web.database import catalog, db
from assess.web.i18n import current_language

bp = Blueprint("results", __name__)


def respondent_context(token: str, lang: str) -> dict[str, Any]:
    """The report data of one respondent's answers (404 for an unknown link)."""
    context = reports.respondent_report(db(), catalog(), token, lang)
    if context is None:
        abort(404)
    return context


def chart_figures(context: dict[str, Any]) -> dict[str, object]:
    """Plotly figures for the page's script, embedded with `tojson` (a table beside each covers no-JS readers)."""
    return {name: CHARTS[name](context, _) for name in charts_for(context)}


@bp.get("/r/<token>/result")
def respondent(token: str) -> str:
    context = respondent_context(token, current_language())
    respondent = svc.respondent_by_token(db(), token)
    own = respondent is not None and svc.is_self_assessment(db(), respondent)
    short = svc.short_check_of(db(), catalog(), respondent) if respondent is not None else None
    return render_template("results/result.html", report=context, charts=chart_figures(context), token=token, own=own,
                           short_check=short)


@lru_cache(maxsize=1)
def plotly_version() -> str:
    """Changes with the bundle: the script URL carries it, so a browser never keeps a stale copy."""
    return hashlib.sha256(PLOTLY_BUNDLE.read_bytes()).hexdigest()[:12]


@bp.app_context_processor
def _plotly_version() -> dict[str, object]:
    return {"plotly_version": plotly_version}


@lru_cache(maxsize=1)
def _bundle() -> bytes:
    return PLOTLY_BUNDLE.read_bytes()


@bp.get("/static/vendor/plotly-assess.min.js")
def plotly_js() -> Response:
    """plotly.js with the trace types the charts use (scripts/build-plotly), cached for a year; held in memory
    (read once per process), so no request keeps a file open, whatever happens to its connection."""
    if not PLOTLY_BUNDLE.exists():
        abort(404)
    response = Response(_bundle(), mimetype="text/javascript")
    response.cache_control.public = True
    response.cache_control.max_age = 60 * 60 * 24 * 365
    response.set_etag(plotly_version())
    return response.make_conditional(request)
