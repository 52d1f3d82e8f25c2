"""Which measures a company needs: triggers on questions, foundations credited, priorities, the focus.

The rules (also in the report's method section and the README):

1. A measure is *triggered* when one of its triggers fires. A question trigger
   fires when the question's level is at least the level the measure builds
   from and below the trigger's level and the dimension's target. A group or
   dimension trigger fires through its questions, never its average: when one
   of the measure's own questions in it is in that band (a group's questions
   at 1 and 5 are no "3"), so an average can neither hide a weak question nor
   prescribe work for questions already there. A rule trigger fires with its
   isolated-solution rule, when the measure's level band holds one of its own
   questions (or none of them is known).
2. A prerequisite enters the plan only when the foundation it builds is not in
   place: a prerequisite measure when one of its own questions is below the
   level it builds (or unknown); a condition ("question X at level 3") when it
   does not hold, through the measures that build X from where it stands, band
   after band (1->3, then 3->4) until the level asked for is reached; each band's
   work waits for the one before. Otherwise the waiting measure says
   "foundation in place: X at level N". What no measure can build (all of it,
   or the rest above the last band) is an assumption of the plan.
3. Priority = (the largest gap x weight, plus 3 x the dimension weight for each
   fired isolated-solution rule the measure resolves) x impact / effort (gap in
   levels below the threshold; weight = question weight x dimension weight;
   impact 1..3; effort divides by 1, 1.5 or 2). A prerequisite is as urgent as
   the most urgent measure that waits for it, through any number of steps.
   Ties go to the smaller effort, then to the order of the questionnaire's
   catalogue.
4. Focus: the triggered measures are the goals: first those that resolve a
   fired isolated-solution rule, then the others, each by its own priority;
   each goal enters the plan with the prerequisites it needs, in that order,
   until the next goal would not fit into `focus` measures (5 by default; the
   most urgent goal is taken with all its foundations even when they are more);
   a lesser goal jumps the queue only while the plan holds fewer than three
   measures. The rest is the backlog. The plan runs in the same spirit: the
   measures that resolve a risk, with their foundations, before the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from assess.domain.questionnaire import Condition, Measure, Questionnaire, Track, Trigger
from assess.domain.rules import condition_holds, subject_level
from assess.domain.scoring import ScoreCard

THIN_PLAN = 3  # below this many measures, a goal that fits may pass one that does not
RULE_GAP = 3.0  # a fired isolated-solution rule weighs like a three-level gap: islands are what the plan is for


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a measure is in the roadmap, or why a foundation it needs is not."""

    kind: str  # "question" | "group" | "dimension" | "rule" | "required_by" | "condition" | "foundation_in_place"
    ref: str
    level: float | None = None  # the current level of the question, group or dimension
    threshold: float | None = None  # the level it is to reach
    by: str | None = None  # required_by/condition: the measure that waits; foundation_in_place: the measure not needed
    weak: tuple[str, ...] = ()  # group and dimension triggers: the questions in the measure's band
    weakest: float | None = None  # group and dimension triggers: the lowest level among `weak`

    @property
    def gap(self) -> float:
        if self.kind == "rule":
            return RULE_GAP
        level = self.weakest if self.weakest is not None else self.level
        if self.kind not in ("question", "group", "dimension") or level is None or self.threshold is None:
            return 0.0
        return max(0.0, self.threshold - level)


@dataclass(slots=True)
class Selection:
    """The measures a company needs, with why, what each waits for, and how urgent it is."""

    reasons: dict[str, list[Reason]] = field(default_factory=dict)
    deps: dict[str, set[str]] = field(default_factory=dict)  # measure -> measures it waits for
    open_conditions: dict[str, list[Condition]] = field(default_factory=dict)  # measure -> conditions not met
    # (measure, open condition) -> the measures that build it, band by band, in the order they run
    condition_builders: dict[tuple[str, Condition], list[str]] = field(default_factory=dict)
    assumptions: list[tuple[str, Condition]] = field(default_factory=list)  # (measure, condition nothing builds)
    triggered: set[str] = field(default_factory=set)
    own: dict[str, float] = field(default_factory=dict)  # from the measure's own reasons
    priority: dict[str, float] = field(default_factory=dict)  # inherited from what waits for it


def own_questions(questionnaire: Questionnaire, measure: Measure) -> list[str]:
    """The questions a measure works on: those its triggers name (groups and dimensions through their questions)."""
    named = [t for t in measure.triggers if t.subject != "rule"]
    direct = [t.ref for t in named if t.subject == "question"]
    direct += [q for t in named if t.subject == "group" for q in questionnaire.group(t.ref).question_ids]
    if not direct:
        direct = [q.id for t in named if t.subject == "dimension" for q in questionnaire.dimension(t.ref).questions]
    return list(dict.fromkeys(direct))


