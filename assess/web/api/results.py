"""An assessment's result: the result JSON of `assess score`, and the board report as PDF and DOCX."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, jsonify, request, url_for
from werkzeug.wrappers import Response

from assess.reporting.documents import FORMATS
from assess.reporting.serialize import evaluation_to_dict
from assess.services import aggregate, exports, reports
from assess.services.audit import record
from assess.web.api.assessments import assessment_or_404
from assess.web.api.auth import actor
from assess.web.api.routing import OtherResponse, json_response, operation
from assess.web.api.schemas import LanguageQuery, ReportJob, ReportQuery, Result
from assess.web.database import catalog, db
from assess.web.limits import REPORT_POLL, limiter
from assess.web.report_jobs import Waiting, report_file
from assess.web.reports import REFRESH_SECONDS, attachment

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


_ASK_AGAIN = {"Location": "Where to ask again.", "Retry-After": "Seconds to wait before asking again."}


REPORT_POLL_RATE_LIMIT = "1200 per minute"  # every request to a report route, looks at a job under way included


def _counts(response: Response) -> bool:
    """Asking again for a report that is queued or printing (a 202, as Retry-After told the client) does not use
    up the API's limit on the report routes: twenty reports asked for at once would otherwise lock their client
    out before they are printed; nor does a request the other limit refused. Every request counts against the
    report routes' own limit."""
    return response.status_code != 429 and not g.get(REPORT_POLL, False)


def _report_limits(view: Any) -> Any:
    """The report routes' limits, in place of the blueprint's: the API's own (looks at a job under way not
    counted) and a shared one that counts every request, checked and counted before the view."""
    from assess.web.api import api_rate_limit

    view = limiter.limit(api_rate_limit, deduct_when=_counts)(view)
    return limiter.shared_limit(lambda: current_app.config.get("REPORT_POLL_RATE_LIMIT", REPORT_POLL_RATE_LIMIT),
                                scope="api-report")(view)
_WAITING = (OtherResponse(202, "Queued or printing: ask again at Location after Retry-After seconds.", ReportJob, _ASK_AGAIN),
            OtherResponse(503, "Printing failed (`error` says why); `retry` prints it again.", ReportJob, _ASK_AGAIN))


@operation("GET", "/assessments/<int:assessment_id>/report.pdf", summary="The board report as PDF: 200 with the file "
           "once it is printed; until then 202 with its state, a Location to ask again and Retry-After", tag=TAG,
           media_type="application/pdf", query=ReportQuery, others=_WAITING)
@_report_limits
def report_pdf(assessment_id: int, query: ReportQuery) -> Response:
    return _report(assessment_id, query, "pdf")


@operation("GET", "/assessments/<int:assessment_id>/report.docx", summary="The same report as an editable Word "
           "document (DOCX): 200 with the file once it is built; until then 202 as for the PDF", tag=TAG,
           media_type=FORMATS["docx"].mimetype, query=ReportQuery, others=_WAITING)
@_report_limits
def report_docx(assessment_id: int, query: ReportQuery) -> Response:
    return _report(assessment_id, query, "docx")


def _report(assessment_id: int, query: ReportQuery, fmt: str) -> Response:
    row, org = assessment_or_404(assessment_id)
    made_of = exports.source(db(), catalog(), row, org, query.lang)
    context = {**reports.assessment_report(db(), catalog(), row, org, made_of.lang), "full": query.full}
    found = report_file(context, "assessment", assessment_id, made_of.lang, fmt=fmt, retry=query.retry)
    if isinstance(found, Waiting):
        failed = found.state == "failed"
        setattr(g, REPORT_POLL, not failed and not found.sent)
        edition: dict[str, Any] = {"full": 1} if query.full else {}
        here = url_for(request.endpoint or "", assessment_id=assessment_id, lang=made_of.lang, **edition)
        job = ReportJob(status=found.state, error=found.error or None, retry=url_for(
            request.endpoint or "", assessment_id=assessment_id, lang=made_of.lang, retry=1, **edition) if failed else None)
        return json_response(job, 503 if failed else 202, {"Location": here, "Retry-After": str(REFRESH_SECONDS)})
    record(db(), actor(), "export_" + fmt, "assessment", assessment_id)
    response = attachment(exports.Exported(found, FORMATS[fmt].mimetype, exports.report_file_name(
        org.name, row.created_at.date().isoformat(), fmt)))
    response.headers["Content-Language"] = made_of.lang
    return response
