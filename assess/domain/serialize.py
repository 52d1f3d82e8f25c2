"""The stable JSON shape of a result (the output of `assess score` and the API).

Documented in README.md ("Result JSON"). Add keys freely; never rename or
remove one without bumping RESULT_FORMAT.
"""

from __future__ import annotations

from typing import Any

from assess.domain.evaluation import Evaluation
from assess.domain.explain import explain_gate_condition, explain_reason, level_name
from assess.domain.roadmap import Gate, Phase, PlannedMeasure
from assess.domain.rules import Flag
from assess.domain.scoring import DimensionResult, QuestionResult
from assess.domain.stats import Stats

RESULT_FORMAT = 1


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


def _question(ev: Evaluation, r: QuestionResult, lang: str) -> dict[str, Any]:
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
    }


def _flag(f: Flag, lang: str) -> dict[str, Any]:
    return {
        "rule": f.rule_id, "kind": f.kind, "message": f.message.get(lang),
        "dimensions": list(f.dimensions), "questions": list(f.questions),
        "evidence": [{"subject": e.subject, "ref": e.ref, "level": _r(e.level, 2)} for e in f.evidence],
    }


def _gate(ev: Evaluation, gate: Gate, lang: str) -> dict[str, Any]:
    return {
        "conditions": [
            {"subject": c.subject, "ref": c.ref, "min_level": c.min_level, "current": _r(c.current, 2),
             "text": explain_gate_condition(ev.questionnaire, c, lang)}
            for c in gate.conditions
        ],
        "kpis": [{"measure": m, "text": t.get(lang)} for m, t in gate.kpis],
    }


def _measure(ev: Evaluation, p: PlannedMeasure, lang: str) -> dict[str, Any]:
    m = p.measure
    return {
        "id": m.id, "title": m.title.get(lang), "description": m.description.get(lang),
        "dimension": m.dimension_id, "effort": m.effort.value, "impact": m.impact.value,
        "duration_weeks": m.duration_weeks, "priority": _r(p.priority, 2), "triggered": p.triggered,
        "prerequisites": list(p.prerequisites),
        "why": [
            {"kind": r.kind, "ref": r.ref, "level": _r(r.level, 2), "threshold": r.threshold, "by": r.by,
             "text": explain_reason(ev.questionnaire, r, lang)}
            for r in p.reasons
        ],
    }


def _phase(ev: Evaluation, phase: Phase, lang: str) -> dict[str, Any]:
    return {
        "number": phase.number, "start_week": phase.start_week, "duration_weeks": phase.duration_weeks,
        "measures": [_measure(ev, p, lang) for p in phase.measures],
        "gate": _gate(ev, phase.gate, lang),
    }


def evaluation_to_dict(ev: Evaluation, lang: str | None = None) -> dict[str, Any]:
    """Render `ev` as the documented result JSON, texts in `lang`."""
    q, card = ev.questionnaire, ev.card
    lang = lang if lang in q.languages else q.languages[0]
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
        "questions": [_question(ev, r, lang) for r in card.questions.values()],
        "disagreements": [r.question_id for r in card.disagreements],
        "flags": [_flag(f, lang) for f in ev.flags],
        "roadmap": {
            "total_weeks": ev.roadmap.total_weeks,
            "entry": _gate(ev, ev.roadmap.entry, lang),
            "phases": [_phase(ev, p, lang) for p in ev.roadmap.phases],
        },
    }
