"""One call from answers to scores, flags and roadmap."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assess.domain.answers import Response
from assess.domain.perception import (
    AgendaItem,
    DontKnowFinding,
    PerceptionGap,
    RoleResult,
    dont_know_findings,
    perception_gap,
    role_results,
    workshop_agenda,
)
from assess.domain.questionnaire import Questionnaire
from assess.domain.roadmap import PlanSettings, Roadmap, build_roadmap
from assess.domain.rules import Flag, evaluate_rules
from assess.domain.scoring import ScoreCard, score_responses, tally


@dataclass(frozen=True, slots=True)
class Evaluation:
    questionnaire: Questionnaire
    card: ScoreCard
    flags: tuple[Flag, ...]
    roadmap: Roadmap
    roles: tuple[RoleResult, ...] = ()  # with several respondents: each role scored on its own
    perception: PerceptionGap | None = None
    findings: tuple[DontKnowFinding, ...] = ()
    agenda: tuple[AgendaItem, ...] = ()


def evaluate(
    questionnaire: Questionnaire,
    responses: Sequence[Response],
    *,
    targets: Mapping[str, int] | None = None,
    consensus: Mapping[str, int] | None = None,
    settings: PlanSettings | None = None,
) -> Evaluation:
    """Score `responses`, evaluate the isolated-solution rules and plan the roadmap."""
    counted = tally(questionnaire, responses)
    card = score_responses(questionnaire, responses, targets=targets, consensus=consensus, counted=counted)
    flags = tuple(evaluate_rules(questionnaire, card))
    roadmap = build_roadmap(questionnaire, card, flags, settings)
    if len(responses) < 2:
        return Evaluation(questionnaire, card, flags, roadmap)
    roles = role_results(questionnaire, counted, card)
    return Evaluation(questionnaire, card, flags, roadmap, tuple(roles), perception_gap(questionnaire, roles),
                      tuple(dont_know_findings(roles)), tuple(workshop_agenda(questionnaire, card, counted, roadmap)))
