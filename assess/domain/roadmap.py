"""The roadmap: triggered measures plus their foundations, in phases with quality gates.

How it is built (also shown in the report's method section):

1. A measure is *triggered* when one of its triggers fires: a question or a
   dimension below the trigger's level and below its target, or an
   isolated-solution rule that fires.
2. Every prerequisite measure of an included measure is included too. A
   condition prerequisite ("question X at level 3 or more") that is not met
   pulls in the measures that address X, and becomes part of the quality gate.
3. Phases: a measure goes into the first phase after all of its
   prerequisites. A condition that nothing in the plan addresses stays in the
   gate before the measure's phase (for phase 1: the entry conditions).
4. Within a phase, measures are ordered by priority = gap x weight x impact /
   effort (gap in levels, weight = question weight x dimension weight, impact
   and effort 1..3; a fired rule counts as a gap of 2). A measure included as
   a prerequisite is as urgent as the most urgent measure that waits for it.
5. The gate after a phase lists the levels its measures are to reach, the
   conditions the next phase needs, and the measures' KPIs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from assess.domain.questionnaire import Condition, Measure, Questionnaire, Text
from assess.domain.rules import Flag, condition_holds, subject_level
from assess.domain.scoring import ScoreCard

RULE_GAP = 2.0  # a fired isolated-solution rule weighs like a two-level gap


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a measure is in the roadmap."""

    kind: str  # "question" | "dimension" | "rule" | "required_by" | "condition"
    ref: str
    level: float | None = None  # current level of the question or dimension
    threshold: float | None = None  # the level it is to reach
    by: str | None = None  # the measure that needs this one

    @property
    def gap(self) -> float:
        if self.kind == "rule":
            return RULE_GAP
        if self.level is None or self.threshold is None:
            return 0.0
        return max(0.0, self.threshold - self.level)


@dataclass(frozen=True, slots=True)
class PlannedMeasure:
    measure: Measure
    phase: int
    priority: float
    reasons: tuple[Reason, ...]
    prerequisites: tuple[str, ...]  # measure ids in the plan this one waits for
    triggered: bool  # False: only included as a foundation for another measure

    @property
    def id(self) -> str:
        return self.measure.id


@dataclass(frozen=True, slots=True)
class GateCondition:
    subject: str  # "question" | "dimension"
    ref: str
    min_level: float
    current: float | None


@dataclass(frozen=True, slots=True)
class Gate:
    conditions: tuple[GateCondition, ...]
    kpis: tuple[tuple[str, Text], ...]  # (measure id, KPI)


@dataclass(frozen=True, slots=True)
class Phase:
    number: int
    measures: tuple[PlannedMeasure, ...]
    gate: Gate
    start_week: int
    duration_weeks: int


@dataclass(frozen=True, slots=True)
class Roadmap:
    phases: tuple[Phase, ...]
    flags: tuple[Flag, ...] = field(default=())
    entry: Gate = Gate((), ())  # conditions to meet before phase 1 starts

    @property
    def measures(self) -> list[PlannedMeasure]:
        return [m for phase in self.phases for m in phase.measures]

    @property
    def total_weeks(self) -> int:
        return sum(p.duration_weeks for p in self.phases)


def _threshold(questionnaire: Questionnaire, card: ScoreCard, subject: str, ref: str, below: int) -> float:
    dimension_id = questionnaire.question(ref).dimension_id if subject == "question" else ref
    return float(min(below, card.dimension(dimension_id).target))


def _trigger_reasons(
    questionnaire: Questionnaire, card: ScoreCard, measure: Measure, fired: set[str]
) -> list[Reason]:
    reasons = []
    for trigger in measure.triggers:
        if trigger.subject == "rule":
            if trigger.ref in fired:
                reasons.append(Reason("rule", trigger.ref))
            continue
        assert trigger.below is not None
        level = subject_level(card, trigger.subject, trigger.ref)
        threshold = _threshold(questionnaire, card, trigger.subject, trigger.ref, trigger.below)
        if level is not None and level < threshold:
            reasons.append(Reason(trigger.subject, trigger.ref, level, threshold))
    return reasons


def _addressing(questionnaire: Questionnaire, condition: Condition, exclude: str) -> list[str]:
    """Measures that name the condition's question or dimension in a trigger."""
    return [
        m.id
        for m in questionnaire.measures
        if m.id != exclude
        and any(t.subject == condition.subject and t.ref == condition.ref for t in m.triggers)
    ]


def _weight(questionnaire: Questionnaire, reason: Reason, measure: Measure) -> float:
    if reason.kind == "question":
        question = questionnaire.question(reason.ref)
        return question.weight * questionnaire.dimension(question.dimension_id).weight
    if reason.kind == "dimension":
        return questionnaire.dimension(reason.ref).weight
    return questionnaire.dimension(measure.dimension_id).weight


def _own_priority(questionnaire: Questionnaire, measure: Measure, reasons: Iterable[Reason]) -> float:
    urgency = max((r.gap * _weight(questionnaire, r, measure) for r in reasons), default=0.0)
    return urgency * measure.impact.rank / measure.effort.rank


