"""A questionnaire as plain data or text, as loaded (for `assess questionnaire show`)."""

from __future__ import annotations

from typing import Any

from assess.domain.questionnaire import Questionnaire, Text


def _t(text: Text | None) -> dict[str, str] | None:
    return None if text is None else dict(text.values)


def questionnaire_to_dict(q: Questionnaire) -> dict[str, Any]:
    """Every field of `q`, all languages, with defaults filled in."""
    return {
        "id": q.id, "version": q.version, "languages": list(q.languages),
        "title": _t(q.title), "description": _t(q.description), "estimated_minutes": q.estimated_minutes,
        "scoring": {"min_coverage": q.scoring.min_coverage, "max_na_share": q.scoring.max_na_share},
        "dimensions": [
            {
                "id": d.id, "title": _t(d.title), "description": _t(d.description), "weight": d.weight,
                "target": d.target,
                "questions": [
                    {"id": x.id, "text": _t(x.text), "help": _t(x.help), "weight": x.weight,
                     "allow_na": x.allow_na, "levels": {k: list(v) for k, v in x.levels.items()}}
                    for x in d.questions
                ],
            }
            for d in q.dimensions
        ],
        "measures": [
            {
                "id": m.id, "dimension": m.dimension_id, "title": _t(m.title), "description": _t(m.description),
                "triggers": [{"subject": t.subject, "ref": t.ref, "below": t.below} for t in m.triggers],
                "prerequisites": [{"measure": p} for p in m.requires_measures] + [
                    {c.subject: c.ref, "min_level": c.min_level} for c in m.requires_conditions
                ],
                "effort": m.effort.value, "impact": m.impact.value, "duration_weeks": m.duration_weeks,
                "kpis": [_t(k) for k in m.kpis],
            }
            for m in q.measures
        ],
        "rules": [
            {"id": r.id, "kind": r.kind.value, "message": _t(r.message), "ahead": r.ahead, "behind": r.behind,
             "min_gap": r.min_gap,
             "conditions": [{c.subject: c.ref, "min_level": c.min_level, "max_level": c.max_level} for c in r.conditions]}
            for r in q.rules
        ],
    }


def questionnaire_to_text(q: Questionnaire, lang: str) -> str:
    """A readable outline of `q` in `lang`."""
    lines = [f"{q.title.get(lang)} ({q.id} {q.version}, {', '.join(q.languages)})", ""]
    for d in q.dimensions:
        lines.append(f"{d.title.get(lang)} [{d.id}] weight {d.weight:g}, target {d.target}")
        for x in d.questions:
            na = ", n/a allowed" if x.allow_na else ""
            lines.append(f"  {x.id} (weight {x.weight:g}{na}): {x.text.get(lang)}")
            lines += [f"      {i}. {text}" for i, text in enumerate(x.levels[lang], start=1)]
        lines.append("")
    lines.append("Measures:")
    for m in q.measures:
        needs = ", ".join([*m.requires_measures, *(f"{c.ref}>={c.min_level}" for c in m.requires_conditions)])
        lines.append(f"  {m.id} [{m.dimension_id}, {m.effort.value}/{m.impact.value}, {m.duration_weeks} w]: "
                     f"{m.title.get(lang)}" + (f" (needs {needs})" if needs else ""))
    lines += ["", "Rules:"]
    lines += [f"  {r.id} ({r.kind.value}): {r.message.get(lang)}" for r in q.rules]
    return "\n".join(lines) + "\n"