def _dimension_of(questionnaire: Questionnaire, subject: str, ref: str) -> str:
    if subject == "question":
        return questionnaire.question(ref).dimension_id
    if subject == "group":
        return questionnaire.group(ref).dimension_id
    return ref


def threshold(questionnaire: Questionnaire, card: ScoreCard, subject: str, ref: str, below: float) -> float:
    """The level a trigger aims at: its own level, or the dimension's target when that is lower."""
    return float(min(below, card.dimension(_dimension_of(questionnaire, subject, ref)).target))


def _fires(questionnaire: Questionnaire, card: ScoreCard, measure: Measure, trigger: Trigger,
           fired: set[str]) -> Reason | None:
    if trigger.subject == "rule":
        if trigger.ref not in fired:
            return None
        # A rule recommends plan work for where the company stands: not the 3->4 work to a company at 1. A quick
        # win contains the damage the rule names, wherever its questions stand.
        known = [lv for q in own_questions(questionnaire, measure) if (lv := card.question_level(q)) is not None]
        if measure.track is Track.PLAN and known and not any(measure.level_from <= lv < measure.level_to for lv in known):
            return None
        return Reason("rule", trigger.ref)
    assert trigger.below is not None
    level = subject_level(card, trigger.subject, trigger.ref)
    aim = threshold(questionnaire, card, trigger.subject, trigger.ref, trigger.below)
    if trigger.subject == "question":
        return Reason("question", trigger.ref, level, aim) if level is not None and measure.level_from <= level < aim else None
    # A group or dimension fires through its questions, never its average: one at 1 beside one at 5 is no 3.
    members = (questionnaire.group(trigger.ref).question_ids if trigger.subject == "group"
               else [q.id for q in questionnaire.dimension(trigger.ref).questions])
    own = set(own_questions(questionnaire, measure)) & set(members) or set(members)
    levels = {q: lv for q in members if q in own and (lv := card.question_level(q)) is not None}
    weak = tuple(q for q, lv in levels.items() if measure.level_from <= lv < aim)
    if not weak:
        return None
    return Reason(trigger.subject, trigger.ref, level, aim, weak=weak, weakest=min(levels[q] for q in weak))


def trigger_reasons(questionnaire: Questionnaire, card: ScoreCard, measure: Measure, fired: set[str]) -> list[Reason]:
    """Every trigger of `measure` that fires, as a reason."""
    return [r for t in measure.triggers if (r := _fires(questionnaire, card, measure, t, fired)) is not None]


def _foundation_gap(questionnaire: Questionnaire, card: ScoreCard, measure: Measure,
                    fired: set[str]) -> Reason | None:
    """None when what `measure` builds is not in place yet; else the reason it is (its weakest question)."""
    questions = own_questions(questionnaire, measure)
    if not questions:  # only rule triggers: in place when none of its rules fires
        if any(t.ref in fired for t in measure.triggers):
            return None
        return Reason("foundation_in_place", measure.id, by=measure.id)
    levels = []
    for question in questions:
        level = card.question_level(question)
        aim = threshold(questionnaire, card, "question", question, measure.level_to)
        if level is None or level < aim:
            return None
        levels.append((level, question))
    level, question = min(levels)
    return Reason("foundation_in_place", question, level, by=measure.id)


def _builders_in_band(questionnaire: Questionnaire, condition: Condition, level: float | None,
                      exclude: str) -> list[str]:
    """Plan measures that work on the condition's subject and whose band holds `level` (unknown: the basics)."""
    related = {(condition.subject, condition.ref)}
    if condition.subject == "question":
        related |= {("group", g.id) for g in questionnaire.groups if condition.ref in g.question_ids}
    elif condition.subject == "group":
        related |= {("question", q) for q in questionnaire.group(condition.ref).question_ids}
    found = []
    for m in questionnaire.measures_triggered_by(related):
        if m.id == exclude or m.track is not Track.PLAN:
            continue
        if level is None and m.level_from > 1:
            continue  # unknown: start from the basics
        if level is not None and not m.level_from <= level < m.level_to:
            continue
        found.append(m.id)
    return found


