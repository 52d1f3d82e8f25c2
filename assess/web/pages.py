"""One dimension's page: load stored answers, read a POST, render through a cached frame."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import Markup, escape

from assess.catalog import Catalog
from assess.domain.answers import MAX_COMMENT_LENGTH, MAX_REASON_LENGTH, NOT_APPLICABLE
from assess.domain.questionnaire import Dimension, Questionnaire, QuestionnaireRef
from assess.domain.text import is_storable, without_unstorable
from assess.services import assessments as svc
from assess.services.records import Respondent, Session, StoredAnswer
from assess.services.responses import asked_of
from assess.web.frames import FrameCache, Placeholders
from assess.web.i18n import current_language
from assess.web.page_forms import allowed_keys, choice_markup, field_names, page_form_class, state_digest


@dataclass(frozen=True, slots=True)
class Shown:
    """What one question shows: the value, comment and reason, and the state they were shown in."""

    value: str | None = None
    comment: str = ""
    reason: str = ""
    state: str = ""


@dataclass(slots=True)
class Page:
    respondent: Respondent | None  # None: shown while the database is unreachable (render_outage)
    questionnaire: Questionnaire
    dimension: Dimension
    number: int
    token: str
    lang: str
    saved: dict[str, StoredAnswer]
    asked: frozenset[str] | None = None  # the questions put to this respondent (None: all)
    shown: dict[str, Shown] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # field name (reason or comment) -> message


@dataclass(frozen=True, slots=True)
class PageOutcome:
    location: str


def _rid(token: str) -> str:
    return svc.token_hash(token)[:16]


def load_page(session: Session, catalog: Catalog, token: str, number: int, lang: str) -> Page:
    """The page's dimension and what the respondent has stored so far (404 for an unknown token)."""
    found = svc.respondent_with_assessment(session, token)
    if found is None:
        abort(404)
    respondent, assessment = found
    questionnaire = svc.questionnaire_of(session, catalog, assessment)
    if not 1 <= number <= len(questionnaire.dimensions):
        abort(404)
    lang = questionnaire.language(lang)
    saved = svc.saved_answers(session, respondent)
    page = Page(respondent, questionnaire, questionnaire.dimensions[number - 1], number, token, lang, saved,
                asked_of(questionnaire, respondent))
    for question in page.dimension.questions:
        row = saved.get(question.id)
        value, comment, reason = (row.value, row.comment, row.reason) if row else (None, "", "")
        page.shown[question.id] = Shown(value, comment, reason, state_digest(value, comment, reason))
    return page


def handle_page_post(session: Session, catalog: Catalog, page: Page) -> PageOutcome | int:
    """Validate and store a page; return where to go, or a status to re-render with."""
    if set(request.form) - allowed_keys(page.dimension):
        abort(400)  # a field this page never rendered: forged or tampered
    if request.form.get("rid") != _rid(page.token):
        abort(400)  # a form rendered for another respondent
    form = page_form_class(page.questionnaire, page.dimension, page.lang)(formdata=request.form)
    text_errors = {} if form.validate() else dict(form.errors)
    if set(text_errors) - _text_fields(page.dimension):
        abort(400)  # an invalid choice (level outside 1-5, n/a where not allowed): forged or tampered
    if page.asked is not None and any(
            request.form.get(field_names(q.id)["q"]) or request.form.get(field_names(q.id)["c"])
            for q in page.dimension.questions if q.id not in page.asked):
        abort(400)  # an answer to a question never put to this respondent (another role's): forged
    changes = [c for q in page.dimension.questions if (c := _change(page, form, q.id, text_errors)) is not None]
    if page.errors:  # nothing stored; the page is shown again with everything the respondent entered
        return 400 if text_errors else 422
    target, location = _destination(page)
    assert page.respondent is not None
    svc.save_answers(session, catalog, page.respondent, changes, page=target)
    return PageOutcome(location)


def _change(page: Page, form: Any, question_id: str, text_errors: dict[str, Any]) -> svc.PageChange | None:
    """What the form changes for one question (None: nothing); records what to show again and any error."""
    names = field_names(question_id)
    value = form[names["q"]].data or None
    comment = without_unstorable(form[names["c"]].data or "").replace("\r\n", "\n")
    reason = without_unstorable(form[names["r"]].data or "").strip()
    page.shown[question_id] = Shown(value, comment, reason, form[names["s"]].data or "")
    for name in (names["c"], names["r"]):
        if name in text_errors:  # shown again without what cannot be stored; nothing is saved
            page.errors[name] = _unstorable_message(form[name].data) or str(text_errors[name][0])
    if value == NOT_APPLICABLE and not reason:
        page.errors.setdefault(names["r"], _("Please say in a few words why this does not apply."))
    reason = reason if value == NOT_APPLICABLE else ""
    if state_digest(value, comment, reason) == page.shown[question_id].state:
        return None  # untouched on this page: another tab's newer answer must survive
    if value is None and not comment:
        return None  # nothing given; never erase a stored answer by omission
    return svc.PageChange(question_id, value, comment, reason)


