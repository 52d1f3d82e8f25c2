"""Several respondents: results by role, the perception gap, "don't know" findings, and the workshop agenda.

The formulas (also in the report's method section and the README):

* Scores by role: each role's respondents scored on their own, like an
  assessment of their own (a dimension without enough answers has no score).
* Perception gap per dimension = management's score - the front line's score
  (management: executive and management roles; front line: service staff), in
  points of the 0..100 scale, both scored on the questions put to both sides
  (a question for management only, such as the budget, is left out of it). The perception-gap index is the mean of the
  absolute gaps over the dimensions both sides scored: 0 when both see the same
  company, 25 when they are a whole level apart on average.
* A "don't know" finding: a role whose respondents answered "don't know" to at
  least `DONT_KNOW_FINDING` (30 %) of a dimension's questions (by weight), e.g.
  "service staff do not know the strategy".
* A split answer: the levels given leave a gap of two levels or more between
  neighbours (4 and 1, or 1, 2, 5): two camps, shown as such, never as their mean.
* Workshop agenda: the questions where respondents are two levels or more apart,
  ranked by relevance = spread x question weight x dimension weight x 1.5 when
  the roadmap (plan or quick wins) depends on the question; at most `AGENDA_SIZE`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assess.domain.answers import ROLES
from assess.domain.questionnaire import Questionnaire
from assess.domain.roadmap import Roadmap
from assess.domain.scoring import ScoreCard, Tally, score_roles

MANAGEMENT_ROLES = ("executive", "management")
FRONT_LINE_ROLES = ("service_staff",)
DONT_KNOW_FINDING = 0.3
AGENDA_SIZE = 10
ROADMAP_RELEVANCE = 1.5


@dataclass(frozen=True, slots=True)
class RoleResult:
    role: str
    respondents: int
    scores: Mapping[str, float | None]  # dimension id -> score (None: not reliably scored for this role)
    dont_know: Mapping[str, float]  # dimension id -> share of "don't know" (by question weight)
    # dimension id -> score on the questions management and the front line were both asked (None: as `scores`)
    compared: Mapping[str, float | None] | None = None


@dataclass(frozen=True, slots=True)
class PerceptionGap:
    gaps: Mapping[str, float]  # dimension id -> management score - front-line score
    index: float  # mean absolute gap


@dataclass(frozen=True, slots=True)
class DontKnowFinding:
    role: str
    dimension_id: str
    share: float


@dataclass(frozen=True, slots=True)
class AgendaItem:
    question_id: str
    relevance: float
    spread: float
    by_role: Mapping[str, tuple[int, ...]]  # role -> the levels its respondents gave (never names)
    split: bool
    in_roadmap: bool


def _role_order(role: str) -> tuple[int, str]:
    return (ROLES.index(role) if role in ROLES else len(ROLES), role)


def role_results(questionnaire: Questionnaire, counted: Tally, card: ScoreCard) -> list[RoleResult]:
    """Each role's respondents scored on their own, against the same targets; roles in a fixed order."""
    targets = {d.dimension_id: d.target for d in card.dimensions}
    cards = score_roles(questionnaire, counted, targets)
    both = _asked_of_both(questionnaire, counted)
    whole = len(both) == sum(1 for _ in questionnaire.questions())
    shared = None if whole or not both else score_roles(questionnaire, counted, targets, only=both)
    return [RoleResult(role, cards[role].respondents, {d.dimension_id: d.score for d in cards[role].dimensions},
                       {d.dimension_id: d.dont_know_share for d in cards[role].dimensions},
                       None if whole else {d.dimension_id: d.score for d in shared[role].dimensions} if shared else {})
            for role in sorted(cards, key=_role_order)]


def _asked_of_both(questionnaire: Questionnaire, counted: Tally) -> set[str]:
    """The questions put to someone of management and to someone of the front line (by their role's questions
    and by the short check): the perception gap compares these only."""
    def asked(roles: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for role in roles:
            respondents, counts = counted.by_role.get(role, (0, {}))
            found |= {q for q, c in counts.items() if (respondents if c.asked is None else c.asked) > 0}
        return found

    return asked(MANAGEMENT_ROLES) & asked(FRONT_LINE_ROLES) if counted.by_role else set()


def _pooled(roles: Sequence[RoleResult], names: Sequence[str], dimension_id: str) -> float | None:
    """The respondent-weighted mean score of some roles in one dimension."""
    pairs = [(score, r.respondents) for r in roles if r.role in names
             and (score := (r.scores if r.compared is None else r.compared).get(dimension_id)) is not None]
    total = sum(n for _, n in pairs)
    return math.fsum(s * n for s, n in pairs if s is not None) / total if total else None


def perception_gap(questionnaire: Questionnaire, roles: Sequence[RoleResult]) -> PerceptionGap | None:
    """Management's view minus the front line's, per dimension, and their mean distance (None without both)."""
    gaps = {}
    for dimension in questionnaire.dimensions:
        top = _pooled(roles, MANAGEMENT_ROLES, dimension.id)
        front = _pooled(roles, FRONT_LINE_ROLES, dimension.id)
        if top is not None and front is not None:
            gaps[dimension.id] = top - front
    if not gaps:
        return None
    return PerceptionGap(gaps, math.fsum(abs(g) for g in gaps.values()) / len(gaps))


def dont_know_findings(roles: Sequence[RoleResult]) -> list[DontKnowFinding]:
    """Where a role does not know: its "don't know" share in a dimension at or above the threshold."""
    return [DontKnowFinding(r.role, d, share) for r in roles for d, share in r.dont_know.items()
            if share + 1e-9 >= DONT_KNOW_FINDING]


def roadmap_questions(questionnaire: Questionnaire, roadmap: Roadmap) -> set[str]:
    """The questions the plan and the quick wins rest on (what made them fire, what they wait for)."""
    found: set[str] = set()
    for planned in (*roadmap.measures, *roadmap.quick_wins):
        for reason in planned.reasons:
            found.update(reason.weak)
            if questionnaire.has_question(reason.ref):
                found.add(reason.ref)
            elif reason.kind == "group":
                found.update(questionnaire.group(reason.ref).question_ids)
    return found


def workshop_agenda(questionnaire: Questionnaire, card: ScoreCard, counted: Tally,
                    roadmap: Roadmap, size: int = AGENDA_SIZE) -> list[AgendaItem]:
    """The disagreements worth the room's time, most relevant first (see the module's formula)."""
    relevant = roadmap_questions(questionnaire, roadmap)
    items = []
    for result in card.disagreements:
        question = questionnaire.question(result.question_id)
        by_role = {role: counts[question.id].levels for role, (_n, counts) in counted.by_role.items()
                   if counts[question.id].levels}
        spread = result.stats.spread if result.stats else 0.0
        in_roadmap = question.id in relevant
        weight = question.weight * questionnaire.dimension(question.dimension_id).weight
        relevance = spread * weight * (ROADMAP_RELEVANCE if in_roadmap else 1.0)
        levels = {r: tuple(sorted(by_role[r])) for r in sorted(by_role, key=_role_order)}
        items.append(AgendaItem(question.id, relevance, spread, levels, result.split, in_roadmap))
    items.sort(key=lambda item: (-round(item.relevance, 9), item.question_id))
    return items[:size]
