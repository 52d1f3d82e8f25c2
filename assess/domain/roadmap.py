"""The roadmap: the few measures that matter first, in dependency order, within a capacity, with gates.

How it is built (also shown in the report's method section): `selection.py` finds
what the company needs and how urgent it is, and cuts it to a focus; `schedule.py`
runs the focus within the capacity and holds a quality gate at the end of each
phase. Beside the plan, a quick-win track contains damage in the first weeks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from assess.domain.questionnaire import Condition, Measure, Questionnaire
from assess.domain.rules import Flag, subject_level
from assess.domain.schedule import Gate, GateCondition, build_gate, schedule, window_of, windows
from assess.domain.scoring import ScoreCard
from assess.domain.selection import Reason, Selection, focus, own_priority, quick_wins, rank, select

__all__ = ["Gate", "GateCondition", "Phase", "PlanSettings", "PlannedMeasure", "Reason", "Roadmap", "build_roadmap"]


CAPACITY_RANGE = (1, 10)
FOCUS_RANGE = (1, 20)


@dataclass(frozen=True, slots=True)
class PlanSettings:
    """What the plan may hold; `capacity` and `focus` are set per assessment."""

    capacity: int = 3  # measures running at once ("how many initiatives can you run in parallel")
    focus: int = 5  # measures in the plan; the rest is the backlog
    phase_weeks: int = 13  # a phase is a quarter
    quick_win_weeks: int = 12
    gate_items: int = 6  # conditions in a gate itself; the rest goes to its appendix
    quick_win_count: int = 4  # quick wins shown; further containment measures join the backlog

    @classmethod
    def of(cls, capacity: int | None = None, focus: int | None = None) -> PlanSettings:
        """The settings of an assessment (None: the default); values outside their range are clamped."""
        default = cls()
        return cls(capacity=_clamp(capacity, default.capacity, CAPACITY_RANGE),
                   focus=_clamp(focus, default.focus, FOCUS_RANGE))


def _clamp(value: int | None, default: int, bounds: tuple[int, int]) -> int:
    return default if value is None else max(bounds[0], min(bounds[1], value))


@dataclass(frozen=True, slots=True)
class PlannedMeasure:
    measure: Measure
    phase: int  # 0: in the backlog, not scheduled
    priority: float
    reasons: tuple[Reason, ...]
    prerequisites: tuple[str, ...]  # measure ids in the plan this one waits for
    triggered: bool  # False: only included as a foundation for another measure
    start_week: int | None = None
    end_week: int | None = None

    @property
    def id(self) -> str:
        return self.measure.id


@dataclass(frozen=True, slots=True)
class Phase:
    number: int
    measures: tuple[PlannedMeasure, ...]  # the measures that start in this phase
    gate: Gate
    start_week: int
    duration_weeks: int


@dataclass(frozen=True, slots=True)
class Roadmap:
    phases: tuple[Phase, ...]
    flags: tuple[Flag, ...] = field(default=())
    quick_wins: tuple[PlannedMeasure, ...] = ()
    backlog: tuple[PlannedMeasure, ...] = ()
    assumptions: tuple[GateCondition, ...] = ()  # conditions the plan needs and no measure builds
    settings: PlanSettings = PlanSettings()

    @property
    def measures(self) -> list[PlannedMeasure]:
        return [m for phase in self.phases for m in phase.measures]

    @property
    def total_weeks(self) -> int:
        return max((m.end_week or 0 for m in self.measures), default=0)


def _targets(questionnaire: Questionnaire, card: ScoreCard, measure_id: str,
             reasons: Sequence[Reason]) -> list[GateCondition]:
    """The levels a measure's work is to reach: what made it fire, or what a waiting measure (in the plan) needs
    from it, never above the level the measure builds."""
    reach = float(questionnaire.measure(measure_id).level_to)
    out = []
    for reason in reasons:
        if reason.kind == "question" and reason.threshold is not None:
            out.append(GateCondition("question", reason.ref, min(reason.threshold, reach), reason.level, measure_id))
        elif reason.kind in ("group", "dimension") and reason.threshold is not None:  # the weak questions, not
            out += [GateCondition("question", q, min(reason.threshold, reach), card.question_level(q), measure_id)
                    for q in reason.weak]  # an average that one strong answer can lift
        elif reason.kind == "condition" and reason.threshold is not None:
            subject = "question" if questionnaire.has_question(reason.ref) else (
                "group" if reason.ref in {g.id for g in questionnaire.groups} else "dimension")
            out.append(GateCondition(subject, reason.ref, min(reason.threshold, reach),
                                     subject_level(card, subject, reason.ref), measure_id))
    return out


def _assumption(card: ScoreCard, condition: Condition) -> GateCondition:
    return GateCondition(condition.subject, condition.ref, condition.min_level or 0,
                         subject_level(card, condition.subject, condition.ref))


def _planned(questionnaire: Questionnaire, selection: Selection, measure_id: str, phase: int,
             start: int | None = None, end: int | None = None, in_plan: set[str] | None = None) -> PlannedMeasure:
    """A measure with its reasons; in the plan, "needed first by" only names measures that are in the plan too."""
    deps = selection.deps.get(measure_id, set())
    prerequisites = tuple(questionnaire.in_catalog_order(d for d in deps if in_plan is None or d in in_plan))
    reasons = tuple(r for r in selection.reasons[measure_id]
                    if in_plan is None or r.kind not in ("required_by", "condition") or r.by in in_plan)
    return PlannedMeasure(questionnaire.measure(measure_id), phase, round(selection.priority[measure_id], 6),
                          reasons, prerequisites, measure_id in selection.triggered, start, end)


def build_roadmap(questionnaire: Questionnaire, card: ScoreCard, flags: Sequence[Flag],
                  settings: PlanSettings | None = None) -> Roadmap:
    """Plan the measures that close the gaps in `card`: the focus, scheduled; the rest as backlog."""
    settings = settings or PlanSettings()
    fired = {flag.rule_id for flag in flags}
    selection = select(questionnaire, card, fired)
    chosen = focus(questionnaire, selection, settings.focus)
    in_plan = set(chosen)
    slots = schedule([questionnaire.measure(m) for m in chosen], selection.deps, settings.capacity)
    starts = sorted(chosen, key=lambda m: (slots[m].start_week, chosen.index(m)))
    plan_windows = windows(slots, settings.phase_weeks)
    phase_of = {m: window_of(slots[m].start_week, plan_windows).number for m in chosen}
    targets = {m: _targets(questionnaire, card, m, _planned(questionnaire, selection, m, 0, in_plan=in_plan).reasons)
               for m in chosen}
    current = {(c.subject, c.ref): c.current for items in targets.values() for c in items}
    phases, previous_end = [], 0
    measures = {m.id: m for m in questionnaire.measures}
    for number, window in enumerate(plan_windows, start=1):  # numbered 1, 2, ... over the phases with work
        following = plan_windows[number].number if number < len(plan_windows) else None
        next_starts = [m for m in starts if phase_of[m] == following]
        gate = build_gate(window, previous_end, slots, targets, selection.open_conditions, next_starts,
                          selection.condition_builders, measures, current, settings.gate_items)
        planned = tuple(_planned(questionnaire, selection, m, number, slots[m].start_week, slots[m].end_week,
                                 in_plan) for m in starts if phase_of[m] == window.number)
        phases.append(Phase(number, planned, gate, window.start_week, window.end_week - window.start_week))
        previous_end = window.end_week
    containment = [
        PlannedMeasure(m, 0, round(own_priority(questionnaire, m, reasons), 6), tuple(reasons), (), True, 0,
                       min(m.duration_weeks, settings.quick_win_weeks))
        for m, reasons in quick_wins(questionnaire, card, fired)]
    wins = tuple(containment[:settings.quick_win_count])
    backlog = tuple(_planned(questionnaire, selection, m, 0) for m in rank(questionnaire, selection,
                                                                             set(selection.reasons) - in_plan))
    backlog += tuple(replace(m, start_week=None, end_week=None) for m in containment[settings.quick_win_count:])
    assumptions = tuple(dict.fromkeys(_assumption(card, c) for m, c in selection.assumptions if m in in_plan))
    return Roadmap(tuple(phases), tuple(flags), wins, backlog, assumptions, settings)
