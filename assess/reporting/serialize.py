"""The stable JSON shape of a result (the output of `assess score` and the API).

Documented in README.md ("Result JSON"). Add keys freely; never rename or
remove one without bumping RESULT_FORMAT. Format 2 (roadmap engine 2): phases
are quarters of a plan scheduled within a capacity; `roadmap.entry` is gone
(conditions nothing in the plan builds are `roadmap.assumptions`); added
`roadmap.settings`, `quick_wins`, `backlog`, per measure `start_week`,
`end_week`, `phase` and `builds`, per gate `week`, `appendix`, `in_progress`;
per question `split`; with several respondents `roles`, `perception_gap`,
`findings` and `agenda` (empty or null for one respondent).
"""

from __future__ import annotations

from typing import Any

from assess.domain.evaluation import Evaluation
from assess.domain.perception import FRONT_LINE_ROLES, MANAGEMENT_ROLES
from assess.domain.questionnaire import Text
from assess.domain.roadmap import Gate, GateCondition, Phase, PlannedMeasure
from assess.domain.rules import Flag
from assess.domain.scoring import DimensionResult, QuestionResult
from assess.domain.stats import Stats
from assess.reporting.explain import explain_gate_condition, explain_reason, level_name

RESULT_FORMAT = 2


def _r(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _stats(stats: Stats | None) -> dict[str, Any] | None:
    if stats is None:
        return None
    return {
        "n": stats.n, "mean": _r(stats.mean, 2), "median": _r(stats.median, 2),
        "min": _r(stats.min, 2), "max": _r(stats.max, 2), "spread": _r(stats.spread, 2),
        "stdev": _r(stats.stdev, 2),
    }


def _level(reached: int | None, lang: str) -> str | None:
    return None if reached is None else level_name(reached, lang)


def _dimension(ev: Evaluation, d: DimensionResult, lang: str) -> dict[str, Any]:
    q = ev.questionnaire
    return {
        "id": d.dimension_id,
        "title": q.dimension(d.dimension_id).title.get(lang),
        "weight": d.weight,
        "score": _r(d.score),
        "level": _r(d.level, 2),
        "reached_level": d.reached_level,
        "level_name": _level(d.reached_level, lang),
        "target": d.target,
        "gap": _r(d.gap, 2),
        "reliable": d.reliable,
        "coverage": _r(d.coverage, 3),
        "na_share": _r(d.na_share, 3),
        "dont_know_share": _r(d.dont_know_share, 3),
        "answered": d.answered,
        "questions": d.questions,
        "computed_score": _r(d.computed_score),
        "why": [
            {"question": c.question_id, "text": q.question(c.question_id).text.get(lang),
             "level": _r(c.level, 2), "score": _r(c.score), "weight": c.weight, "share": _r(c.share, 3)}
            for c in d.contributions
        ],
        "respondent_scores": _stats(d.respondent_scores),
    }


def question_to_dict(ev: Evaluation, r: QuestionResult, lang: str) -> dict[str, Any]:
    """One question's entry of the result JSON."""
    return {
        "id": r.question_id,
        "dimension": r.dimension_id,
        "text": ev.questionnaire.question(r.question_id).text.get(lang),
        "level": _r(r.level, 2),
        "score": _r(r.score),
        "respondents": r.respondents,
        "levels_given": r.levels_given,
        "dont_know": r.dont_know,
        "not_applicable": r.not_applicable,
        "stats": _stats(r.stats),
        "disagreement": r.disagreement,
        "consensus": r.consensus,
        "split": r.split,
    }


def _flag(f: Flag, lang: str) -> dict[str, Any]:
    return {
        "rule": f.rule_id, "kind": f.kind, "message": f.message.get(lang),
        "dimensions": list(f.dimensions), "questions": list(f.questions),
        "evidence": [{"subject": e.subject, "ref": e.ref, "level": _r(e.level, 2)} for e in f.evidence],
    }


def _condition(ev: Evaluation, c: GateCondition, lang: str) -> dict[str, Any]:
    return {"subject": c.subject, "ref": c.ref, "min_level": c.min_level, "current": _r(c.current, 2),
            "by": c.by, "for_next_phase": c.for_next, "text": explain_gate_condition(ev.questionnaire, c, lang)}


def _gate(ev: Evaluation, gate: Gate, lang: str) -> dict[str, Any]:
    return {
        "week": gate.week,
        "conditions": [_condition(ev, c, lang) for c in gate.conditions],
        "appendix": [_condition(ev, c, lang) for c in gate.appendix],
        "in_progress": list(gate.in_progress),
        "kpis": [_kpi(m, t, lang) for m, t in gate.kpis],
        "appendix_kpis": [_kpi(m, t, lang) for m, t in gate.more_kpis],
    }


def _kpi(measure_id: str, text: Text, lang: str) -> dict[str, Any]:
    # baseline, target and owner are filled in by the consultant (the action plan); none comes from the answers
    return {"measure": measure_id, "text": text.get(lang), "baseline": None, "target": None, "owner": None}


def _measure(ev: Evaluation, p: PlannedMeasure, lang: str) -> dict[str, Any]:
    m = p.measure
    return {
        "id": m.id, "title": m.title.get(lang), "description": m.description.get(lang),
        "dimension": m.dimension_id, "effort": m.effort.value, "impact": m.impact.value,
        "duration_weeks": m.duration_weeks, "priority": _r(p.priority, 2), "triggered": p.triggered,
        "prerequisites": list(p.prerequisites), "phase": p.phase, "start_week": p.start_week, "end_week": p.end_week,
        "builds": {"from": m.level_from, "to": m.level_to}, "track": m.track.value,
        "why": [
            {"kind": r.kind, "ref": r.ref, "level": _r(r.level, 2), "threshold": r.threshold, "by": r.by,
             "weak": list(r.weak), "text": explain_reason(ev.questionnaire, r, lang)}
            for r in p.reasons
        ],
    }


def _phase(ev: Evaluation, phase: Phase, lang: str) -> dict[str, Any]:
    return {
        "number": phase.number, "start_week": phase.start_week, "duration_weeks": phase.duration_weeks,
        "measures": [_measure(ev, p, lang) for p in phase.measures],
        "gate": _gate(ev, phase.gate, lang),
    }


def _roadmap(ev: Evaluation, lang: str) -> dict[str, Any]:
    rm = ev.roadmap
    settings = rm.settings
    return {
        "settings": {"capacity": settings.capacity, "focus": settings.focus, "phase_weeks": settings.phase_weeks,
                     "gate_items": settings.gate_items, "quick_win_weeks": settings.quick_win_weeks},
        "total_weeks": rm.total_weeks,
        "phases": [_phase(ev, p, lang) for p in rm.phases],
        "quick_wins": [_measure(ev, p, lang) for p in rm.quick_wins],
        "backlog": [_measure(ev, p, lang) for p in rm.backlog],
        "assumptions": [_condition(ev, c, lang) for c in rm.assumptions],
    }


def _respondents(ev: Evaluation, lang: str) -> dict[str, Any]:
    """Several respondents: scores by role, the perception gap, "don't know" findings, the workshop agenda."""
    q = ev.questionnaire
    gap = ev.perception
    return {
        "roles": [{"role": r.role, "respondents": r.respondents,
                   "scores": {d: _r(s) for d, s in r.scores.items()},
                   "dont_know": {d: _r(s, 3) for d, s in r.dont_know.items()}} for r in ev.roles],
        "perception_gap": None if gap is None else {
            "management_roles": list(MANAGEMENT_ROLES), "front_line_roles": list(FRONT_LINE_ROLES),
            "dimensions": {d: _r(g) for d, g in gap.gaps.items()}, "index": _r(gap.index)},
        "findings": [{"kind": "dont_know", "role": f.role, "dimension": f.dimension_id, "share": _r(f.share, 3)}
                     for f in ev.findings],
        "agenda": [{"question": a.question_id, "text": q.question(a.question_id).text.get(lang),
                    "relevance": _r(a.relevance, 2), "spread": _r(a.spread, 2),
                    "by_role": {role: list(levels) for role, levels in a.by_role.items()},
                    "split": a.split, "in_roadmap": a.in_roadmap} for a in ev.agenda],
    }


def evaluation_to_dict(ev: Evaluation, lang: str | None = None) -> dict[str, Any]:
    """Render `ev` as the documented result JSON, texts in `lang`."""
    q, card = ev.questionnaire, ev.card
    lang = q.language(lang)
    overall = card.overall
    return {
        "format": RESULT_FORMAT,
        "questionnaire": {"id": q.id, "version": q.version, "title": q.title.get(lang)},
        "language": lang,
        "respondents": card.respondents,
        "overall": {
            "score": _r(overall.score), "level": _r(overall.level, 2),
            "reached_level": overall.reached_level, "level_name": _level(overall.reached_level, lang),
            "balance": _r(overall.balance), "coverage": _r(overall.coverage, 3),
            "na_share": _r(overall.na_share, 3), "excluded_dimensions": list(overall.excluded),
        },
        "dimensions": [_dimension(ev, d, lang) for d in card.dimensions],
        "questions": [question_to_dict(ev, r, lang) for r in card.questions.values()],
        "disagreements": [r.question_id for r in card.disagreements],
        "flags": [_flag(f, lang) for f in ev.flags],
        **_respondents(ev, lang),
        "roadmap": _roadmap(ev, lang),
    }
