"""The self-assessment: start page, one page per dimension, review, resume by link.

Nobody answers before confirming the privacy notice: a new self-assessment on
/start, an invited respondent when opening the link for the first time.
"""

from __future__ import annotations

import datetime as dt
import json

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from assess.domain.text import without_unstorable
from assess.services import assessments as svc
from assess.services import privacy, reminders
from assess.services.records import Respondent, utcnow
from assess.web.database import catalog, db, default_questionnaire
from assess.web.errors import RETRY_AFTER, UNAVAILABLE, render_error
from assess.web.forms import StartForm
from assess.web.i18n import current_language
from assess.web.limits import limiter
from assess.web.pages import (
    PageOutcome,
    autosave_reply,
    autosaving,
    handle_page_post,
    load_page,
    render_outage,
    render_page,
    render_unsaved,
    requested_language,
    with_questions,
)

bp = Blueprint("survey", __name__)
DEFAULT_START_LIMIT = "20 per minute;100 per hour;300 per day"
NOTICE_KEY = "privacy_accepted_at"  # session key: the notice was confirmed before a self-assessment started


def _respondent_or_404(token: str) -> Respondent:
    respondent = svc.respondent_by_token(db(), token)
    if respondent is None:
        abort(404)
    return respondent


@bp.get("/")
def home() -> str:
    questionnaire = default_questionnaire()
    return render_template("survey/home.html", questionnaire=questionnaire, lang=current_language(),
                           length=svc.length_of(questionnaire, current_language()))


@bp.post("/r/<token>/full")
def continue_in_full(token: str) -> tuple[str, int] | Response:
    """After the short check: the full questionnaire, with every answer given so far already in it."""
    respondent = _respondent_or_404(token)
    try:
        svc.continue_in_full(db(), catalog(), respondent)
    except svc.AssessmentClosed:
        return _answers_page(respondent, token, status=409)
    return redirect(url_for("survey.page", token=token, number=1))


def _notice(token: str | None, respondent: Respondent | None, status: int = 200, *,
            ask: bool = True) -> tuple[str, int]:
    """The privacy notice; with `ask`, a form to confirm it (`status` 422: it was sent unconfirmed)."""
    assessment = svc.assessment_of(db(), respondent) if respondent is not None else None
    return render_template("survey/privacy.html", notice=privacy.notice_for(db(), assessment), token=token,
                           accepted=respondent is not None and respondent.privacy_accepted_at is not None,
                           ask=ask, missing=status == 422), status


def _time_of(value: object) -> dt.datetime:
    """When the notice was confirmed, as kept in the session (now, should the value be unreadable)."""
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return utcnow()


def _confirmed() -> bool:
    return request.form.get("accept") == "yes"


@bp.get("/privacy")
def privacy_notice() -> tuple[str, int]:
    return _notice(None, None, ask=False)


@bp.post("/start/privacy")
def accept_start_notice() -> Response | tuple[str, int]:
    if not _confirmed():
        return _notice(None, None, 422)
    session[NOTICE_KEY] = utcnow().isoformat()
    return redirect(url_for("survey.start"))


def _start_limit() -> str:
    """Self-assessments one address may start (ASSESS_START_RATE_LIMIT): enough for a workshop behind one office
    router, far too few to flood the database."""
    return str(current_app.config.get("START_RATE_LIMIT") or DEFAULT_START_LIMIT)


@bp.route("/start", methods=["GET", "POST"])
@limiter.limit(_start_limit, methods=["POST"])
def start() -> str | Response | tuple[str, int]:
    accepted = session.get(NOTICE_KEY)
    if request.method == "GET" and not accepted:
        return _notice(None, None)
    form = StartForm()
    questionnaire = default_questionnaire()
    if request.method == "GET":
        form.language.data = current_language()
        form.scope.data = "short" if request.args.get("scope") == "short" else "full"
    if form.validate_on_submit():
        if not accepted:
            return redirect(url_for("survey.start"))  # the notice first
        started = svc.start_self_assessment(
            db(), questionnaire, organisation=form.organisation.data or "", industry=form.industry.data or "",
            size=form.size.data or "", role=form.role.data or "", language=form.language.data or "de",
            short=form.scope.data == "short" and questionnaire.has_short_check,
        )
        privacy.accept_notice(db(), started.respondent, _time_of(accepted))
        session["lang"] = form.language.data
        return redirect(url_for("survey.page", token=started.token, number=1))
    only_name_missing = set(form.errors) == {"organisation"} and not (form.organisation.data or "").strip()
    status = 400 if request.method == "POST" and form.errors and not only_name_missing else 200
    if form.organisation.data:
        form.organisation.data = without_unstorable(form.organisation.data)  # shown again, never stored
    return render_template("survey/start.html", form=form, short_check=questionnaire.has_short_check), status


