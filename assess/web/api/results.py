"""An assessment's result: the result JSON of `assess score`, and the board report as PDF."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_babel import force_locale
from sqlmodel import Session
from werkzeug.wrappers import Response

from assess.catalog import Catalog
from assess.db.models import Assessment, Organisation
from assess.domain.questionnaire import Questionnaire
from assess.domain.serialize import evaluation_to_dict
from assess.reporting.context import ReportMeta, build_report_context
from assess.services import aggregate, questionnaires
from assess.services.audit import record
from assess.web.api.assessments import assessment_or_404
from assess.web.api.auth import actor
from assess.web.api.routing import operation
from assess.web.api.schemas import LanguageQuery, Result
from assess.web.database import catalog, db
from assess.web.forms import INDUSTRY_LABELS, SIZE_LABELS
from assess.web.reports import pdf_download  # renders lazily: WeasyPrint loads on the first download

TAG = "results"


def _language(questionnaire: Questionnaire, asked: str | None) -> str:
    return asked if asked in questionnaire.languages else questionnaire.languages[0]


def report_context(session: Session, source: Catalog, assessment: Assessment, organisation: Organisation,
                   lang: str) -> dict[str, Any]:
    """The report context of a whole assessment (aggregate, consensus, change, peers), labels in `lang`.

    The same data as the workspace's result page and PDF; the caller has checked the workspace.
    """
    result = aggregate.evaluate_assessment(session, source, assessment)
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
        for g in aggregate.peer_groups(session, source, assessment, organisation)
    ]
    context["assessment_id"] = assessment.id
    return context


@operation("GET", "/assessments/<int:assessment_id>/result", summary="The aggregate result (consensus included): "
           "the result JSON of `assess score`", tag=TAG, response=Result, query=LanguageQuery)
def result(assessment_id: int, query: LanguageQuery) -> Response:
    row, _org = assessment_or_404(assessment_id)
    evaluated = aggregate.evaluate_assessment(db(), catalog(), row)
    lang = _language(evaluated.evaluation.questionnaire, query.lang)
    record(db(), actor(), "read", "assessment_results", assessment_id)
    response = jsonify(evaluation_to_dict(evaluated.evaluation, lang))
    response.headers["Content-Language"] = lang
    return response


@operation("GET", "/assessments/<int:assessment_id>/report.pdf", summary="The board report as PDF", tag=TAG,
           media_type="application/pdf", query=LanguageQuery)
def report_pdf(assessment_id: int, query: LanguageQuery) -> Response:
    row, org = assessment_or_404(assessment_id)
    lang = _language(questionnaires.for_assessment(db(), catalog(), row), query.lang)
    response = pdf_download(report_context(db(), catalog(), row, org, lang))
    record(db(), actor(), "export_pdf", "assessment", assessment_id)
    response.headers["Content-Language"] = lang
    return response
