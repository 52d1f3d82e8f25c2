"""Aggregate results, the workshop walk-through and exports of one assessment."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from assess.domain.answers import MAX_COMMENT_LENGTH
from assess.domain.levels import parse_level
from assess.domain.text import is_storable, without_unstorable
from assess.services import aggregate, exports, questionnaires, reports, workshop
from assess.services.audit import record
from assess.services.records import Assessment, Organisation
from assess.web.auth import consultant
from assess.web.database import catalog, db
from assess.web.i18n import current_language
from assess.web.reports import attachment, printed_report
from assess.web.results import chart_figures
from assess.web.workspace import assessment_or_404, bp


@bp.get("/assessment/<int:assessment_id>/results")
def results(assessment_id: int) -> str:
    row, org = assessment_or_404(assessment_id)
    context = reports.assessment_report(db(), catalog(), row, org, current_language())
    record(db(), consultant(), "read", "assessment_results", assessment_id)
    lang = str(context["lang"])
    return render_template("workspace/results.html", report=context, charts=chart_figures(context),
                           assessment_id=assessment_id, agenda=workshop.agenda(db(), catalog(), row, lang),
                           agreed_levels=workshop.agreed_levels(db(), catalog(), row, lang),
                           status_labels=workshop.STATUS_LABELS)


def _consensus_form() -> tuple[int | None, str, str | None]:
    """The posted level and note, and the error that keeps them from being saved (400 for a forged form)."""
    raw = request.form.get("level", "")
    level = parse_level(raw)
    if set(request.form) - {"csrf_token", "level", "note", "nav"} or (raw and level is None):
        abort(400)  # a field or a level the form never offered: forged
    note = request.form.get("note", "")
    if len(note) > MAX_COMMENT_LENGTH or not is_storable(note):
        return level, without_unstorable(note)[:MAX_COMMENT_LENGTH], _(
            "The note is longer than %(max)d characters or contains characters that cannot be stored "
            "(such as a NUL or control character). Nothing was saved: please check it and save again.",
            max=MAX_COMMENT_LENGTH)
    return level, note, None


def _agree(row: Assessment, question_id: str, level: int | None, note: str) -> None:
    workshop.agree(db(), catalog(), row, question_id, level, note, consultant().id, consultant())


def _workshop_page(row: Assessment, org: Organisation, number: int, item: workshop.AgendaItem | None,
                   items: list[workshop.AgendaItem], shown: tuple[int | None, str] | None = None,
                   error: str | None = None) -> str | tuple[str, int]:
    assert row.id is not None
    questionnaire = questionnaires.for_assessment(db(), catalog(), row)
    questions = list(questionnaire.questions())
    question = questions[number - 1]
    agreed = aggregate.consensus_of(db(), row.id).get(question.id)
    shown_level, shown_note = shown or ((agreed.level, agreed.note) if agreed else (None, ""))
    lang = questionnaire.language(current_language())
    detail = reports.workshop_question(db(), catalog(), row, question.id, lang)
    html = render_template("workspace/workshop.html", org=org, assessment=row, number=number, total=len(questions),
                           question=detail, dimension=questionnaire.dimension(question.dimension_id).title.get(lang),
                           agreed=agreed, shown_level=shown_level, note=shown_note, error=error, item=item,
                           agenda=items, on_agenda=next((i for i in items if i.question_id == question.id), None),
                           roles=workshop.question_roles(db(), catalog(), row, question.id),
                           answer_keys=workshop.ANSWER_KEYS, status_labels=workshop.STATUS_LABELS)
    return (html, 400) if error else html


@bp.route("/assessment/<int:assessment_id>/workshop/<int:number>", methods=["GET", "POST"], endpoint="workshop")
def workshop_question(assessment_id: int, number: int) -> str | Response | tuple[str, int]:
    """Any question of the questionnaire, in the questionnaire's order (the agenda: `agenda_item`)."""
    row, org = assessment_or_404(assessment_id)
    questions = list(questionnaires.for_assessment(db(), catalog(), row).questions())
    if not 1 <= number <= len(questions):
        abort(404)
    items = workshop.agenda(db(), catalog(), row, current_language())
    if request.method == "POST":
        level, note, error = _consensus_form()
        if error:
            return _workshop_page(row, org, number, None, items, (level, note), error)
        _agree(row, questions[number - 1].id, level, note)
        target = number - 1 if request.form.get("nav") == "back" else number + 1
        if target > len(questions):
            return redirect(url_for("ws.results", assessment_id=assessment_id))
        return redirect(url_for("ws.workshop", assessment_id=assessment_id, number=max(1, target)))
    return _workshop_page(row, org, number, None, items)


@bp.get("/assessment/<int:assessment_id>/agenda")
def agenda(assessment_id: int) -> str:
    """The workshop agenda: each item's status, where to go on, and when it is done."""
    row, org = assessment_or_404(assessment_id)
    items = workshop.agenda(db(), catalog(), row, current_language())
    return render_template("workspace/agenda.html", org=org, assessment=row, agenda=items,
                           summary=workshop.summary(items), status_labels=workshop.STATUS_LABELS)


@bp.route("/assessment/<int:assessment_id>/agenda/<int:number>", methods=["GET", "POST"])
def agenda_item(assessment_id: int, number: int) -> str | Response | tuple[str, int]:
    """Item `number` of the workshop agenda: agree on a level (and go on to the next item) or defer it."""
    row, org = assessment_or_404(assessment_id)
    items = workshop.agenda(db(), catalog(), row, current_language())
    if not 1 <= number <= len(items):
        abort(404)
    item = items[number - 1]
    if request.method == "POST":
        nav = request.form.get("nav", "next")
        if nav not in ("next", "back", "defer"):
            abort(400)
        level, note, error = _consensus_form()
        if error:
            return _workshop_page(row, org, item.number, item, items, (level, note), error)
        if nav == "defer":
            workshop.defer(db(), row, item.question_id)
            record(db(), consultant(), "workshop_defer", "assessment", assessment_id)
        else:
            _agree(row, item.question_id, level, note)
        if nav == "back":
            return redirect(url_for("ws.agenda_item", assessment_id=assessment_id, number=max(1, number - 1)))
        after = workshop.agenda(db(), catalog(), row, current_language())
        following = workshop.next_item(after, item.question_id, number, deferred_round=item.status == workshop.DEFERRED)
        if following is None:
            return redirect(url_for("ws.agenda", assessment_id=assessment_id))
        return redirect(url_for("ws.agenda_item", assessment_id=assessment_id, number=following.position))
    return _workshop_page(row, org, item.number, item, items)


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
