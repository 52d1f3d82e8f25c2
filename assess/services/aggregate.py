"""Results across respondents: progress, the aggregate evaluation, consensus, follow-ups (peers: peers.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, select

from assess.catalog import Catalog
from assess.db import repo
from assess.db.models import Assessment, Consensus, Respondent, utcnow
from assess.domain.answers import Response
from assess.domain.evaluation import Evaluation, evaluate
from assess.domain.levels import MAX_LEVEL, MIN_LEVEL, is_level
from assess.domain.questionnaire import Questionnaire
from assess.domain.roadmap import PlanSettings
from assess.services import derived, peers, questionnaires
from assess.services.clients import respondents_of
from assess.services.responses import to_response


@dataclass(frozen=True, slots=True)
class Progress:
    respondent: Respondent
    answered: int
    total: int

    @property
    def status(self) -> str:
        if self.respondent.revoked_at is not None:
            return "revoked"
        if self.respondent.finished_at is not None:
            return "finished"
        return "started" if self.answered else "invited"


def responses(session: Session, assessment_id: int,
              questionnaire: Questionnaire) -> tuple[list[Respondent], list[Response]]:
    """Every respondent of an assessment with their answers (and the questions put to each): two queries."""
    rows = respondents_of(session, assessment_id)
    answers = repo.answers_of(session, [r.id for r in rows if r.id is not None])
    return rows, [to_response(r, answers[r.id], questionnaire) for r in rows if r.id is not None]


def progress(session: Session, questionnaire: Questionnaire, assessment_id: int) -> list[Progress]:
    rows, found = responses(session, assessment_id, questionnaire)
    return [Progress(r, len(resp.answers), questionnaire.question_count if resp.asked is None else len(resp.asked))
            for r, resp in zip(rows, found, strict=True)]


def consensus_of(session: Session, assessment_id: int) -> dict[str, Consensus]:
    query = select(Consensus).where(Consensus.assessment_id == assessment_id)
    return {row.question_id: row for row in session.exec(query)}


def record_consensus(session: Session, catalog: Catalog, assessment: Assessment, question_id: str,
                     level: int | None, note: str, user_id: int | None) -> None:
    """Set (or with level None, clear) the agreed level of one question; the result of record follows."""
    assert assessment.id is not None
    assessment_id = assessment.id
    questionnaire = questionnaires.for_assessment(session, catalog, assessment)
    if not questionnaire.has_question(question_id):
        raise ValueError(f"unknown question '{question_id}'")
    if level is not None and not is_level(level):
        raise ValueError(f"the consensus level must be {MIN_LEVEL}-{MAX_LEVEL}")
    existing = consensus_of(session, assessment_id).get(question_id)
    if level is None:
        if existing is not None:
            session.delete(existing)
            session.flush()
    else:
        row = existing or Consensus(assessment_id=assessment_id, question_id=question_id, level=level)
        row.level, row.note, row.decided_by, row.updated_at = level, note.strip()[:2000], user_id, utcnow()
        session.add(row)
        session.flush()
    repo.data_changed(session, [assessment_id])
    peers.refresh(session, catalog, assessment_id)


@dataclass(frozen=True, slots=True)
class AssessmentResult:
    evaluation: Evaluation
    responses: list[Response]
    previous: Evaluation | None
    previous_assessment: Assessment | None


def evaluate_assessment(session: Session, catalog: Catalog, assessment: Assessment, *,
                        with_consensus: bool = True) -> AssessmentResult:
    """The aggregate of all respondents (consensus levels take precedence), and the previous run's.

    Each is computed once per change of its inputs and then reused by the result page, the PDF, the API
    and the workshop (see `_evaluated`); a follow-up evaluates its previous run, not the whole chain.
    """
    evaluation, found = _evaluated(session, catalog, assessment, with_consensus)
    previous_row = session.get(Assessment, assessment.previous_id) if assessment.previous_id else None
    previous = _evaluated(session, catalog, previous_row, True)[0] if previous_row is not None else None
    return AssessmentResult(evaluation, list(found), previous, previous_row)


def _evaluated(session: Session, catalog: Catalog, assessment: Assessment,
               with_consensus: bool) -> tuple[Evaluation, tuple[Response, ...]]:
    """The evaluation of one assessment, once per change of its inputs (assess.services.derived)."""
    assert assessment.id is not None
    assessment_id = assessment.id
    questionnaire = questionnaires.for_assessment(session, catalog, assessment)

    def compute() -> tuple[Evaluation, tuple[Response, ...]]:
        _, found = responses(session, assessment_id, questionnaire)
        agreed = {q: c.level for q, c in consensus_of(session, assessment_id).items()} if with_consensus else {}
        evaluation = evaluate(questionnaire, found, targets=assessment.targets, consensus=agreed,
                              settings=PlanSettings.of(assessment.capacity, assessment.focus))
        return evaluation, tuple(found)

    return derived.memoised(session, catalog, "assessment", assessment, questionnaire, (with_consensus,), compute)


def follow_ups(session: Session, assessment_id: int) -> Sequence[Assessment]:
    return list(session.exec(select(Assessment).where(Assessment.previous_id == assessment_id)))