@bp.route("/r/<token>/privacy", methods=["GET", "POST"])
def respondent_notice(token: str) -> Response | tuple[str, int]:
    respondent = _respondent_or_404(token)
    if request.method == "POST":
        if not _confirmed():
            return _notice(token, respondent, 422)
        privacy.accept_notice(db(), respondent)
        return redirect(url_for("survey.resume", token=token))
    return _notice(token, respondent)


@bp.get("/r/<token>/my-answers.json")
def my_answers(token: str) -> Response:
    """Everything stored about the respondent, as a download for them."""
    data = privacy.respondent_export(db(), catalog(), _respondent_or_404(token))
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="my-answers.json"'})


@bp.get("/r/<token>/my-answers.csv")
def my_answers_csv(token: str) -> Response:
    """The respondent's answers as a spreadsheet (the consultants' CSV columns, in the page's language)."""
    body = privacy.respondent_csv(db(), catalog(), _respondent_or_404(token), current_language())
    return Response(body, mimetype="text/csv", headers={"Content-Disposition": 'attachment; filename="my-answers.csv"'})


@bp.get("/r/<token>/reminder.ics")
def reminder(token: str) -> Response:
    """A calendar entry for tomorrow morning with the private link: to continue without an e-mail."""
    _respondent_or_404(token)
    body = reminders.reminder(title=_("Continue the digital readiness check"),
                              description=_("Your private link continues where you stopped:"),
                              url=url_for("survey.resume", token=token, _external=True), now=utcnow())
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": 'attachment; filename="continue-assessment.ics"'})


@bp.route("/r/<token>/delete", methods=["GET", "POST"])
def delete_own(token: str) -> tuple[str, int]:
    """A self-assessment deleted by its respondent, after confirming; an invited respondent is told whom to ask."""
    respondent = _respondent_or_404(token)
    own = svc.is_self_assessment(db(), respondent)
    if request.method == "POST" and own:
        if request.form.get("confirm") != "yes":
            return render_template("survey/delete.html", token=token, own=True, missing=True), 422
        privacy.delete_self_assessment(db(), catalog(), respondent)
        return render_template("survey/deleted.html"), 200
    return render_template("survey/delete.html", token=token, own=own, missing=False), 200 if own else 403


@bp.get("/r/<token>")
def resume(token: str) -> Response:
    respondent = _respondent_or_404(token)
    if respondent.privacy_accepted_at is None:
        return redirect(url_for("survey.respondent_notice", token=token))
    if respondent.finished_at is not None:
        return redirect(url_for("results.respondent", token=token))
    return redirect(url_for("survey.page", token=token, number=respondent.current_page))


@bp.route("/r/<token>/page/<int:number>", methods=["GET", "POST"])
def page(token: str, number: int) -> str | Response | tuple[str | Response, int]:
    page = load_page(db(), catalog(), token, number, current_language())
    if page.respondent is None or page.respondent.privacy_accepted_at is None:
        return redirect(url_for("survey.respondent_notice", token=token))
    if svc.answers_locked(db(), page.respondent) is not None:  # finished or closed: read-only, nothing stored
        if request.method == "POST":
            return _answers_page(page.respondent, token, status=409)
        return redirect(url_for("survey.answers", token=token))
    if request.method == "GET" and with_questions(page, number, +1) != number:  # nothing here for this respondent
        ahead = with_questions(page, number, +1)
        return redirect(url_for("survey.page", token=token, number=ahead) if ahead else url_for("survey.review", token=token))
    if request.method == "POST":
        outcome = handle_page_post(db(), catalog(), page)
        if autosaving():  # the page's script saving an answer as it is chosen
            reply, status = autosave_reply(db(), page, outcome)
            return jsonify(reply), status
        if isinstance(outcome, PageOutcome):
            if (code := requested_language()) is not None:
                session["lang"] = code  # a language button: the page was saved first, now shown in that language
            return redirect(outcome.location)
        return render_page(page), outcome
    return render_page(page)


