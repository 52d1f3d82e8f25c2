"""Isolated-solution flags: a capability far ahead of what it depends on."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from assess.domain.questionnaire import Condition, Questionnaire, Rule, RuleKind, Text
from assess.domain.scoring import ScoreCard


@dataclass(frozen=True, slots=True)
class Evidence:
    """A question or dimension a flag is based on, with its current level."""

    subject: str  # "question" | "group" | "dimension"
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
    """The current level of a question, a group or a reliably scored dimension."""
    if subject == "question":
        return card.question_level(ref)
    if subject == "group":
        return card.group_level(ref)
    return card.dimension_level(ref)


def counted(card: ScoreCard, condition: Condition) -> list[tuple[str, float]]:
    """For a count condition: the questions (with their levels) that are in its range."""
    found = [(ref, card.question_level(ref)) for ref in condition.refs]
    return [(ref, level) for ref, level in found if level is not None and condition.holds(level)]


def condition_holds(card: ScoreCard, condition: Condition) -> bool | None:
    """Whether `condition` holds; None when the level is unknown (a count holds or not: unknowns do not count)."""
    if condition.subject == "count":
        return len(counted(card, condition)) >= condition.at_least
    level = subject_level(card, condition.subject, condition.ref)
    return None if level is None else condition.holds(level)


def _gap_evidence(card: ScoreCard, rule: Rule) -> tuple[Evidence, ...] | None:
    """A dimension ahead of another by at least `min_gap` levels."""
    assert rule.ahead and rule.behind and rule.min_gap is not None
    ahead, behind = card.dimension_level(rule.ahead), card.dimension_level(rule.behind)
    if ahead is None or behind is None or ahead - behind < rule.min_gap - 1e-9:
        return None
    return (Evidence("dimension", rule.ahead, ahead), Evidence("dimension", rule.behind, behind))


def _pattern_evidence(card: ScoreCard, rule: Rule) -> tuple[Evidence, ...] | None:
    """Every condition holds; the evidence is each condition's subject with its level."""
    if not all(condition_holds(card, c) for c in rule.conditions):
        return None
    items: list[Evidence] = []
    for c in rule.conditions:
        if c.subject == "count":
            items += [Evidence("question", ref, level) for ref, level in counted(card, c)]
        else:
            level = subject_level(card, c.subject, c.ref)
            assert level is not None
            items.append(Evidence(c.subject, c.ref, level))
    return tuple(items)


# One evidence function per rule kind: a new kind is one entry (and its fields in the questionnaire format).
EVIDENCE: Mapping[RuleKind, Callable[[ScoreCard, Rule], tuple[Evidence, ...] | None]] = {
    RuleKind.DIMENSION_GAP: _gap_evidence,
    RuleKind.PATTERN: _pattern_evidence,
}


def _evaluate(questionnaire: Questionnaire, card: ScoreCard, rule: Rule) -> Flag | None:
    evidence = EVIDENCE[rule.kind](card, rule)
    if evidence is None:
        return None
    dimensions: dict[str, None] = {}
    questions: dict[str, None] = {}
    for item in evidence:
        if item.subject == "question":
            questions[item.ref] = None
            dimensions[questionnaire.question(item.ref).dimension_id] = None
        elif item.subject == "group":
            group = questionnaire.group(item.ref)
            questions.update(dict.fromkeys(group.question_ids))
            dimensions[group.dimension_id] = None
        else:
            dimensions[item.ref] = None
    return Flag(rule.id, rule.kind.value, rule.message, tuple(dimensions), tuple(questions), evidence)


def evaluate_rules(questionnaire: Questionnaire, card: ScoreCard) -> list[Flag]:
    """Return the flags of every rule that fires, in questionnaire order."""
    flags = (_evaluate(questionnaire, card, rule) for rule in questionnaire.rules)
    return [flag for flag in flags if flag is not None]