def _text_fields(dimension: Dimension) -> set[str]:
    return {name for q in dimension.questions for key, name in field_names(q.id).items() if key in ("c", "r")}


def _unstorable_message(text: object) -> str | None:
    if isinstance(text, str) and not is_storable(text):
        return _("This text contained characters that cannot be stored (such as a NUL or control character, often "
                 "from copying out of another program). They were removed below: please check the text and save again.")
    return None


AUTOSAVE = "autosave"  # nav value of a save by the page's script as each answer is chosen: it stays on the page
LANGUAGE_NAV = "lang-"  # nav value prefix of the language buttons: save the page, then show it in that language


def autosaving() -> bool:
    return request.form.get("nav") == AUTOSAVE


def requested_language() -> str | None:
    """The language a language button asked for (None: no such button, or a language the app does not offer)."""
    nav = request.form.get("nav", "")
    code = nav[len(LANGUAGE_NAV):] if nav.startswith(LANGUAGE_NAV) else ""
    return code if code in current_app.config["LANGUAGES"] else None


def autosave_reply(session: Session, page: Page, outcome: PageOutcome | int) -> tuple[dict[str, Any], int]:
    """For the page's script: saved or not, the state each question is now stored in (its next save compares
    against it, so another tab's newer answer to a question untouched here still survives), the answered count."""
    if not isinstance(outcome, PageOutcome):
        return {"saved": False}, outcome
    assert page.respondent is not None
    states = {}
    for question in page.dimension.questions:
        shown = page.shown[question.id]
        reason = shown.reason if shown.value == NOT_APPLICABLE else ""
        states[field_names(question.id)["s"]] = state_digest(shown.value, shown.comment, reason)
    answered = sum(1 for q, row in svc.saved_answers(session, page.respondent).items()
                   if row.value and (page.asked is None or q in page.asked))
    return {"saved": True, "states": states, "answered": answered}, 200


def _destination(page: Page) -> tuple[int, str]:
    """The page to resume at next time, and where to send the browser now."""
    pages = len(page.questionnaire.dimensions)
    nav = request.form.get("nav", "next")
    if nav == AUTOSAVE or requested_language() is not None:
        return page.number, url_for("survey.page", token=page.token, number=page.number)
    if nav == "stop":
        return page.number, url_for("survey.paused", token=page.token)
    if nav == "review" or (nav == "next" and page.number >= pages):
        return pages, url_for("survey.review", token=page.token)
    if nav == "back":
        target = with_questions(page, page.number - 1, -1) or page.number
    elif nav.startswith("page-") and nav[5:].isascii() and nav[5:].isdigit() and len(nav) <= 9 \
            and 1 <= int(nav[5:]) <= pages:
        target = int(nav[5:])
    else:
        target = with_questions(page, page.number + 1, +1) or 0
        if not target:  # no further page has a question for this respondent
            return pages, url_for("survey.review", token=page.token)
    return target, url_for("survey.page", token=page.token, number=target)


def with_questions(page: Page, number: int, step: int) -> int | None:
    """The first page from `number` on (in the direction of `step`) with a question put to this respondent (None:
    none): a dimension with none for their role, or none in the short check, is passed over."""
    dimensions = page.questionnaire.dimensions
    while 1 <= number <= len(dimensions):
        if page.asked is None or any(q.id in page.asked for q in dimensions[number - 1].questions):
            return number
        number += step
    return None


def _static_context(page: Page) -> dict[str, Any]:
    """What is the same for every respondent on this page."""
    lang = page.lang
    return {
        "number": page.number, "pages": len(page.questionnaire.dimensions),
        "dimension_titles": [d.title.get(lang) for d in page.questionnaire.dimensions],
        "dimension": {"title": page.dimension.title.get(lang), "description": page.dimension.description.get(lang)},
        "total": page.questionnaire.question_count if page.asked is None else len(page.asked),
        "questions": [
            {"id": q.id, "text": q.text.get(lang), "help": q.help.get(lang) if q.help else "",
             "names": field_names(q.id), "allow_na": q.allow_na, "error": page.errors.get(field_names(q.id)["r"]),
             "comment_error": page.errors.get(field_names(q.id)["c"])}
            for q in page.dimension.questions if page.asked is None or q.id in page.asked
        ],
        "has_errors": bool(page.errors),
        "qref": _signed_ref(page.questionnaire),
    }


