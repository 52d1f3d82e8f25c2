"""The workshop: its agenda walked in order, each item agreed or deferred, and what each role answered.

The agenda is the report's (the assessment's one evaluation, assess.domain.perception): the order the
room has on paper. An agreement changes no question's spread, so an agreed item stays on it, marked;
it can only move where the agreed level changes what the roadmap rests on, and the walk then goes on
from where the item is now (`next_item`). An item is *agreed* when the question has a consensus level,
*deferred* when the room set it aside (`Assessment.workshop_deferred`), and *open* otherwise; an
agreement goes before a deferral.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from assess.catalog import Catalog
from assess.db.models import Assessment
from assess.domain.answers import ROLES, Response
from assess.domain.levels import LEVELS
from assess.reporting.labels import N_
from assess.services import aggregate
from assess.services.audit import Actor, record

OPEN, AGREED, DEFERRED = "open", "agreed", "deferred"
STATUS_LABELS = {OPEN: N_("open"), AGREED: N_("agreed in the workshop"), DEFERRED: N_("deferred")}
ANSWER_KEYS = (*(str(level) for level in LEVELS), "dont_know", "na")


@dataclass(frozen=True, slots=True)
class AgendaItem:
    position: int  # 1-based place on the agenda
    question_id: str
    number: int  # the question's place in the questionnaire (the workshop's page of any question)
    text: str
    dimension: str
    spread: float
    split: bool
    in_roadmap: bool
    by_role: dict[str, tuple[int, ...]]  # the levels each role gave
    status: str
    agreed_level: int | None


@dataclass(frozen=True, slots=True)
class RoleLevels:
    """How one role's respondents answered one question: counts only, never names (no respondent agreed to be
    named: the model has no such consent)."""

    role: str
    respondents: int
    counts: dict[str, int]  # "1".."5", "dont_know", "na" -> respondents of the role


def _sort_key(role: str | None) -> tuple[int, str]:
    return (ROLES.index(role), "") if role in ROLES else (len(ROLES), role or "")


def agenda(session: Session, catalog: Catalog, assessment: Assessment, lang: str) -> list[AgendaItem]:
    """The workshop agenda in its order, each item with its status (texts in `lang`)."""
    assert assessment.id is not None
    evaluation = aggregate.evaluate_assessment(session, catalog, assessment).evaluation
    questionnaire = evaluation.questionnaire
    numbers = {q.id: n for n, q in enumerate(questionnaire.questions(), start=1)}
    agreed = aggregate.consensus_of(session, assessment.id)
    deferred = set(assessment.workshop_deferred or ())
    items = []
    for position, entry in enumerate(evaluation.agenda, start=1):
        question = questionnaire.question(entry.question_id)
        consensus = agreed.get(entry.question_id)
        status = AGREED if consensus is not None else DEFERRED if entry.question_id in deferred else OPEN
        items.append(AgendaItem(position, entry.question_id, numbers[entry.question_id], question.text.get(lang),
                                questionnaire.dimension(question.dimension_id).title.get(lang), entry.spread,
                                entry.split, entry.in_roadmap, dict(entry.by_role), status,
                                consensus.level if consensus else None))
    return items


def next_item(items: Sequence[AgendaItem], question_id: str, before: int, *,
              deferred_round: bool = False) -> AgendaItem | None:
    """Where the walk goes on from the question just handled (at `before` if it is no longer on the agenda): the
    next open item (wrapping round to skipped ones); once none is open, in the round of deferred items the next
    deferred one; None when the agenda is done."""
    found = next((item.position for item in items if item.question_id == question_id), None)
    if found is not None:
        later, earlier = items[found:], items[:found - 1]
    else:  # it left the agenda (an agreed level changed the ranking): the item now in its place comes next
        later, earlier = items[max(before - 1, 0):], items[:max(before - 1, 0)]
    for item in (*later, *earlier):
        if item.status == OPEN:
            return item
    if deferred_round:
        return next((item for item in later if item.status == DEFERRED), None)
    return None


def summary(items: Sequence[AgendaItem]) -> dict[str, Any]:
    """How far the walk is: counts per status, the first open and the first deferred item."""
    counts = {status: sum(1 for item in items if item.status == status) for status in STATUS_LABELS}
    return {"total": len(items), **counts, "done": counts[OPEN] == 0,
            "first_open": next((i for i in items if i.status == OPEN), None),
            "first_deferred": next((i for i in items if i.status == DEFERRED), None)}


def agree(session: Session, catalog: Catalog, assessment: Assessment, question_id: str, level: int | None,
          note: str, user_id: int | None, actor: Actor | None = None) -> None:
    """Record the agreed level (None: clear it); an agreed item is no longer deferred. With `actor`, the agreement
    (or the removal of one that was there) is in the audit log; saving "no level" where none was agreed is not."""
    assert assessment.id is not None
    had = question_id in aggregate.consensus_of(session, assessment.id)
    aggregate.record_consensus(session, catalog, assessment, question_id, level, note, user_id)
    if actor is not None and (level is not None or had):
        record(session, actor, "workshop_agree" if level is not None else "workshop_clear", "assessment", assessment.id)
    if level is not None and question_id in (assessment.workshop_deferred or ()):
        _set_deferred(session, assessment, [q for q in assessment.workshop_deferred or () if q != question_id])


def defer(session: Session, assessment: Assessment, question_id: str) -> None:
    """Set the item aside for later (an agreed level, if any, stays the result of record)."""
    deferred = list(assessment.workshop_deferred or ())
    if question_id not in deferred:
        _set_deferred(session, assessment, [*deferred, question_id])


def _set_deferred(session: Session, assessment: Assessment, question_ids: list[str]) -> None:
    assessment.workshop_deferred = question_ids or None  # a new list: a JSON column sees only a replaced value
    session.add(assessment)
    session.flush()


def role_levels(responses: Sequence[Response], question_id: str) -> list[RoleLevels]:
    """Per role, in the roles' order, how many respondents gave each level, "don't know" or "not applicable"."""
    respondents: dict[str, int] = {}
    counts: dict[str, dict[str, int]] = {}
    for response in sorted(responses, key=lambda r: _sort_key(r.role)):
        role = response.role or ""
        respondents[role] = respondents.get(role, 0) + 1
        given = counts.setdefault(role, dict.fromkeys(ANSWER_KEYS, 0))
        answer = response.answers.get(question_id)
        if answer is not None and str(answer.value) in given:
            given[str(answer.value)] += 1
    return [RoleLevels(role, n, counts[role]) for role, n in respondents.items()]