@dataclass(slots=True)
class _Plan:
    reasons: dict[str, list[Reason]] = field(default_factory=dict)
    deps: dict[str, set[str]] = field(default_factory=dict)
    open_conditions: dict[str, list[Condition]] = field(default_factory=dict)


def _close_over_prerequisites(questionnaire: Questionnaire, card: ScoreCard, plan: _Plan) -> None:
    queue = list(plan.reasons)
    while queue:
        measure = questionnaire.measure(queue.pop(0))
        deps = plan.deps.setdefault(measure.id, set())
        needed: list[tuple[str, Condition | None]] = [(p, None) for p in measure.requires_measures]
        for condition in measure.requires_conditions:
            if condition_holds(card, condition):
                continue
            plan.open_conditions.setdefault(measure.id, []).append(condition)
            needed += [(a, condition) for a in _addressing(questionnaire, condition, measure.id)]
        for prerequisite, waits_on in needed:
            deps.add(prerequisite)
            kind = "required_by" if waits_on is None else "condition"
            ref = prerequisite if waits_on is None else waits_on.ref
            reason = Reason(kind, ref, by=measure.id, threshold=waits_on.min_level if waits_on else None)
            if prerequisite not in plan.reasons:
                plan.reasons[prerequisite] = []
                queue.append(prerequisite)
            if reason not in plan.reasons[prerequisite]:
                plan.reasons[prerequisite].append(reason)


def _phases(plan: _Plan, order: Sequence[str]) -> dict[str, int]:
    phase: dict[str, int] = {}

    def place(measure_id: str) -> int:
        if measure_id not in phase:
            deps = plan.deps.get(measure_id, set())
            phase[measure_id] = max([1, *(place(d) + 1 for d in sorted(deps))])
        return phase[measure_id]

    for measure_id in order:
        place(measure_id)
    return phase


def _priorities(questionnaire: Questionnaire, plan: _Plan, phase: dict[str, int]) -> dict[str, float]:
    priority = {
        m: _own_priority(questionnaire, questionnaire.measure(m), plan.reasons[m]) for m in phase
    }
    # Later phases first, so a foundation inherits from everything that waits on it.
    for measure_id in sorted(phase, key=lambda m: -phase[m]):
        for dep in plan.deps.get(measure_id, ()):
            priority[dep] = max(priority[dep], priority[measure_id])
    return priority


def _gate(
    card: ScoreCard, measures: Sequence[PlannedMeasure],
    next_measures: Sequence[PlannedMeasure], plan: _Plan,
) -> Gate:
    wanted: dict[tuple[str, str], float] = {}
    for planned in measures:
        for reason in planned.reasons:
            if reason.kind in ("question", "dimension") and reason.threshold is not None:
                key = (reason.kind, reason.ref)
                wanted[key] = max(wanted.get(key, 0.0), reason.threshold)
    for planned in next_measures:
        for condition in plan.open_conditions.get(planned.id, ()):
            if condition.min_level is not None:
                key = (condition.subject, condition.ref)
                wanted[key] = max(wanted.get(key, 0.0), condition.min_level)
    conditions = tuple(
        GateCondition(subject, ref, level, subject_level(card, subject, ref))
        for (subject, ref), level in wanted.items()
    )
    kpis = tuple((p.id, kpi) for p in measures for kpi in p.measure.kpis)
    return Gate(conditions, kpis)


def build_roadmap(questionnaire: Questionnaire, card: ScoreCard, flags: Sequence[Flag]) -> Roadmap:
    """Plan the measures that close the gaps in `card`, foundations first."""
    fired = {flag.rule_id for flag in flags}
    plan = _Plan()
    for measure in questionnaire.measures:
        reasons = _trigger_reasons(questionnaire, card, measure, fired)
        if reasons:
            plan.reasons[measure.id] = reasons
    triggered = set(plan.reasons)
    _close_over_prerequisites(questionnaire, card, plan)
    order = [m.id for m in questionnaire.measures if m.id in plan.reasons]
    phase = _phases(plan, order)
    priority = _priorities(questionnaire, plan, phase)
    planned = [
        PlannedMeasure(
            questionnaire.measure(m), phase[m], round(priority[m], 6), tuple(plan.reasons[m]),
            tuple(d for d in order if d in plan.deps.get(m, ())), m in triggered,
        )
        for m in order
    ]
    planned.sort(key=lambda p: (p.phase, -p.priority, p.measure.effort.rank, p.id))
    numbers = sorted({p.phase for p in planned})
    by_phase = {n: [p for p in planned if p.phase == n] for n in numbers}
    phases, start = [], 0
    for number in numbers:
        following = by_phase.get(number + 1, [])
        duration = max(p.measure.duration_weeks for p in by_phase[number])
        gate = _gate(card, by_phase[number], following, plan)
        phases.append(Phase(number, tuple(by_phase[number]), gate, start, duration))
        start += duration
    entry = _gate(card, [], by_phase.get(1, []), plan)
    return Roadmap(tuple(phases), tuple(flags), entry)
