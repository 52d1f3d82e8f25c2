"""Result pages and the locally served plotly.js."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from flask import Blueprint, abort, render_template, send_file
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from assess.cache import assessment_tag, shared_cache
from assess.db import repo
from assess.db.models import Assessment, Organisation
from assess.reporting.charts import CHARTS, charts_for
from assess.reporting.context import ReportMeta, build_report_context
from assess.reporting.svg import PLOTLY_BUNDLE
from assess.services import assessments as svc
from assess.web.database import catalog, db
from assess.web.forms import INDUSTRY_LABELS, ROLE_LABELS, SIZE_LABELS
from assess.web.i18n import current_language

bp = Blueprint("results", __name__)


def respondent_context(token: str, lang: str) -> dict[str, object]:
    """The report context of one respondent's answers."""
    respondent = repo.respondent_by_token(db(), token)
    if respondent is None:
        abort(404)
    generations = shared_cache().generations([assessment_tag(respondent.assessment_id)])  # before the answers are read
    assessment = db().get(Assessment, respondent.assessment_id)
    assert assessment is not None
    organisation = db().get(Organisation, assessment.organisation_id)
    assert organisation is not None
    questionnaire = svc.questionnaire_of(db(), catalog(), assessment)
    evaluation, response = svc.evaluate_respondent(db(), questionnaire, assessment, respondent)
    meta = ReportMeta(
        organisation=organisation.name, title=assessment.title,
        industry=str(INDUSTRY_LABELS.get(organisation.industry, organisation.industry)),
        size=str(SIZE_LABELS.get(organisation.size, organisation.size)),
        date=(respondent.finished_at or respondent.updated_at).date(),
        respondent_label=str(ROLE_LABELS.get(respondent.role, respondent.role)),
    )
    context = build_report_context(evaluation, [response], lang=lang, meta=meta)
    context["assessment_id"] = assessment.id  # cached charts and PDFs are deleted with it
    context["cache_generations"] = list(generations)
    return context


def chart_figures(context: dict[str, object]) -> dict[str, object]:
    """Plotly figures for the page's script, embedded with `tojson` (a table beside each covers no-JS readers)."""
    return {name: CHARTS[name](context, _) for name in charts_for(context)}


@bp.get("/r/<token>/result")
def respondent(token: str) -> str:
    context = respondent_context(token, current_language())
    return render_template("results/result.html", report=context, charts=chart_figures(context), token=token,
                           roles=ROLE_LABELS)


@lru_cache(maxsize=1)
def plotly_version() -> str:
    """Changes with the bundle: the script URL carries it, so a browser never keeps a stale copy."""
    return hashlib.sha256(PLOTLY_BUNDLE.read_bytes()).hexdigest()[:12]


@bp.app_context_processor
def _plotly_version() -> dict[str, object]:
    return {"plotly_version": plotly_version}


@bp.get("/static/vendor/plotly-assess.min.js")
def plotly_js() -> Response:
    """plotly.js with the trace types the charts use (scripts/build-plotly), cached for a year."""
    if not PLOTLY_BUNDLE.exists():
        abort(404)
    return send_file(PLOTLY_BUNDLE, mimetype="text/javascript", max_age=60 * 60 * 24 * 365)