def building_chain(questionnaire: Questionnaire, card: ScoreCard, condition: Condition,
                   exclude: str) -> tuple[list[list[str]], float | None]:
    """The measures that build the condition's subject from where it stands, band by band (each band's
    measures in catalog order), and the level the last band reaches (None: nothing builds it)."""
    if condition.subject == "group":  # the band must hold the weakest member, not the group's average
        levels = [lv for q in questionnaire.group(condition.ref).question_ids
                  if (lv := card.question_level(q)) is not None]
        level: float | None = min(levels) if levels else None
    else:
        level = subject_level(card, condition.subject, condition.ref)
    bands: list[list[str]] = []
    reach: float | None = None
    seen: set[str] = set()
    while True:
        band = [m for m in _builders_in_band(questionnaire, condition, level, exclude) if m not in seen]
        if not band:
            break
        bands.append(band)
        seen |= set(band)
        reach = float(max(questionnaire.measure(m).level_to for m in band))
        if condition.min_level is None or reach >= condition.min_level:
            break
        level = reach  # the next band starts where this one ends
    return bands, reach


def _add(selection: Selection, measure_id: str, reason: Reason, queue: list[str]) -> None:
    if measure_id not in selection.reasons:
        selection.reasons[measure_id] = []
        queue.append(measure_id)
    if reason not in selection.reasons[measure_id]:
        selection.reasons[measure_id].append(reason)


def _close_over_prerequisites(questionnaire: Questionnaire, card: ScoreCard, selection: Selection,
                              fired: set[str]) -> None:
    queue = list(selection.reasons)
    while queue:
        measure = questionnaire.measure(queue.pop(0))
        selection.deps.setdefault(measure.id, set())
        for prerequisite in measure.requires_measures:
            _require_measure(questionnaire, card, selection, fired, measure, prerequisite, queue)
        for condition in measure.requires_conditions:
            _require_condition(questionnaire, card, selection, measure, condition, queue)


def _require_measure(questionnaire: Questionnaire, card: ScoreCard, selection: Selection, fired: set[str],
                     measure: Measure, prerequisite: str, queue: list[str]) -> None:
    """Credit the prerequisite measure's foundation, or plan it."""
    in_place = _foundation_gap(questionnaire, card, questionnaire.measure(prerequisite), fired)
    if in_place is not None:
        if in_place not in selection.reasons[measure.id]:
            selection.reasons[measure.id].append(in_place)
        return
    selection.deps[measure.id].add(prerequisite)
    _add(selection, prerequisite, Reason("required_by", prerequisite, by=measure.id), queue)


def _require_condition(questionnaire: Questionnaire, card: ScoreCard, selection: Selection, measure: Measure,
                       condition: Condition, queue: list[str]) -> None:
    """Credit a condition that holds, or plan the work that builds it band by band (the rest is assumed)."""
    if condition_holds(card, condition):
        level = subject_level(card, condition.subject, condition.ref)
        selection.reasons[measure.id].append(Reason("foundation_in_place", condition.ref, level))
        return
    selection.open_conditions.setdefault(measure.id, []).append(condition)
    bands, reach = building_chain(questionnaire, card, condition, measure.id)
    if reach is None or (condition.min_level is not None and reach < condition.min_level):
        selection.assumptions.append((measure.id, condition))  # nothing builds it, or not all the way
    selection.condition_builders[(measure.id, condition)] = [b for band in bands for b in band]
    reason = Reason("condition", condition.ref, by=measure.id, threshold=condition.min_level)
    for earlier, band in zip([[], *bands], bands, strict=False):
        for builder in band:
            selection.deps[measure.id].add(builder)
            for before in earlier:  # 3->4 work after the 1->3 work, never in a cycle
                if builder not in _closure(before, selection.deps):
                    selection.deps.setdefault(builder, set()).add(before)
            _add(selection, builder, reason, queue)


def _weight(questionnaire: Questionnaire, reason: Reason, measure: Measure) -> float:
    if reason.kind == "question":
        question = questionnaire.question(reason.ref)
        return question.weight * questionnaire.dimension(question.dimension_id).weight
    if reason.kind in ("group", "dimension"):  # the heaviest of the weak questions that make it fire
        dimension = questionnaire.group(reason.ref).dimension_id if reason.kind == "group" else reason.ref
        heaviest = max((questionnaire.question(q).weight for q in reason.weak), default=1.0)
        return heaviest * questionnaire.dimension(dimension).weight
    return questionnaire.dimension(measure.dimension_id).weight


EFFORT_DIVISOR = {1: 1.0, 2: 1.5, 3: 2.0}  # low, medium, high: effort counts, but never more than twice


def own_priority(questionnaire: Questionnaire, measure: Measure, reasons: Iterable[Reason]) -> float:
    """(the largest gap x weight + each fired rule it resolves) x impact / effort."""
    reasons = list(reasons)
    gaps = max((r.gap * _weight(questionnaire, r, measure) for r in reasons if r.kind != "rule"), default=0.0)
    rules = sum(r.gap * _weight(questionnaire, r, measure) for r in reasons if r.kind == "rule")
    return (gaps + rules) * measure.impact.rank / EFFORT_DIVISOR[measure.effort.rank]