def _values(page: Page) -> dict[str, Markup]:
    """Every per-respondent value of the page, escaped, by slot name."""
    here = request.full_path.rstrip("?")
    values = {
        "csrf": escape(_csrf_token()), "rid": escape(_rid(page.token)),
        "answered": escape(str(sum(1 for q, row in page.saved.items()
                                   if row.value and (page.asked is None or q in page.asked)))),
        "resume_url": escape(url_for("survey.resume", token=page.token, _external=True)),
        **{f"lang:{code}": escape(url_for("i18n.switch", code=code, next=here))
           for code in current_app.config["LANGUAGES"]},
    }
    choices = choice_markup(page.questionnaire, page.dimension, page.lang)
    for question in page.dimension.questions:
        shown = page.shown.get(question.id, Shown())  # empty when shown without the database (render_outage)
        radios = (c.checked_html if c.value == shown.value else c.html for c in choices[question.id])
        values[f"radios:{question.id}"] = Markup("".join(radios))  # the pieces are pre-escaped Markup
        values[f"state:{question.id}"] = escape(shown.state)
        values[f"reason:{question.id}"] = escape(shown.reason)
        values[f"comment:{question.id}"] = escape(shown.comment)
        open_comment = shown.comment or field_names(question.id)["c"] in page.errors
        values[f"open:{question.id}"] = Markup(" open" if open_comment else "")
    return values


def _csrf_token() -> str:
    from flask_wtf.csrf import generate_csrf

    return str(generate_csrf())


def render_page(page: Page) -> str:
    """The page's HTML: a filled frame, or a full render when there are errors to show."""
    if page.errors:
        return render_template("survey/page.html", v=_values(page), **_static_context(page))
    frames: FrameCache = current_app.extensions.setdefault("assess.frames", FrameCache())
    # the texts, the interface's language, and which of the page's questions are put to this respondent
    # (and how many questions in all: the progress total is part of the frame)
    asked = None if page.asked is None else (frozenset(q.id for q in page.dimension.questions if q.id in page.asked),
                                             len(page.asked))
    key = (page.questionnaire.ref, page.number, page.lang, current_language(), asked)

    def render(placeholders: Placeholders) -> str:
        return render_template("survey/page.html", v=placeholders, **_static_context(page))

    return frames.get(key, render).fill(_values(page))


def _show_sent(page: Page) -> None:
    """Fill the page with what the browser sent (checked like a save, but nothing is stored)."""
    if not (set(request.form) <= allowed_keys(page.dimension) and request.form.get("rid") == _rid(page.token)):
        return
    choices = choice_markup(page.questionnaire, page.dimension, page.lang)
    for question in page.dimension.questions:
        names, stored = field_names(question.id), page.shown.get(question.id, Shown())
        value = request.form.get(names["q"]) or None
        state = request.form.get(names["s"], "")
        page.shown[question.id] = Shown(
            value if value in {c.value for c in choices[question.id]} else stored.value,
            without_unstorable(request.form.get(names["c"], "")).replace("\r\n", "\n")[:MAX_COMMENT_LENGTH],
            without_unstorable(request.form.get(names["r"], "")).strip()[:MAX_REASON_LENGTH],
            state if len(state) == 16 and state.isalnum() else stored.state,  # what the tab was first shown
        )


def render_unsaved(page: Page) -> str:
    """The page again with what the respondent sent but could not be stored (an expired session)."""
    _show_sent(page)
    return render_template("survey/page_expired.html", v=_values(page), **_static_context(page))


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key or "", salt="assess.questionnaire-ref")


def _signed_ref(questionnaire: Questionnaire) -> str:
    """The page's questionnaire, signed: lets the page be shown again while the database is unreachable."""
    ref = questionnaire.ref
    return str(_signer().dumps([ref.workspace_id, ref.id, ref.version, ref.digest]))


def _questionnaire_from_form(catalog: Catalog) -> Questionnaire | None:
    """The questionnaire the posted page was rendered from, if this process knows it without the database."""
    try:
        workspace_id, questionnaire_id, version, digest = _signer().loads(request.form.get("qref", ""))
    except (BadSignature, ValueError, TypeError):
        return None
    return catalog.known(QuestionnaireRef(workspace_id, questionnaire_id, version, digest))


def render_outage(catalog: Catalog, token: str, number: int, lang: str) -> str:
    """A posted page while the database is unreachable: shown again with everything sent, to save again.

    Nothing is read from the database. When this process does not know the page's
    questionnaire, the answers still come back, as hidden fields of a "save again" form.
    """
    questionnaire = _questionnaire_from_form(catalog)
    if questionnaire is None or not 1 <= number <= len(questionnaire.dimensions):
        fields = [(k, v) for k, values in request.form.lists() for v in values if k not in ("csrf_token", "nav")]
        return render_template("survey/page_unavailable_plain.html", fields=fields, nav=request.form.get("nav", "next"))
    lang = questionnaire.language(lang)
    page = Page(None, questionnaire, questionnaire.dimensions[number - 1], number, token, lang, saved={})
    _show_sent(page)
    return render_template("survey/page_unavailable.html", v=_values(page), **_static_context(page))
