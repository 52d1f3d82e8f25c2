"""Aggregate results, the workshop walk-through and exports of one assessment."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from assess.domain.answers import MAX_COMMENT_LENGTH
from assess.domain.levels import parse_level
from assess.domain.text import is_storable, without_unstorable
from assess.services import aggregate, exports, questionnaires, reports
from assess.services.audit import record
from assess.web.auth import consultant
from assess.web.database import catalog, db
from assess.web.i18n import current_language
from assess.web.reports import attachment, printed_report
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


@bp.get("/assessment/<int:assessment_id>/export.<fmt>")
def export(assessment_id: int, fmt: str) -> Response | tuple[str, int, dict[str, str]]:
    """Any registered export format (assess.services.exports.FORMATS); 404 for another."""
    row, org = assessment_or_404(assessment_id)
    entry = exports.FORMATS.get(fmt)
    if entry is None:
        abort(404)
    if entry.report is not None:  # printed by a worker: the page waits for it
        made_of = exports.source(db(), catalog(), row, org, current_language())
        response = printed_report(entry.report(made_of), "assessment", assessment_id, made_of.lang, fmt=fmt,
                                  back_url=url_for("ws.results", assessment_id=assessment_id))
        if isinstance(response, Response):  # delivered (not each look at the waiting page)
            record(db(), consultant(), "export_" + fmt, "assessment", assessment_id)
        return response
    record(db(), consultant(), "export_" + fmt, "assessment", assessment_id)
    exported = exports.export(db(), catalog(), row, org, fmt, current_language())
    assert exported is not None
    return attachment(exported)


@bp.get("/assessment/<int:assessment_id>/report.<any(pdf, docx):fmt>")
def report_file(assessment_id: int, fmt: str) -> Response | tuple[str, int, dict[str, str]]:
    return export(assessment_id, fmt)
