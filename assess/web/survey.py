"""The self-assessment: start page, one page per dimension, review, resume by link."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from assess.db import repo
from assess.services import assessments as svc
from assess.web.database import catalog, db, default_questionnaire
from assess.web.forms import StartForm
from assess.web.i18n import current_language
from assess.web.pages import PageOutcome, handle_page_post, load_page, render_page

bp = Blueprint("survey", __name__)


def _respondent_or_404(token: str) -> svc.Respondent:
    respondent = repo.respondent_by_token(db(), token)
    if respondent is None:
        abort(404)
    return respondent


@bp.get("/")
def home() -> str:
    questionnaire = default_questionnaire()
    return render_template("survey/home.html", questionnaire=questionnaire, lang=current_language())


@bp.route("/start", methods=["GET", "POST"])
def start() -> str | Response | tuple[str, int]:
    form = StartForm()
    if request.method == "GET":
        form.language.data = current_language()
    if form.validate_on_submit():
        questionnaire = default_questionnaire()
        started = svc.start_self_assessment(
            db(), questionnaire, organisation=form.organisation.data or "", industry=form.industry.data or "",
            size=form.size.data or "", role=form.role.data or "", language=form.language.data or "de",
        )
        session["lang"] = form.language.data
        return redirect(url_for("survey.page", token=started.token, number=1))
    status = 400 if request.method == "POST" and form.errors.keys() - {"organisation"} else 200
    return render_template("survey/start.html", form=form), status


@bp.get("/r/<token>")
def resume(token: str) -> Response:
    respondent = _respondent_or_404(token)
    if respondent.finished_at is not None:
        return redirect(url_for("results.respondent", token=token))
    return redirect(url_for("survey.page", token=token, number=respondent.current_page))


@bp.route("/r/<token>/page/<int:number>", methods=["GET", "POST"])
def page(token: str, number: int) -> str | Response | tuple[str, int]:
    page = load_page(db(), catalog(), token, number, current_language())
    if request.method == "POST":
        outcome = handle_page_post(db(), page)
        if isinstance(outcome, PageOutcome):
            return redirect(outcome.location)
        return render_page(page), outcome
    return render_page(page)


@bp.route("/r/<token>/review", methods=["GET", "POST"])
def review(token: str) -> str | Response:
    respondent = _respondent_or_404(token)
    assessment = db().get(svc.Assessment, respondent.assessment_id)
    assert assessment is not None
    questionnaire = svc.questionnaire_of(db(), catalog(), assessment)
    if request.method == "POST":  # CSRF is checked for every POST by CSRFProtect
        svc.finish(db(), respondent)
        return redirect(url_for("results.respondent", token=token))
    saved = svc.saved_answers(db(), respondent)
    lang = current_language()
    missing = [
        {"page": index, "dimension": d.title.get(lang),
         "questions": [q.text.get(lang) for q in d.questions if q.id not in saved or saved[q.id].value is None]}
        for index, d in enumerate(questionnaire.dimensions, start=1)
    ]
    missing = [m for m in missing if m["questions"]]
    return render_template("survey/review.html", token=token, missing=missing,
                           pages=len(questionnaire.dimensions), answered=sum(1 for r in saved.values() if r.value),
                           total=questionnaire.question_count)


@bp.get("/r/<token>/paused")
def paused(token: str) -> str:
    _respondent_or_404(token)
    return render_template("survey/paused.html", token=token,
                           resume_url=url_for("survey.resume", token=token, _external=True))