def question_roles(session: Session, catalog: Catalog, assessment: Assessment, question_id: str) -> list[RoleLevels]:
    """What each role answered to one question, from the responses the result is computed from."""
    return role_levels(aggregate.evaluate_assessment(session, catalog, assessment).responses, question_id)


def agreed_levels(session: Session, catalog: Catalog, assessment: Assessment, lang: str) -> list[dict[str, Any]]:
    """Every level agreed in the workshop, in questionnaire order, with what the respondents had said."""
    assert assessment.id is not None
    result = aggregate.evaluate_assessment(session, catalog, assessment)
    questionnaire = result.evaluation.questionnaire
    agreed = aggregate.consensus_of(session, assessment.id)
    rows = []
    for number, question in enumerate(questionnaire.questions(), start=1):
        consensus = agreed.get(question.id)
        if consensus is None:
            continue
        stats = result.evaluation.card.questions[question.id].stats
        rows.append({
            "question": question.id, "number": number, "text": question.text.get(lang),
            "dimension": question.dimension_id,
            "dimension_title": questionnaire.dimension(question.dimension_id).title.get(lang),
            "level": consensus.level, "level_text": question.level_text(consensus.level, lang),
            "respondents_mean": None if stats is None else round(stats.mean, 2),
            "respondents_min": None if stats is None else stats.min,
            "respondents_max": None if stats is None else stats.max,
            "note": consensus.note, "agreed_at": consensus.updated_at.isoformat(),
        })
    return rows
