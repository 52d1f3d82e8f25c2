"""When each measure runs: by its dependencies, within a capacity; phases and the quality gates between them.

The rules (also in the report's method section and the README):

1. A measure starts as soon as every measure it waits for is done and fewer
   than `capacity` measures (3 by default: "how many initiatives can you run
   in parallel") are running; among those that could start, the most urgent
   goes first. No measure waits for the slowest one of a phase.
2. Phases are the board's grouping: windows of `phase_weeks` (13, a quarter).
   A measure belongs to the phase in which it starts; a phase ends in a gate at
   the end of its window (the last one when the last measure is done).
3. A gate holds only what the work before it can reach: the levels the
   measures finished by then are to reach, and first among them the conditions
   that measures of the next phase need, then the KPIs of the finished
   measures. At most `gate_items` (6) items are in the gate itself, the rest in
   its appendix. Measures still running at a gate are named as in progress,
   never as a condition.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assess.domain.questionnaire import Condition, Measure, Text


@dataclass(frozen=True, slots=True)
class Slot:
    """When a measure runs."""

    measure_id: str
    start_week: int
    end_week: int


def schedule(order: Sequence[Measure], deps: Mapping[str, set[str]], capacity: int) -> dict[str, Slot]:
    """Start each measure once its prerequisites are done, at most `capacity` at once, `order` = urgency."""
    capacity = max(1, capacity)
    pending = list(order)
    included = {m.id for m in order}
    done: dict[str, int] = {}  # measure -> week it ends
    running: list[Slot] = []
    slots: dict[str, Slot] = {}
    week = 0
    while pending or running:
        finished = [s for s in running if s.end_week <= week]
        for slot in finished:
            done[slot.measure_id] = slot.end_week
            running.remove(slot)
        for measure in list(pending):
            if len(running) >= capacity:
                break
            if all(d in done for d in deps.get(measure.id, ()) if d in included):
                slot = Slot(measure.id, week, week + measure.duration_weeks)
                running.append(slot)
                slots[measure.id] = slot
                pending.remove(measure)
        if not running:
            break  # nothing can run: a dependency outside the plan (the selection prevents it)
        week = min(s.end_week for s in running)
    return slots


@dataclass(frozen=True, slots=True)
class GateCondition:
    subject: str  # "question" | "group" | "dimension"
    ref: str
    min_level: float
    current: float | None
    by: str | None = None  # the measure whose work reaches it
    for_next: bool = False  # a measure of the next phase needs it


@dataclass(frozen=True, slots=True)
class Gate:
    conditions: tuple[GateCondition, ...]  # what the board checks: with the KPIs, at most `gate_items`
    kpis: tuple[tuple[str, Text], ...]  # (measure id, KPI) of the measures finished by the gate, as many as fit
    appendix: tuple[GateCondition, ...] = ()  # the rest of what the finished work reaches
    in_progress: tuple[str, ...] = ()  # measures still running at the gate
    week: int = 0  # when the gate is held (end of the phase)
    more_kpis: tuple[tuple[str, Text], ...] = ()  # the KPIs that did not fit in the gate itself


@dataclass(frozen=True, slots=True)
class Window:
    number: int
    start_week: int
    end_week: int


def windows(slots: Mapping[str, Slot], phase_weeks: int) -> list[Window]:
    """The phases that have a measure starting or ending in them; the last one ends with the last measure."""
    if not slots:
        return []
    total = max(s.end_week for s in slots.values())
    numbers = sorted({s.start_week // phase_weeks + 1 for s in slots.values()}
                     | {max(0, s.end_week - 1) // phase_weeks + 1 for s in slots.values()})
    return [Window(n, (n - 1) * phase_weeks, min(n * phase_weeks, total)) for n in numbers]


def build_gate(
    window: Window, previous_end: int, slots: Mapping[str, Slot], targets: Mapping[str, Sequence[GateCondition]],
    needs: Mapping[str, Sequence[Condition]], next_starts: Sequence[str], builders: Mapping[str, set[str]],
    measures: Mapping[str, Measure], current: Mapping[tuple[str, str], float | None], gate_items: int,
) -> Gate:
    """The gate at the end of `window`: what the measures finished since the previous gate are to reach.

    `targets`: per measure, the levels it is to reach; `needs`: per measure, its open conditions;
    `builders`: per measure, the measures it waits for; `current`: the levels now, per (subject, ref).
    """
    finished = [m for m, s in slots.items() if previous_end < s.end_week <= window.end_week]
    done_by_now = {m for m, s in slots.items() if s.end_week <= window.end_week}
    wanted: dict[tuple[str, str], GateCondition] = {}
    for measure in next_starts:  # first: what the next phase needs, if the work so far reaches it
        for condition in needs.get(measure, ()):
            reached_by = [b for b in builders.get(measure, ()) if b in done_by_now]
            if condition.min_level is None or condition.subject == "count" or not reached_by:
                continue
            key = (condition.subject, condition.ref)
            reach = min(condition.min_level, max(measures[b].level_to for b in reached_by))  # what the work can reach
            level = max(reach, wanted[key].min_level) if key in wanted else reach
            wanted[key] = GateCondition(condition.subject, condition.ref, level, current.get(key), reached_by[0], True)
    for measure in finished:
        for target in targets.get(measure, ()):
            key = (target.subject, target.ref)
            if key not in wanted:
                wanted[key] = target
            elif target.min_level > wanted[key].min_level:
                wanted[key] = GateCondition(target.subject, target.ref, target.min_level, target.current,
                                            wanted[key].by, wanted[key].for_next)
    items = list(wanted.values())
    in_progress = tuple(m for m, s in slots.items() if s.start_week < window.end_week < s.end_week)
    kpis = [(m, kpi) for m in finished for kpi in measures[m].kpis]
    shown = items[:gate_items]
    room = max(0, gate_items - len(shown))  # a gate of at most `gate_items`: the levels first, then their KPIs
    return Gate(tuple(shown), tuple(kpis[:room]), tuple(items[gate_items:]), in_progress, window.end_week,
                tuple(kpis[room:]))
