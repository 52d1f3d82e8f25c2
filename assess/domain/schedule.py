"""When each measure runs: by its dependencies, within a capacity; phases and the quality gates between them.

The rules (also in the report's method section and the README):

1. A measure starts as soon as every measure it waits for is done and fewer
   than `capacity` measures (3 by default: "how many initiatives can you run
   in parallel") are running; among those that could start, the most urgent
   goes first (what resolves an isolated-solution risk, with its foundations,
   before the rest). No measure waits for the slowest one of a phase.
2. Phases are the board's grouping: windows of `phase_weeks` (13, a quarter).
   A measure belongs to the phase in which it starts; a phase ends in a gate at
   the end of its window (the last one when the last measure is done). A last
   window shorter than a third of a phase joins the one before: no board meets
   for a gate one week after the previous one.
3. A gate holds only what the work before it can reach: the levels the
   measures finished by then are to reach, and first among them the conditions
   that measures of the next phase need, once every measure that builds them is
   done (a condition nothing builds is an assumption of the plan, never a gate
   item); then the KPIs of the finished measures. At most `gate_items` (6)
   items are in the gate itself, two of them kept for KPIs where there are
   any; the rest is in its appendix. Measures still running at a gate are
   named as in progress, never as a condition.
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
    """The phases that have a measure starting or ending in them; the last one ends with the last measure
    (and takes in a tail shorter than a third of a phase)."""
    if not slots:
        return []
    total = max(s.end_week for s in slots.values())
    numbers = sorted({s.start_week // phase_weeks + 1 for s in slots.values()}
                     | {max(0, s.end_week - 1) // phase_weeks + 1 for s in slots.values()})
    found = [Window(n, (n - 1) * phase_weeks, min(n * phase_weeks, total)) for n in numbers]
    if len(found) > 1 and found[-2].end_week == found[-1].start_week \
            and 3 * (found[-1].end_week - found[-1].start_week) < phase_weeks:
        found[-2:] = [Window(found[-2].number, found[-2].start_week, total)]
    return found


def window_of(week: int, found: Sequence[Window]) -> Window:
    """The window a measure starting in `week` belongs to."""
    return next(w for w in found if w.start_week <= week < w.end_week)


def build_gate(
    window: Window, previous_end: int, slots: Mapping[str, Slot], targets: Mapping[str, Sequence[GateCondition]],
    needs: Mapping[str, Sequence[Condition]], next_starts: Sequence[str],
    builders: Mapping[tuple[str, Condition], Sequence[str]], measures: Mapping[str, Measure],
    current: Mapping[tuple[str, str], float | None], gate_items: int,
) -> Gate:
    """The gate at the end of `window`: what the measures finished since the previous gate are to reach.

    `targets`: per measure, the levels it is to reach; `needs`: per measure, its open conditions;
    `builders`: per (measure, open condition), the measures that build it, in the order they run;
    `current`: the levels now, per (subject, ref).
    """
    finished = [m for m, s in slots.items() if previous_end < s.end_week <= window.end_week]
    done_by_now = {m for m, s in slots.items() if s.end_week <= window.end_week}
    wanted: dict[tuple[str, str], GateCondition] = {}
    for measure in next_starts:  # first: what the next phase needs, once all the work that builds it is done
        for condition in needs.get(measure, ()):
            own = [b for b in builders.get((measure, condition), ()) if b in slots]
            if condition.min_level is None or condition.subject == "count" or not own \
                    or not all(b in done_by_now for b in own):
                continue  # nothing builds it (an assumption), or the work is still running
            key = (condition.subject, condition.ref)
            last = max(own, key=lambda b: (measures[b].level_to, -own.index(b)))  # the band that reaches furthest
            reach = min(condition.min_level, measures[last].level_to)  # what the work can reach
            level = max(reach, wanted[key].min_level) if key in wanted else reach
            wanted[key] = GateCondition(condition.subject, condition.ref, level, current.get(key), last, True)
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
    shown = items[:gate_items - min(2, len(kpis))]  # the levels first, with room kept for two KPIs
    room = max(0, gate_items - len(shown))
    return Gate(tuple(shown), tuple(kpis[:room]), tuple(items[gate_items:]), in_progress, window.end_week,
                tuple(kpis[room:]))
