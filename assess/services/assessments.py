"""Self-assessment use cases: start, resume, save a page, evaluate."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlmodel import Session

from assess.catalog import Catalog
from assess.db import repo
from assess.db.models import Assessment, Organisation, Respondent, Workspace, utcnow
from assess.db.repo import StoredAnswer
from assess.domain.answers import Response
from assess.domain.evaluation import Evaluation, evaluate
from assess.domain.questionnaire import Questionnaire, QuestionnaireRef
from assess.domain.reading import reading_minutes
from assess.domain.roadmap import PlanSettings
from assess.services import derived, peers, questionnaires
from assess.services.audit import Actor, record
from assess.services.responses import asked_of, to_response

INDUSTRIES = (
    "automotive", "manufacturing", "retail", "telecom", "energy", "finance", "logistics",
    "healthcare", "public", "it_services", "other",
)
SIZES = ("1-49", "50-249", "250-999", "1000-4999", "5000+")


@dataclass(frozen=True, slots=True)
class Started:
    respondent: Respondent
    token: str


@dataclass(frozen=True, slots=True)
class PageChange:
    """What a respondent sent for one question on a page."""

    question_id: str
    value: str | None
    comment: str
    reason: str


@dataclass(frozen=True, slots=True)
class Length:
    """What the start page promises: questions and minutes, computed from the text read (assess.domain.reading)."""

    questions: int
    minutes: int
    short_questions: int  # 0: no short check
    short_minutes: int


_LENGTHS: dict[tuple[QuestionnaireRef, str], Length] = {}  # the start page asks on every visit


def length_of(questionnaire: Questionnaire, lang: str) -> Length:
    key = (questionnaire.ref, lang)
    found = _LENGTHS.get(key)
    if found is None:
        short = questionnaire.asked(None, short=True) if questionnaire.has_short_check else frozenset()
        found = Length(questionnaire.question_count, reading_minutes(questionnaire, lang), len(short),
                       reading_minutes(questionnaire, lang, short) if short else 0)
        if len(_LENGTHS) > 256:
            _LENGTHS.clear()
        _LENGTHS[key] = found
    return found


def start_self_assessment(
    session: Session, questionnaire: Questionnaire, *, organisation: str, industry: str, size: str,
    role: str, language: str, short: bool = False,
) -> Started:
    """Create organisation, assessment and respondent; return the resume token."""
    org = Organisation(name=organisation.strip(), industry=industry, size=size)
    repo.add(session, org)
    assert org.id is not None
    assessment = Assessment(organisation_id=org.id, **questionnaires.pin_fields(questionnaire),
                            title=questionnaire.title.get(language)[:200])
    repo.add(session, assessment)
    assert assessment.id is not None
    token = secrets.token_urlsafe(24)
    respondent = Respondent(assessment_id=assessment.id, token_hash=repo.token_hash(token), role=role,
                            language=language, short_check=short)
    repo.add(session, respondent)
    return Started(respondent, token)


def token_hash(token: str) -> str:
    """The stored form of a resume token (also what a page's form carries to tie it to its respondent)."""
    return repo.token_hash(token)


def respondent_by_token(session: Session, token: str) -> Respondent | None:
    """The respondent a resume link belongs to (None: no such link)."""
    return repo.respondent_by_token(session, token)


def is_self_assessment(session: Session, respondent: Respondent) -> bool:
    """Started on the start page by its one respondent (no consultant's workspace owns it)."""
    organisation = organisation_of(session, assessment_of(session, respondent))
    return organisation.workspace_id is None


def withdrawn_by(session: Session, token: str) -> str | None:
    """The name of the workspace that withdrew the link `token` (None: not a withdrawn link)."""
    found = repo.withdrawn_respondent(session, token)
    if found is None:
        return None
    organisation = session.get(Organisation, found[1].organisation_id)
    workspace = session.get(Workspace, organisation.workspace_id) if organisation and organisation.workspace_id else None
    return workspace.name if workspace is not None else ""


def respondent_with_assessment(session: Session, token: str) -> tuple[Respondent, Assessment] | None:
    """The respondent a resume link belongs to, with the assessment, in one query (a survey page's hot path)."""
    return repo.respondent_with_assessment(session, token)


def assessment_of(session: Session, respondent: Respondent) -> Assessment:
    """The assessment a respondent answers."""
    assessment = session.get(Assessment, respondent.assessment_id)
    assert assessment is not None  # a foreign key
    return assessment


def organisation_of(session: Session, assessment: Assessment) -> Organisation:
    """The organisation an assessment is of."""
    organisation = session.get(Organisation, assessment.organisation_id)
    assert organisation is not None  # a foreign key
    return organisation


def questionnaire_of(session: Session, catalog: Catalog, assessment: Assessment) -> Questionnaire:
    """The exact questionnaire version the assessment was started with."""
    return questionnaires.for_assessment(session, catalog, assessment)


def saved_answers(session: Session, respondent: Respondent) -> dict[str, StoredAnswer]:
    assert respondent.id is not None
    return {row.question_id: row for row in repo.answers_of(session, [respondent.id])[respondent.id]}


class AssessmentClosed(RuntimeError):
    """The assessment's consultant closed it: no answer changes any more."""


@dataclass(frozen=True, slots=True)
class _Respondent:
    """A respondent as the audit log's actor: the workspace, no user."""

    workspace_id: int
    id: None = None


def answers_locked(session: Session, respondent: Respondent) -> str | None:
    """Why the respondent's link cannot change answers now: "closed" (by the consultant), "finished" (until the
    respondent reopens them), or None."""
    if assessment_of(session, respondent).closed_at is not None:
        return "closed"
    return "finished" if respondent.finished_at is not None else None


def _audit_respondent(session: Session, respondent: Respondent, action: str) -> None:
    """Note a respondent's own step in their consultant's audit log (a self-assessment has none)."""
    organisation = organisation_of(session, assessment_of(session, respondent))
    if organisation.workspace_id is not None:
        record(session, _Respondent(organisation.workspace_id), action, "respondent", respondent.id)  # type: ignore[arg-type]


def reopen_answers(session: Session, catalog: Catalog, respondent: Respondent) -> None:
    """A finished respondent changes their answers again: unfinished (their answers leave the result of record until
    they finish again), noted in the audit log. AssessmentClosed once the consultant closed the assessment."""
    if assessment_of(session, respondent).closed_at is not None:
        raise AssessmentClosed()
    if respondent.finished_at is None:
        return
    respondent.finished_at = None
    session.add(respondent)
    session.flush()
    repo.data_changed(session, [respondent.assessment_id])
    peers.refresh(session, catalog, respondent.assessment_id)
    _audit_respondent(session, respondent, "reopen_answers")


@dataclass(frozen=True, slots=True)
class ShortCheck:
    asked: int  # questions in the short check for this respondent
    total: int  # in the full questionnaire


def short_check_of(session: Session, catalog: Catalog, respondent: Respondent) -> ShortCheck | None:
    """How much of the questionnaire a respondent answering the short check saw (None: the full questionnaire)."""
    if not respondent.short_check:
        return None
    questionnaire = questionnaire_of(session, catalog, assessment_of(session, respondent))
    full = questionnaire.asked(respondent.role)
    return ShortCheck(len(questionnaire.asked(respondent.role, short=True)), len(full))


def continue_in_full(session: Session, catalog: Catalog, respondent: Respondent) -> None:
    """From the short check to the full questionnaire: the answers given stay, the other questions join them, and the
    respondent is unfinished until they finish the whole. AssessmentClosed once the consultant closed it."""
    if assessment_of(session, respondent).closed_at is not None:
        raise AssessmentClosed()
    if not respondent.short_check:
        return
    respondent.short_check = False
    respondent.finished_at = None
    respondent.current_page = 1
    session.add(respondent)
    session.flush()
    repo.data_changed(session, [respondent.assessment_id])
    peers.refresh(session, catalog, respondent.assessment_id)


def set_closed(session: Session, actor: Actor, assessment: Assessment, closed: bool) -> None:
    """Close an assessment (no respondent changes an answer any more) or reopen it; noted in the audit log."""
    if (assessment.closed_at is not None) == closed:
        return
    assessment.closed_at = utcnow() if closed else None
    session.add(assessment)
    session.flush()
    record(session, actor, "close_assessment" if closed else "reopen_assessment", "assessment", assessment.id)


def save_answers(session: Session, catalog: Catalog, respondent: Respondent, changes: Sequence[PageChange], *,
                 page: int | None = None) -> int:
    """Store the questions a respondent changed (from a survey page, or sent through the API); leave every other
    answer alone. `page`: where the respondent resumes next time (None: unchanged). AssessmentClosed when the
    assessment's consultant closed it.
    """
    assert respondent.id is not None
    if assessment_of(session, respondent).closed_at is not None:
        raise AssessmentClosed()
    count = repo.upsert_answers(session, respondent.id, [(c.question_id, c.value, c.comment, c.reason) for c in changes])
    if page is not None:
        respondent.current_page = page
    respondent.updated_at = utcnow()
    session.add(respondent)
    session.flush()
    if respondent.finished_at is not None and count:
        peers.refresh(session, catalog, respondent.assessment_id)  # a finished respondent's change moves the result
    return count


def finish(session: Session, catalog: Catalog, respondent: Respondent) -> None:
    """Mark the respondent finished: their answers now count in the assessment's result of record."""
    if respondent.finished_at is None:
        respondent.finished_at = utcnow()
        session.add(respondent)
        session.flush()
        repo.data_changed(session, [respondent.assessment_id])
        peers.refresh(session, catalog, respondent.assessment_id)


def evaluate_respondent(
    session: Session, catalog: Catalog, questionnaire: Questionnaire, assessment: Assessment, respondent: Respondent,
) -> tuple[Evaluation, Response]:
    """Score one respondent against the assessment's targets (once per change: assess.services.derived)."""
    def compute() -> tuple[Evaluation, Response]:
        response = to_response(respondent, list(saved_answers(session, respondent).values()), questionnaire)
        targets: Mapping[str, int] | None = assessment.targets
        settings = PlanSettings.of(assessment.capacity, assessment.focus)
        return evaluate(questionnaire, [response], targets=targets, settings=settings), response

    return derived.memoised(session, catalog, "respondent", assessment, questionnaire, (respondent.id,), compute)


@dataclass(frozen=True, slots=True)
class ReviewDimension:
    page: int
    title: str
    unanswered: list[str]  # question texts without an answer
    scored: bool  # False: too few levels (or too many "not applicable") for a reliable score
    levels: int  # questions answered with a level
    dont_know: int
    questions: int


@dataclass(frozen=True, slots=True)
class Review:
    """What a respondent checks before finishing: what is unanswered, and which dimensions will get no score."""

    answered: int
    total: int
    dimensions: list[ReviewDimension]
    min_coverage: float

    @property
    def missing(self) -> list[ReviewDimension]:
        return [d for d in self.dimensions if d.unanswered]

    @property
    def unscored(self) -> list[ReviewDimension]:
        return [d for d in self.dimensions if not d.scored]


def review(session: Session, catalog: Catalog, respondent: Respondent, lang: str) -> Review:
    """The review page's facts, from the same evaluation as the result (so "scored" means what the result shows)."""
    assessment = assessment_of(session, respondent)
    questionnaire = questionnaire_of(session, catalog, assessment)
    saved = saved_answers(session, respondent)
    evaluation, _response = evaluate_respondent(session, catalog, questionnaire, assessment, respondent)
    results = {d.dimension_id: d for d in evaluation.card.dimensions}
    dimensions = []
    asked = questions_asked(questionnaire, respondent)
    for page, dimension in enumerate(questionnaire.dimensions, start=1):
        questions = [q for q in dimension.questions if q.id in asked]
        values = [saved[q.id].value if q.id in saved else None for q in questions]
        dimensions.append(ReviewDimension(
            page, dimension.title.get(lang),
            [q.text.get(lang) for q, v in zip(questions, values, strict=True) if v is None],
            results[dimension.id].reliable, sum(1 for v in values if v is not None and v.isdigit()),
            sum(1 for v in values if v == "dont_know"), len(questions)))
    return Review(sum(1 for q, r in saved.items() if r.value and q in asked), len(asked), dimensions,
                  questionnaire.scoring.min_coverage)


def questions_asked(questionnaire: Questionnaire, respondent: Respondent) -> frozenset[str]:
    """The ids of the questions put to `respondent` (their role's; the short check's while they answer it)."""
    asked = asked_of(questionnaire, respondent)
    return frozenset(q.id for q in questionnaire.questions()) if asked is None else asked


@dataclass(frozen=True, slots=True)
class ShownAnswer:
    question: str
    value: str | None  # "1".."5", "dont_know", "na", None (unanswered)
    level_text: str
    comment: str
    reason: str


def answers_by_dimension(session: Session, catalog: Catalog, respondent: Respondent,
                         lang: str) -> list[tuple[str, list[ShownAnswer]]]:
    """The respondent's answers as they read them back: per dimension, each question with its level's words."""
    questionnaire = questionnaire_of(session, catalog, assessment_of(session, respondent))
    lang = questionnaire.language(lang)
    saved = saved_answers(session, respondent)
    asked = questions_asked(questionnaire, respondent)
    shown = []
    for dimension in questionnaire.dimensions:
        rows = []
        for question in dimension.questions:
            if question.id not in asked:
                continue
            row = saved.get(question.id)
            value = row.value if row else None
            text = question.level_text(int(value), lang) if value is not None and value.isdigit() else ""
            rows.append(ShownAnswer(question.text.get(lang), value, text, row.comment if row else "",
                                    row.reason if row else ""))
        if rows:  # a dimension with no question for this respondent is left out
            shown.append((dimension.title.get(lang), rows))
    return shown
