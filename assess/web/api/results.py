"""An assessment's result: the result JSON of `assess score`, and the board report as PDF."""

from __future__ import annotations

from flask import jsonify
from werkzeug.wrappers import Response

from assess.reporting.serialize import evaluation_to_dict
from assess.services import aggregate, exports, questionnaires
from assess.services.audit import record
from assess.web.api.assessments import assessment_or_404
from assess.web.api.auth import actor
from assess.web.api.routing import operation
from assess.web.api.schemas import LanguageQuery, Result
from assess.web.database import catalog, db
from assess.web.reports import attachment

TAG = "results"


@operation("GET", "/assessments/<int:assessment_id>/result", summary="The aggregate result (consensus included): "
           "the result JSON of `assess score`", tag=TAG, response=Result, query=LanguageQuery)
def result(assessment_id: int, query: LanguageQuery) -> Response:
    row, _org = assessment_or_404(assessment_id)
    evaluated = aggregate.evaluate_assessment(db(), catalog(), row)
    lang = evaluated.evaluation.questionnaire.language(query.lang)
    record(db(), actor(), "read", "assessment_results", assessment_id)
    response = jsonify(evaluation_to_dict(evaluated.evaluation, lang))
    response.headers["Content-Language"] = lang
    return response


@operation("GET", "/assessments/<int:assessment_id>/report.pdf", summary="The board report as PDF", tag=TAG,
           media_type="application/pdf", query=LanguageQuery)
def report_pdf(assessment_id: int, query: LanguageQuery) -> Response:
    row, org = assessment_or_404(assessment_id)
    exported = exports.export(db(), catalog(), row, org, "pdf", query.lang)
    assert exported is not None
    record(db(), actor(), "export_pdf", "assessment", assessment_id)
    response = attachment(exported)
    response.headers["Content-Language"] = questionnaires.for_assessment(db(), catalog(), row).language(query.lang)
    return response
