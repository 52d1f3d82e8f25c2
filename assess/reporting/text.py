"""A plain-text rendering of the result JSON, for the terminal."""

from __future__ import annotations

from typing import Any

_LABELS: dict[str, dict[str, Any]] = {
    "en": {
        "overall": "Overall index", "balance": "Balance index", "level": "level",
        "not_reliable": "not reliably scored", "coverage": "coverage", "na": "not applicable",
        "flags": "Isolated-solution risks", "none": "none", "roadmap": "Roadmap",
        "phase": "Phase", "weeks": "weeks", "from_week": "from week", "gate": "Quality gate",
        "why": "why", "needs": "needs", "target": "target", "respondents": "respondents",
        "low": "low", "medium": "medium", "high": "high", "effort": "effort", "impact": "impact",
        "week": "week", "capacity": "at most {capacity} measures at once",
        "quick_wins": "Quick wins and containment (first {weeks} weeks)",
        "appendix": "(and {count} more in the appendix)", "in_progress": "still running", "kpi": "KPI",
        "assumptions": "The plan assumes (no measure builds it)", "backlog": "Backlog (not scheduled yet)",
        "by_role": "By role", "gap": "Perception gap (management minus service, points)", "gap_index": "index",
        "dont_know": "{role}: \"don't know\" to {share} of the questions on \"{dimension}\"",
        "agenda": "Workshop agenda: questions where respondents disagree by 2+ levels, by relevance",
        "split": "split",
        "roles": {"executive": "Executive", "management": "Management", "service_staff": "Service staff",
                  "it": "IT", "other": "Other"},
    },
    "de": {
        "overall": "Gesamtindex", "balance": "Balance-Index", "level": "Stufe",
        "not_reliable": "nicht verlässlich bewertet", "coverage": "Abdeckung", "na": "nicht zutreffend",
        "flags": "Insellösungs-Risiken", "none": "keine", "roadmap": "Roadmap",
        "phase": "Phase", "weeks": "Wochen", "from_week": "ab Woche", "gate": "Quality Gate",
        "why": "warum", "needs": "setzt voraus", "target": "Ziel", "respondents": "Teilnehmende",
        "low": "gering", "medium": "mittel", "high": "hoch", "effort": "Aufwand", "impact": "Nutzen",
        "week": "Woche", "capacity": "höchstens {capacity} Maßnahmen gleichzeitig",
        "quick_wins": "Sofortmaßnahmen und Schadensbegrenzung (erste {weeks} Wochen)",
        "appendix": "(und {count} weitere im Anhang)", "in_progress": "läuft noch", "kpi": "Kennzahl",
        "assumptions": "Der Plan setzt voraus (keine Maßnahme baut es auf)",
        "backlog": "Weitere Maßnahmen (noch nicht eingeplant)",
        "by_role": "Nach Rolle", "gap": "Wahrnehmungslücke (Führung minus Service, Punkte)", "gap_index": "Index",
        "dont_know": "{role}: „weiß nicht“ bei {share} der Fragen zu „{dimension}“",
        "agenda": "Workshop-Agenda: Fragen mit 2+ Stufen Abweichung, nach Relevanz", "split": "gespalten",
        "roles": {"executive": "Geschäftsführung", "management": "Führungskräfte", "service_staff": "Service",
                  "it": "IT", "other": "Sonstige"},
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
    lines += _respondent_lines(result, t, lang)
    lines += _roadmap_lines(result["roadmap"], t)
    return "\n".join(lines) + "\n"


def _respondent_lines(result: dict[str, Any], t: dict[str, Any], lang: str) -> list[str]:
    """Several respondents: scores by role, the perception gap, "don't know" findings, the workshop agenda."""
    lines: list[str] = []
    titles = {d["id"]: d["title"] for d in result["dimensions"]}
    roles = t["roles"]
    if len(result["roles"]) > 1:
        lines += ["", f"{t['by_role']}:"]
        for role in result["roles"]:
            scores = " · ".join(f"{titles[d][:18]} {_num(s, lang)}" for d, s in role["scores"].items())
            lines.append(f"  {roles.get(role['role'], role['role'])} ({role['respondents']}): {scores}")
    gap = result["perception_gap"]
    if gap:
        parts = " · ".join(f"{titles[d][:18]} {'+' if g > 0 else ''}{_num(g, lang)}" for d, g in gap["dimensions"].items())
        lines.append(f"  {t['gap']}: {parts}; {t['gap_index']} {_num(gap['index'], lang)}")
    for finding in result["findings"]:
        lines.append("  ? " + t["dont_know"].format(role=roles.get(finding["role"], finding["role"]),
                                                   share=_pct(finding["share"]), dimension=titles[finding["dimension"]]))
    if result["agenda"]:
        lines += ["", f"{t['agenda']}:"]
        for item in result["agenda"]:
            given = "; ".join(f"{roles.get(r, r)} {', '.join(str(v) for v in levels)}" for r, levels in item["by_role"].items())
            split = f" [{t['split']}]" if item["split"] else ""
            lines.append(f"  - {item['text']}{split} ({given})")
    return lines


def _measure_line(m: dict[str, Any], t: dict[str, Any]) -> list[str]:
    weeks = (f"{t['week']} {m['start_week'] + 1}–{m['end_week']}" if m["start_week"] is not None
             else f"{m['duration_weeks']} {t['weeks']}")
    head = f"    - {m['title']} [{weeks}; {t['effort']} {t[m['effort']]}, {t['impact']} {t[m['impact']]}]"
    return [head, *(f"        {t['why']}: {w['text']}" for w in m["why"])]


def _gate_lines(gate: dict[str, Any], titles: dict[str, str], t: dict[str, Any]) -> list[str]:
    if not (gate["conditions"] or gate["kpis"] or gate["in_progress"]):
        return []
    lines = [f"    {t['gate']} ({t['week']} {gate['week']}):"]
    lines += [f"      [ ] {c['text']}" for c in gate["conditions"]]
    lines += [f"      [ ] {t['kpi']}: {k['text']}" for k in gate["kpis"]]
    if more := len(gate["appendix"]) + len(gate["appendix_kpis"]):
        lines.append(f"      {t['appendix'].format(count=more)}")
    if gate["in_progress"]:
        lines.append(f"      {t['in_progress']}: {', '.join(titles.get(m, m) for m in gate['in_progress'])}")
    return lines


def _roadmap_lines(roadmap: dict[str, Any], t: dict[str, Any]) -> list[str]:
    settings = roadmap["settings"]
    lines = ["", f"{t['roadmap']} ({roadmap['total_weeks']} {t['weeks']}; "
             f"{t['capacity'].format(capacity=settings['capacity'])}):"]
    if roadmap["quick_wins"]:
        lines.append(f"  {t['quick_wins'].format(weeks=settings['quick_win_weeks'])}:")
        for m in roadmap["quick_wins"]:
            lines += _measure_line(m, t)
    if not roadmap["phases"]:
        lines.append(f"  {t['none']}")
    titles = {m["id"]: m["title"] for phase in roadmap["phases"] for m in phase["measures"]}
    for phase in roadmap["phases"]:
        lines.append(f"  {t['phase']} {phase['number']} ({t['week']} {phase['start_week'] + 1}–"
                     f"{phase['start_week'] + phase['duration_weeks']})")
        for m in phase["measures"]:
            lines += _measure_line(m, t)
        lines += _gate_lines(phase["gate"], titles, t)
    if roadmap["assumptions"]:
        lines.append(f"  {t['assumptions']}:")
        lines += [f"    - {c['text']}" for c in roadmap["assumptions"]]
    if roadmap["backlog"]:
        lines.append(f"  {t['backlog']}:")
        lines += [f"    - {m['title']}" for m in roadmap["backlog"]]
    return lines