def resolves_a_risk(selection: Selection, measure_id: str) -> bool:
    return any(r.kind == "rule" for r in selection.reasons.get(measure_id, ()))


def inherited_priorities(own: Mapping[str, float], deps: Mapping[str, set[str]]) -> dict[str, float]:
    """Each measure as urgent as the most urgent measure that waits for it, directly or through others."""
    waiting: dict[str, set[str]] = {m: set() for m in own}
    for measure, prerequisites in deps.items():
        for prerequisite in prerequisites:
            waiting.setdefault(prerequisite, set()).add(measure)
    result: dict[str, float] = {}

    def priority(measure: str) -> float:  # the graph is acyclic (the catalog refuses cycles)
        if measure not in result:
            result[measure] = max([own.get(measure, 0.0), *(priority(w) for w in sorted(waiting.get(measure, ())))])
        return result[measure]

    for measure in own:
        priority(measure)
    return result


def select(questionnaire: Questionnaire, card: ScoreCard, fired: set[str]) -> Selection:
    """Every plan measure a company needs (triggered, and the foundations those need), with priorities."""
    selection = Selection()
    for measure in questionnaire.measures:
        if measure.track is not Track.PLAN:
            continue
        reasons = trigger_reasons(questionnaire, card, measure, fired)
        if reasons:
            selection.reasons[measure.id] = reasons
    selection.triggered = set(selection.reasons)
    _close_over_prerequisites(questionnaire, card, selection, fired)
    selection.own = {m: own_priority(questionnaire, questionnaire.measure(m), r) for m, r in selection.reasons.items()}
    selection.priority = inherited_priorities(selection.own, selection.deps)
    return selection


def _closure(measure: str, deps: Mapping[str, set[str]]) -> set[str]:
    found, queue = {measure}, [measure]
    while queue:
        for dep in deps.get(queue.pop(), ()):
            if dep not in found:
                found.add(dep)
                queue.append(dep)
    return found


def rank(questionnaire: Questionnaire, selection: Selection, ids: Iterable[str], *, own: bool = False) -> list[str]:
    """Most urgent first (inherited priority, or with `own` the measure's own); ties: less effort, questionnaire order."""
    order = {m.id: i for i, m in enumerate(questionnaire.measures)}
    values = selection.own if own else selection.priority
    return sorted(ids, key=lambda m: (-round(values[m], 9), questionnaire.measure(m).effort.rank, order[m]))


def focus(questionnaire: Questionnaire, selection: Selection, size: int) -> list[str]:
    """The measures the plan schedules: the most urgent goals by their own reasons, each with the foundations
    it needs, up to `size` measures (a foundation is a means, so it does not compete as a goal on its own)."""
    chosen: set[str] = set()
    ranked = rank(questionnaire, selection, selection.triggered, own=True)
    # Islands first: a measure that resolves a fired isolated-solution rule leads, then the rest by priority.
    ranked.sort(key=lambda m: not resolves_a_risk(selection, m))
    for candidate in ranked:
        needed = _closure(candidate, selection.deps)
        if chosen and len(chosen | needed) > size:
            if len(chosen) >= THIN_PLAN:
                break  # the next goal does not fit: a shorter plan rather than a lesser goal jumping the queue
            continue  # too thin a plan yet: the next goal that fits may join
        chosen |= needed
    return islands_first(questionnaire, selection, chosen)


def islands_first(questionnaire: Questionnaire, selection: Selection, ids: Iterable[str]) -> list[str]:
    """`rank`, with the measures that resolve a fired rule and their foundations ahead of the rest."""
    ids = list(ids)
    risky = set().union(*(_closure(m, selection.deps) for m in ids if resolves_a_risk(selection, m)))
    return sorted(rank(questionnaire, selection, ids), key=lambda m: m not in risky)


def quick_wins(questionnaire: Questionnaire, card: ScoreCard, fired: set[str]) -> list[tuple[Measure, list[Reason]]]:
    """Containment measures whose triggers fire, most urgent first."""
    found = [(m, trigger_reasons(questionnaire, card, m, fired)) for m in questionnaire.measures
             if m.track is Track.QUICK_WIN]
    order = {m.id: i for i, m in enumerate(questionnaire.measures)}
    fired_ones = [(m, r) for m, r in found if r]
    return sorted(fired_ones, key=lambda pair: (-round(own_priority(questionnaire, pair[0], pair[1]), 9),
                                                pair[0].effort.rank, order[pair[0].id]))


