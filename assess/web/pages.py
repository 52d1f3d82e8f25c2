"""One dimension's page: bind stored answers, read a POST, decide where to go next."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlmodel import Session

from assess.catalog import Catalog
from assess.db import repo
from assess.db.models import AnswerRow, Assessment, Respondent
from assess.domain.answers import NOT_APPLICABLE
from assess.domain.questionnaire import Dimension, Questionnaire
from assess.services import assessments as svc
from assess.web.forms import allowed_keys, choice_markup, field_names, page_form_class, state_digest


@dataclass(slots=True)
class BoundPage:
    respondent: Respondent
    assessment: Assessment
    questionnaire: Questionnaire
    dimension: Dimension
    number: int
    token: str
    lang: str
    saved: dict[str, AnswerRow]
    form: FlaskForm


@dataclass(frozen=True, slots=True)
class PageOutcome:
    location: str


def _rid(token: str) -> str:
    return repo.token_hash(token)[:16]


def bind_page(session: Session, catalog: Catalog, respondent: Respondent, token: str, number: int, lang: str) -> BoundPage:
    """Load the page's dimension and the respondent's stored answers into a form."""
    assessment = session.get(Assessment, respondent.assessment_id)
    assert assessment is not None
    questionnaire = svc.questionnaire_of(catalog, assessment)
    if not 1 <= number <= len(questionnaire.dimensions):
        abort(404)
    dimension = questionnaire.dimensions[number - 1]
    saved = svc.saved_answers(session, respondent)
    form_class = page_form_class(questionnaire, dimension,
                                 lang if lang in questionnaire.languages else questionnaire.languages[0])
    form = form_class(formdata=request.form if request.method == "POST" else None)
    if request.method == "GET":
        form["rid"].data = _rid(token)
        for question in dimension.questions:
            names, row = field_names(question.id), saved.get(question.id)
            value, comment, reason = (row.value, row.comment, row.reason) if row else (None, "", "")
            form[names["q"]].data = value
            form[names["c"]].data = comment
            form[names["r"]].data = reason
            form[names["s"]].data = state_digest(value, comment, reason)
    return BoundPage(respondent, assessment, questionnaire, dimension, number, token, lang, saved, form)


def _changes(page: BoundPage) -> list[svc.PageChange]:
    changes = []
    for question in page.dimension.questions:
        names = field_names(question.id)
        value = page.form[names["q"]].data or None
        comment = (page.form[names["c"]].data or "").replace("\r\n", "\n")
        reason = (page.form[names["r"]].data or "").strip() if value == NOT_APPLICABLE else ""
        if state_digest(value, comment, reason) == page.form[names["s"]].data:
            continue  # untouched on this page: another tab's newer answer must survive
        if value is None and not comment:
            continue  # nothing given; never erase a stored answer by omission
        changes.append(svc.PageChange(question.id, value, comment, reason))
    return changes


def _na_without_reason(page: BoundPage) -> list[str]:
    missing = []
    for question in page.dimension.questions:
        names = field_names(question.id)
        if page.form[names["q"]].data == NOT_APPLICABLE and not (page.form[names["r"]].data or "").strip():
            page.form[names["r"]].errors = [_("Please say in a few words why this does not apply.")]
            missing.append(question.id)
    return missing


def handle_page_post(session: Session, page: BoundPage) -> PageOutcome | int:
    """Validate and store a page; return where to go, or a status to re-render with."""
    if set(request.form) - allowed_keys(page.dimension):
        abort(400)  # a field this page never rendered: forged or tampered
    if request.form.get("rid") != _rid(page.token):
        abort(400)  # a form rendered for another respondent
    if not page.form.validate():
        abort(400)  # invalid choice (level outside 1-5, n/a where not allowed) or oversized text
    if _na_without_reason(page):
        return 422
    target, location = _destination(page)
    svc.save_page(session, page.respondent, _changes(page), target)
    return PageOutcome(location)


def _destination(page: BoundPage) -> tuple[int, str]:
    """The page to resume at next time, and where to send the browser now."""
    pages = len(page.questionnaire.dimensions)
    nav = request.form.get("nav", "next")
    if nav == "stop":
        return page.number, url_for("survey.paused", token=page.token)
    if nav == "review" or (nav == "next" and page.number >= pages):
        return pages, url_for("survey.review", token=page.token)
    if nav == "back":
        target = max(1, page.number - 1)
    elif nav.startswith("page-") and nav[5:].isdigit() and 1 <= int(nav[5:]) <= pages:
        target = int(nav[5:])
    else:
        target = min(pages, page.number + 1)
    return target, url_for("survey.page", token=page.token, number=target)


def page_context(page: BoundPage) -> dict[str, Any]:
    """What the page template needs, prepared here so the template stays simple."""
    lang = page.lang if page.lang in page.questionnaire.languages else page.questionnaire.languages[0]
    choices = choice_markup(page.questionnaire, page.dimension, page.form, lang)
    questions = []
    for question in page.dimension.questions:
        names = field_names(question.id)
        field = page.form[names["q"]]
        # Radios are rendered by the template from plain data: WTForms' widgets cost most of the page time.
        questions.append({
            "id": question.id, "text": question.text.get(lang), "names": names,
            "help": question.help.get(lang) if question.help else "",
            "choices": choices[question.id],
            "value": field.data, "comment": page.form[names["c"]].data or "",
            "reason": page.form[names["r"]].data or "", "reason_errors": page.form[names["r"]].errors,
            "state": page.form[names["s"]].data or "", "allow_na": question.allow_na,
        })
    answered = sum(1 for row in page.saved.values() if row.value)
    return {
        "form": page.form, "token": page.token, "number": page.number,
        "pages": len(page.questionnaire.dimensions),
        "dimension_titles": [d.title.get(lang) for d in page.questionnaire.dimensions],
        "dimension": {"title": page.dimension.title.get(lang), "description": page.dimension.description.get(lang)},
        "questions": questions, "answered": answered, "total": page.questionnaire.question_count,
        "resume_url": url_for("survey.resume", token=page.token, _external=True),
    }
