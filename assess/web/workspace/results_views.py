"""Aggregate results, the workshop walk-through and exports of one assessment."""

from __future__ import annotations

import json
import re

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from assess.domain.serialize import evaluation_to_dict
from assess.reporting.context import ReportMeta, build_report_context
from assess.services import aggregate, exports, questionnaires
from assess.services.audit import record
from assess.web.auth import consultant
from assess.web.database import catalog, db
from assess.web.forms import INDUSTRY_LABELS, ROLE_LABELS, SIZE_LABELS
from assess.web.i18n import current_language
from assess.web.results import chart_json
from assess.web.workspace import assessment_or_404, bp


def assessment_context(assessment_id: int, lang: str) -> dict[str, object]:
    """The report context of a whole assessment (aggregate, consensus, change, peers)."""
    row, org = assessment_or_404(assessment_id)
    result = aggregate.evaluate_assessment(db(), catalog(), row)
    meta = ReportMeta(organisation=org.name, title=row.title, industry=str(INDUSTRY_LABELS.get(org.industry, org.industry)),
                      size=str(SIZE_LABELS.get(org.size, org.size)), date=row.created_at.date())
    previous_label = result.previous_assessment.title if result.previous_assessment else ""
    context = build_report_context(result.evaluation, result.responses, lang=lang, meta=meta,
                                   previous=result.previous, previous_label=previous_label)
    context["peers"] = [
        {"label": g.label, "organisations": g.organisations, "scores": {k: round(v, 1) for k, v in g.scores.items()}}
        for g in aggregate.peer_groups(db(), catalog(), row, org)
    ]
    context["assessment_id"] = assessment_id
    return context


@bp.get("/assessment/<int:assessment_id>/results")
def results(assessment_id: int) -> str:
    context = assessment_context(assessment_id, current_language())
    record(db(), consultant(), "read", "assessment_results", assessment_id)
    return render_template("workspace/results.html", report=context, charts=chart_json(context), roles=ROLE_LABELS,
                           assessment_id=assessment_id)


@bp.route("/assessment/<int:assessment_id>/workshop/<int:number>", methods=["GET", "POST"])
def workshop(assessment_id: int, number: int) -> str | Response:
    row, org = assessment_or_404(assessment_id)
    questionnaire = questionnaires.for_assessment(db(), catalog(), row)
    questions = list(questionnaire.questions())
    if not 1 <= number <= len(questions):
        abort(404)
    question = questions[number - 1]
    if request.method == "POST":
        raw = request.form.get("level", "")
        if set(request.form) - {"csrf_token", "level", "note", "nav"} or raw not in ("", "1", "2", "3", "4", "5"):
            abort(400)
        note = request.form.get("note", "")
        if len(note) > 2000:
            abort(400)
        aggregate.record_consensus(db(), questionnaire, assessment_id, question.id, int(raw) if raw else None, note,
                                   consultant().id)
        target = number - 1 if request.form.get("nav") == "back" else number + 1
        if target > len(questions):
            return redirect(url_for("ws.results", assessment_id=assessment_id))
        return redirect(url_for("ws.workshop", assessment_id=assessment_id, number=max(1, target)))
    lang = current_language() if current_language() in questionnaire.languages else questionnaire.languages[0]
    context = assessment_context(assessment_id, lang)
    detail = next(q for d in context["dimensions"] for q in d["question_details"] if q["id"] == question.id)  # type: ignore[attr-defined]
    agreed = aggregate.consensus_of(db(), assessment_id).get(question.id)
    return render_template("workspace/workshop.html", org=org, assessment=row, number=number, total=len(questions),
                           question=detail, dimension=questionnaire.dimension(question.dimension_id).title.get(lang),
                           agreed=agreed, roles=ROLE_LABELS)


def _filename(name: str, suffix: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")[:60] or "assessment"
    return f"{slug}-{suffix}"


@bp.get("/assessment/<int:assessment_id>/export.<fmt>")
def export(assessment_id: int, fmt: str) -> Response:
    if fmt not in ("csv", "xlsx", "json"):
        abort(404)
    row, org = assessment_or_404(assessment_id)
    questionnaire = questionnaires.for_assessment(db(), catalog(), row)
    lang = current_language() if current_language() in questionnaire.languages else questionnaire.languages[0]
    record(db(), consultant(), "export_" + fmt, "assessment", assessment_id)
    if fmt == "json":
        result = aggregate.evaluate_assessment(db(), catalog(), row)
        body = json.dumps(evaluation_to_dict(result.evaluation, lang), ensure_ascii=False, indent=2).encode()
        mimetype = "application/json"
    else:
        respondents, found = aggregate.responses(db(), assessment_id)
        rows = exports.answer_rows(questionnaire, org, row, respondents, found, lang)
        if fmt == "csv":
            body, mimetype = exports.to_csv(rows), "text/csv; charset=utf-8"
        else:
            body = exports.to_xlsx(rows, _("Answers"))
            mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    filename = _filename(f"{org.name}-{row.id}", f"answers.{fmt}" if fmt != "json" else "result.json")
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})



@bp.get("/assessment/<int:assessment_id>/report.pdf")
def report_pdf(assessment_id: int) -> Response:
    from assess.reporting.pdf import render_pdf  # WeasyPrint and kaleido load on the first download
    from assess.web.reports import download_name

    context = assessment_context(assessment_id, current_language())
    pdf = render_pdf(context)
    record(db(), consultant(), "export_pdf", "assessment", assessment_id)
    meta = context["meta"]
    assert isinstance(meta, dict)
    filename = download_name(meta["organisation"], meta["date"])
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"})
