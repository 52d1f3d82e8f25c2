"""Aggregate results, the workshop walk-through and exports of one assessment."""

from __future__ import annotations

import json
import re

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from assess.domain.answers import MAX_COMMENT_LENGTH
from assess.domain.levels import parse_level
from assess.domain.text import is_storable, without_unstorable
from assess.reporting.serialize import evaluation_to_dict
from assess.services import aggregate, exports, questionnaires, reports
from assess.services.audit import record
from assess.web.auth import consultant
from assess.web.database import catalog, db
from assess.web.i18n import current_language
from assess.web.reports import pdf_download
from assess.web.results import chart_figures
from assess.web.workspace import assessment_or_404, bp


def assessment_context(assessment_id: int, lang: str) -> dict[str, object]:
    """The report context of a whole assessment of the consultant's workspace (404 for any other)."""
    row, org = assessment_or_404(assessment_id)
    return reports.assessment_report(db(), catalog(), row, org, lang)


@bp.get("/assessment/<int:assessment_id>/results")
def results(assessment_id: int) -> str:
    context = assessment_context(assessment_id, current_language())
    record(db(), consultant(), "read", "assessment_results", assessment_id)
    return render_template("workspace/results.html", report=context, charts=chart_figures(context),
                           assessment_id=assessment_id)


@bp.route("/assessment/<int:assessment_id>/workshop/<int:number>", methods=["GET", "POST"])
def workshop(assessment_id: int, number: int) -> str | Response | tuple[str, int]:
    row, org = assessment_or_404(assessment_id)
    questionnaire = questionnaires.for_assessment(db(), catalog(), row)
    questions = list(questionnaire.questions())
    if not 1 <= number <= len(questions):
        abort(404)
    question = questions[number - 1]
    agreed = aggregate.consensus_of(db(), assessment_id).get(question.id)
    shown_level, shown_note = (agreed.level, agreed.note) if agreed else (None, "")
    error: str | None = None
    if request.method == "POST":
        raw = request.form.get("level", "")
        level = parse_level(raw)
        if set(request.form) - {"csrf_token", "level", "note", "nav"} or (raw and level is None):
            abort(400)  # a field or a level the form never offered: forged
        note = request.form.get("note", "")
        if len(note) > MAX_COMMENT_LENGTH or not is_storable(note):
            shown_level, shown_note = level, without_unstorable(note)[:MAX_COMMENT_LENGTH]
            error = _("The note is longer than %(max)d characters or contains characters that cannot be stored "
                      "(such as a NUL or control character). Nothing was saved: please check it and save again.",
                      max=MAX_COMMENT_LENGTH)
        else:
            aggregate.record_consensus(db(), catalog(), row, question.id, level, note, consultant().id)
            target = number - 1 if request.form.get("nav") == "back" else number + 1
            if target > len(questions):
                return redirect(url_for("ws.results", assessment_id=assessment_id))
            return redirect(url_for("ws.workshop", assessment_id=assessment_id, number=max(1, target)))
    lang = questionnaire.language(current_language())
    detail = reports.workshop_question(db(), catalog(), row, question.id, lang)
    html = render_template("workspace/workshop.html", org=org, assessment=row, number=number, total=len(questions),
                           question=detail, dimension=questionnaire.dimension(question.dimension_id).title.get(lang),
                           agreed=agreed, shown_level=shown_level, note=shown_note, error=error)
    return (html, 400) if error else html


def _filename(name: str, suffix: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")[:60] or "assessment"
    return f"{slug}-{suffix}"


@bp.get("/assessment/<int:assessment_id>/export.<fmt>")
def export(assessment_id: int, fmt: str) -> Response:
    if fmt not in ("csv", "xlsx", "json"):
        abort(404)
    row, org = assessment_or_404(assessment_id)
    questionnaire = questionnaires.for_assessment(db(), catalog(), row)
    lang = questionnaire.language(current_language())
    record(db(), consultant(), "export_" + fmt, "assessment", assessment_id)
    if fmt == "json":
        result = aggregate.evaluate_assessment(db(), catalog(), row)
        body = json.dumps(evaluation_to_dict(result.evaluation, lang), ensure_ascii=False, indent=2).encode()
        mimetype = "application/json"
    else:
        respondents, found = aggregate.responses(db(), assessment_id)
        rows = exports.answer_rows(questionnaire, org, row, respondents, found, lang)
        if fmt == "csv":
            body, mimetype = exports.to_csv(rows), "text/csv"  # Flask adds the charset
        else:
            body = exports.to_xlsx(rows, _("Answers"))
            mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    filename = _filename(f"{org.name}-{row.id}", f"answers.{fmt}" if fmt != "json" else "result.json")
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/assessment/<int:assessment_id>/report.pdf")
def report_pdf(assessment_id: int) -> Response:
    response = pdf_download(assessment_context(assessment_id, current_language()))
    record(db(), consultant(), "export_pdf", "assessment", assessment_id)
    return response
