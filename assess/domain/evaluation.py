"""One call from answers to scores, flags and roadmap."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assess.domain.answers import Response
from assess.domain.questionnaire import Questionnaire
from assess.domain.roadmap import Roadmap, build_roadmap
from assess.domain.rules import Flag, evaluate_rules
from assess.domain.scoring import ScoreCard, score_responses


@dataclass(frozen=True, slots=True)
class Evaluation:
    questionnaire: Questionnaire
    card: ScoreCard
    flags: tuple[Flag, ...]
    roadmap: Roadmap


def evaluate(
    questionnaire: Questionnaire,
    responses: Sequence[Response],
    *,
    targets: Mapping[str, int] | None = None,
    consensus: Mapping[str, int] | None = None,
) -> Evaluation:
    """Score `responses`, evaluate the isolated-solution rules and plan the roadmap."""
    card = score_responses(questionnaire, responses, targets=targets, consensus=consensus)
    flags = tuple(evaluate_rules(questionnaire, card))
    return Evaluation(questionnaire, card, flags, build_roadmap(questionnaire, card, flags))
