"""A plain-text rendering of the result JSON, for the terminal."""

from __future__ import annotations

from typing import Any

_LABELS = {
    "en": {
        "overall": "Overall index", "balance": "Balance index", "level": "level",
        "not_reliable": "not reliably scored", "coverage": "coverage", "na": "not applicable",
        "flags": "Isolated-solution risks", "none": "none", "roadmap": "Roadmap",
        "phase": "Phase", "weeks": "weeks", "from_week": "from week", "gate": "Quality gate",
        "why": "why", "needs": "needs", "target": "target", "respondents": "respondents",
        "disagreements": "Questions where respondents disagree by 2+ levels", "entry": "Before phase 1",
        "low": "low", "medium": "medium", "high": "high", "effort": "effort", "impact": "impact",
    },
    "de": {
        "overall": "Gesamtindex", "balance": "Balance-Index", "level": "Stufe",
        "not_reliable": "nicht verlässlich bewertet", "coverage": "Abdeckung", "na": "nicht zutreffend",
        "flags": "Insellösungs-Risiken", "none": "keine", "roadmap": "Roadmap",
        "phase": "Phase", "weeks": "Wochen", "from_week": "ab Woche", "gate": "Quality Gate",
        "why": "warum", "needs": "setzt voraus", "target": "Ziel", "respondents": "Teilnehmende",
        "disagreements": "Fragen mit 2+ Stufen Abweichung zwischen Teilnehmenden", "entry": "Vor Phase 1",
        "low": "gering", "medium": "mittel", "high": "hoch", "effort": "Aufwand", "impact": "Nutzen",
    },
}


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f} %"


def _num(value: float | None, lang: str) -> str:
    if value is None:
        return "–"
    text = f"{value:.1f}"
    return text.replace(".", ",") if lang == "de" else text


def render_text(result: dict[str, Any]) -> str:
    """Render the result dict of `evaluation_to_dict` for a terminal."""
    lang = result["language"]
    t = _LABELS.get(lang, _LABELS["en"])
    o = result["overall"]
    lines = [
        f"{result['questionnaire']['title']} ({result['questionnaire']['id']} {result['questionnaire']['version']})"
        f" · {result['respondents']} {t['respondents']}",
        "",
        f"{t['overall']}: {_num(o['score'], lang)} / 100 · {t['level']} {_num(o['level'], lang)} ({o['level_name'] or '–'})",
        f"{t['balance']}: {_num(o['balance'], lang)} / 100",
        "",
    ]
    for d in result["dimensions"]:
        if d["reliable"]:
            score = f"{_num(d['score'], lang):>5} · {t['level']} {_num(d['level'], lang)} ({d['level_name']})"
        else:
            score = f"  –   · {t['not_reliable']}"
        lines.append(
            f"  {d['title']:<34} {score} · {t['target']} {d['target']} · "
            f"{t['coverage']} {_pct(d['coverage'])} · {t['na']} {_pct(d['na_share'])}"
        )
    lines += ["", f"{t['flags']}:"]
    lines += [f"  ! {f['message']}" for f in result["flags"]] or [f"  {t['none']}"]
    if result["disagreements"]:
        lines += ["", f"{t['disagreements']}:"]
        by_id = {q["id"]: q for q in result["questions"]}
        for question_id in result["disagreements"]:
            question = by_id[question_id]
            lines.append(f"  - {question['text']} ({question['stats']['min']:.0f}–{question['stats']['max']:.0f})")
    roadmap = result["roadmap"]
    lines += ["", f"{t['roadmap']} ({roadmap['total_weeks']} {t['weeks']}):"]
    if roadmap["entry"]["conditions"]:
        lines.append(f"  {t['entry']}:")
        lines += [f"    [ ] {c['text']}" for c in roadmap["entry"]["conditions"]]
    if not roadmap["phases"]:
        lines.append(f"  {t['none']}")
    for phase in roadmap["phases"]:
        lines.append(
            f"  {t['phase']} {phase['number']} ({t['from_week']} {phase['start_week'] + 1}, "
            f"{phase['duration_weeks']} {t['weeks']})"
        )
        for m in phase["measures"]:
            lines.append(
                f"    - {m['title']} [{t['effort']} {t[m['effort']]}, {t['impact']} {t[m['impact']]}, "
                f"{m['duration_weeks']} {t['weeks']}]"
            )
            lines += [f"        {t['why']}: {w['text']}" for w in m["why"]]
        gate = phase["gate"]
        if gate["conditions"] or gate["kpis"]:
            lines.append(f"    {t['gate']}:")
            lines += [f"      [ ] {c['text']}" for c in gate["conditions"]]
            lines += [f"      [ ] KPI: {k['text']}" for k in gate["kpis"]]
    return "\n".join(lines) + "\n"
