"""Isolated-solution flags: a capability far ahead of what it depends on."""

from __future__ import annotations

from dataclasses import dataclass

from assess.domain.questionnaire import Condition, Questionnaire, Rule, RuleKind, Text
from assess.domain.scoring import ScoreCard


@dataclass(frozen=True, slots=True)
class Evidence:
    """A question or dimension a flag is based on, with its current level."""

    subject: str  # "question" | "dimension"
    ref: str
    level: float


@dataclass(frozen=True, slots=True)
class Flag:
    rule_id: str
    kind: str
    message: Text
    dimensions: tuple[str, ...]
    questions: tuple[str, ...]
    evidence: tuple[Evidence, ...]


def subject_level(card: ScoreCard, subject: str, ref: str) -> float | None:
    """The current level of a question or a reliably scored dimension."""
    if subject == "question":
        return card.question_level(ref)
    return card.dimension_level(ref)


def condition_holds(card: ScoreCard, condition: Condition) -> bool | None:
    """Whether `condition` holds; None when the level is unknown."""
    level = subject_level(card, condition.subject, condition.ref)
    return None if level is None else condition.holds(level)


def _evaluate(questionnaire: Questionnaire, card: ScoreCard, rule: Rule) -> Flag | None:
    if rule.kind is RuleKind.DIMENSION_GAP:
        assert rule.ahead and rule.behind and rule.min_gap is not None
        ahead, behind = card.dimension_level(rule.ahead), card.dimension_level(rule.behind)
        if ahead is None or behind is None or ahead - behind < rule.min_gap - 1e-9:
            return None
        evidence: tuple[Evidence, ...] = (
            Evidence("dimension", rule.ahead, ahead), Evidence("dimension", rule.behind, behind))
    else:
        levels = [(c, subject_level(card, c.subject, c.ref)) for c in rule.conditions]
        if any(level is None or not c.holds(level) for c, level in levels):
            return None
        evidence = tuple(Evidence(c.subject, c.ref, level) for c, level in levels if level is not None)
    dimensions: dict[str, None] = {}
    questions: dict[str, None] = {}
    for item in evidence:
        if item.subject == "question":
            questions[item.ref] = None
            dimensions[questionnaire.question(item.ref).dimension_id] = None
        else:
            dimensions[item.ref] = None
    return Flag(rule.id, rule.kind.value, rule.message, tuple(dimensions), tuple(questions), evidence)


def evaluate_rules(questionnaire: Questionnaire, card: ScoreCard) -> list[Flag]:
    """Return the flags of every rule that fires, in questionnaire order."""
    flags = (_evaluate(questionnaire, card, rule) for rule in questionnaire.rules)
    return [flag for flag in flags if flag is not None]
