"""The board report: an assessment's report data (one place for the workspace page, its PDF and the API's),
and the PDF download.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, current_app, send_file
from flask_babel import force_locale
from sqlmodel import Session
from werkzeug.wrappers import Response

from assess.cache import assessment_tag, shared_cache
from assess.catalog import Catalog
from assess.db.models import Assessment, Organisation
from assess.reporting.context import ReportMeta, build_report_context
from assess.services import aggregate, peers
from assess.web.forms import INDUSTRY_LABELS, SIZE_LABELS
from assess.web.i18n import current_language
from assess.web.results import respondent_context

bp = Blueprint("reports", __name__)


def download_name(organisation: str, date: str) -> str:
    """A file name like report-autohaus-muller-2026-11-23.pdf (ASCII, safe in any header)."""
    ascii_name = unicodedata.normalize("NFKD", organisation).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60]
    return f"report-{slug + '-' if slug else ''}{date}.pdf"


def assessment_report(session: Session, catalog: Catalog, assessment: Assessment, organisation: Organisation,
                      lang: str) -> dict[str, Any]:
    """The report context of a whole assessment (aggregate, consensus, change, peers), labels in `lang`.

    The caller has checked that the assessment belongs to the viewer's workspace.
    """
    assert assessment.id is not None
    generations = shared_cache().generations([assessment_tag(assessment.id)])  # before any of its data is read
    result = aggregate.evaluate_assessment(session, catalog, assessment)
    with force_locale(lang):
        meta = ReportMeta(organisation=organisation.name, title=assessment.title,
                          industry=str(INDUSTRY_LABELS.get(organisation.industry, organisation.industry)),
                          size=str(SIZE_LABELS.get(organisation.size, organisation.size)),
                          date=assessment.created_at.date())
    previous_label = result.previous_assessment.title if result.previous_assessment else ""
    context = build_report_context(result.evaluation, result.responses, lang=lang, meta=meta,
                                   previous=result.previous, previous_label=previous_label)
    context["peers"] = [
        {"label": g.label, "organisations": g.organisations, "scores": {k: round(v, 1) for k, v in g.scores.items()}}
        for g in peers.peer_groups(session, assessment, organisation)
    ]
    context["assessment_id"] = assessment.id
    context["cache_generations"] = list(generations)
    return context


def pdf_download(context: Mapping[str, Any]) -> Response:
    """Render the report context as a PDF attachment."""
    from assess.reporting.pdf import render_pdf  # WeasyPrint and kaleido load on the first download

    pdf = render_pdf(dict(context))
    meta = context["meta"]
    current_app.logger.info("board report rendered: %d bytes", len(pdf))
    response = send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                         download_name=download_name(meta["organisation"], meta["date"]), max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/r/<token>/report.pdf")
def respondent_pdf(token: str) -> Response:
    return pdf_download(respondent_context(token, current_language()))  # 404 for an unknown token