@bp.route("/r/<token>/review", methods=["GET", "POST"])
def review(token: str) -> str | Response | tuple[str, int]:
    respondent = _respondent_or_404(token)
    if respondent.privacy_accepted_at is None:
        return redirect(url_for("survey.respondent_notice", token=token))
    questionnaire = svc.questionnaire_of(db(), catalog(), svc.assessment_of(db(), respondent))
    locked = svc.answers_locked(db(), respondent)
    if locked == "finished":
        return redirect(url_for("results.respondent", token=token))
    if locked == "closed":  # its consultant closed the assessment: nothing is added to its result any more
        return _answers_page(respondent, token, status=409)
    if request.method == "POST":  # CSRF is checked for every POST by CSRFProtect
        svc.finish(db(), catalog(), respondent)
        return redirect(url_for("results.respondent", token=token))
    checked = svc.review(db(), catalog(), respondent, questionnaire.language(current_language()))
    return render_template("survey/review.html", token=token, review=checked, pages=len(questionnaire.dimensions))


def _answers_page(respondent: Respondent, token: str, status: int = 200) -> tuple[str, int]:
    lang = current_language()
    return render_template("survey/answers.html", token=token, locked=svc.answers_locked(db(), respondent),
                           dimensions=svc.answers_by_dimension(db(), catalog(), respondent, lang),
                           refused=status == 409), status


@bp.get("/r/<token>/answers")
def answers(token: str) -> tuple[str, int] | Response:
    """A finished respondent's answers, read-only, with "change answers" while the assessment is open."""
    respondent = _respondent_or_404(token)
    if respondent.privacy_accepted_at is None:
        return redirect(url_for("survey.respondent_notice", token=token))
    return _answers_page(respondent, token)


@bp.post("/r/<token>/reopen")
def reopen(token: str) -> tuple[str, int] | Response:
    """Change answers after finishing: the respondent is unfinished again until they finish once more."""
    respondent = _respondent_or_404(token)
    try:
        svc.reopen_answers(db(), catalog(), respondent)
    except svc.AssessmentClosed:
        return _answers_page(respondent, token, status=409)
    return redirect(url_for("survey.page", token=token, number=1))


@bp.get("/r/<token>/paused")
def paused(token: str) -> str:
    _respondent_or_404(token)
    return render_template("survey/paused.html", token=token,
                           resume_url=url_for("survey.resume", token=token, _external=True))


def _page_not_saved(error: Exception) -> tuple[str, int, dict[str, str]]:
    """A page posted while the database is unreachable: a 503 that shows every answer again, to save again."""
    args = request.view_args or {}
    current_app.logger.warning("page not saved, database unavailable: %s", type(error).__name__)
    if request.endpoint != "survey.page" or request.method != "POST":
        return (*render_error(503), {"Retry-After": RETRY_AFTER})
    html = render_outage(catalog(), str(args.get("token")), int(args.get("number", 0)), current_language())
    return html, 503, {"Retry-After": RETRY_AFTER}


for _kind in UNAVAILABLE:
    bp.register_error_handler(_kind, _page_not_saved)


@bp.errorhandler(CSRFError)
def _session_expired(_error: CSRFError) -> tuple[str, int] | tuple[str, int, dict[str, str]]:
    """A page saved after the session expired: show it again with what was entered (nothing is stored)."""
    args = request.view_args or {}
    if request.endpoint != "survey.page" or request.method != "POST":
        return render_error(400)
    try:
        page = load_page(db(), catalog(), str(args.get("token")), int(args.get("number", 0)), current_language())
    except HTTPException:
        return render_error(400)
    except UNAVAILABLE as error:  # expired and the database away at once: keep what was typed all the same
        return _page_not_saved(error)
    return render_unsaved(page), 400
