"""A plain-text rendering of the result JSON, for the terminal (its words from the message catalogs)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assess.reporting.catalogs import translations
from assess.reporting.labels import N_, role_label
from assess.reporting.numbers import number, percent

Gettext = Callable[[str], str]


class _M:
    """The messages of the text output (msgids; translated by `_Words`)."""

    dont_know = N_("%(role)s: \"don't know\" to %(share)s of the questions on \"%(dimension)s\"")
    appendix = N_("(and %(count)s more in the appendix)")
    backlog = N_("Backlog (not scheduled yet)")
    balance_index = N_("Balance index")
    by_role = N_("By role")
    isolated_solution_risks = N_("Isolated-solution risks")
    kpi = N_("KPI:")
    overall_index = N_("Overall index")
    perception_gap = N_("Perception gap (management minus service, points)")
    phase = N_("Phase")
    quality_gate = N_("Quality gate")
    quick_wins = N_("Quick wins and containment (first %(weeks)s weeks)")
    roadmap = N_("Roadmap")
    assumptions = N_("The plan assumes (no measure builds it)")
    workshop_agenda = N_("Workshop agenda: questions where respondents disagree by 2+ levels, by relevance")
    capacity = N_("at most %(capacity)s measures at once")
    coverage = N_("coverage")
    effort = N_("effort")
    impact = N_("impact")
    index = N_("index")
    none = N_("none")
    not_applicable = N_("not applicable")
    not_reliably_scored = N_("not reliably scored")
    respondents = N_("respondents")
    split = N_("split")
    still_running = N_("still running")
    week = N_("week")
    weeks = N_("weeks")
    why = N_("why")


class _Words:
    """The translated words and numbers of one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.gettext: Gettext = translations(lang).gettext

    def __call__(self, message: str, **values: object) -> str:
        text = self.gettext(message)
        return text % values if values else text

    def num(self, value: float | None) -> str:
        return number(value, self.lang)

    def role(self, role: str | None) -> str:
        return role_label(role, self.lang)


def render_text(result: dict[str, Any]) -> str:
    """Render the result dict of `evaluation_to_dict` for a terminal."""
    _ = _Words(result["language"])
    o, q = result["overall"], result["questionnaire"]
    level, target = _("level"), _("target")
    lines = [
        f"{q['title']} ({q['id']} {q['version']}) · {result['respondents']} {_(_M.respondents)}",
        "",
        f"{_(_M.overall_index)}: {_.num(o['score'])} / 100 · {level} {_.num(o['level'])} ({o['level_name'] or '–'})",
        f"{_(_M.balance_index)}: {_.num(o['balance'])} / 100",
        "",
    ]
    for d in result["dimensions"]:
        if d["reliable"]:
            score = f"{_.num(d['score']):>5} · {level} {_.num(d['level'])} ({d['level_name']})"
        else:
            score = f"  –   · {_(_M.not_reliably_scored)}"
        lines.append(
            f"  {d['title']:<34} {score} · {target} {d['target']} · "
            f"{_(_M.coverage)} {percent(d['coverage'])} · {_(_M.not_applicable)} {percent(d['na_share'])}"
        )
    lines += ["", f"{_(_M.isolated_solution_risks)}:"]
    lines += [f"  ! {f['message']}" for f in result["flags"]] or [f"  {_(_M.none)}"]
    lines += _respondent_lines(result, _)
    lines += _roadmap_lines(result["roadmap"], _)
    return "\n".join(lines) + "\n"


def _respondent_lines(result: dict[str, Any], _: _Words) -> list[str]:
    """Several respondents: scores by role, the perception gap, "don't know" findings, the workshop agenda."""
    lines: list[str] = []
    titles = {d["id"]: d["title"] for d in result["dimensions"]}
    if len(result["roles"]) > 1:
        lines += ["", f"{_(_M.by_role)}:"]
        for role in result["roles"]:
            scores = " · ".join(f"{titles[d][:18]} {_.num(s)}" for d, s in role["scores"].items())
            lines.append(f"  {_.role(role['role'])} ({role['respondents']}): {scores}")
    gap = result["perception_gap"]
    if gap:
        parts = " · ".join(f"{titles[d][:18]} {'+' if g > 0 else ''}{_.num(g)}" for d, g in gap["dimensions"].items())
        lines.append(f"  {_(_M.perception_gap)}: {parts}; "
                     f"{_(_M.index)} {_.num(gap['index'])}")
    for finding in result["findings"]:
        lines.append("  ? " + _(_M.dont_know,
                                role=_.role(finding["role"]), share=percent(finding["share"]),
                                dimension=titles[finding["dimension"]]))
    if result["agenda"]:
        lines += ["", f"{_(_M.workshop_agenda)}:"]
        for item in result["agenda"]:
            given = "; ".join(f"{_.role(r)} {', '.join(str(v) for v in levels)}" for r, levels in item["by_role"].items())
            split = f" [{_(_M.split)}]" if item["split"] else ""
            lines.append(f"  - {item['text']}{split} ({given})")
    return lines


def _measure_line(m: dict[str, Any], _: _Words) -> list[str]:
    weeks = (f"{_(_M.week)} {m['start_week'] + 1}–{m['end_week']}" if m["start_week"] is not None
             else f"{m['duration_weeks']} {_(_M.weeks)}")
    head = f"    - {m['title']} [{weeks}; {_(_M.effort)} {_(m['effort'])}, {_(_M.impact)} {_(m['impact'])}]"
    return [head, *(f"        {_(_M.why)}: {w['text']}" for w in m["why"])]


def _gate_lines(gate: dict[str, Any], titles: dict[str, str], _: _Words) -> list[str]:
    if not (gate["conditions"] or gate["kpis"] or gate["in_progress"]):
        return []
    lines = [f"    {_(_M.quality_gate)} ({_(_M.week)} {gate['week']}):"]
    lines += [f"      [ ] {c['text']}" for c in gate["conditions"]]
    lines += [f"      [ ] {_(_M.kpi)} {k['text']}" for k in gate["kpis"]]
    if more := len(gate["appendix"]) + len(gate["appendix_kpis"]):
        lines.append(f"      {_(_M.appendix, count=more)}")
    if gate["in_progress"]:
        running = ", ".join(titles.get(m, m) for m in gate["in_progress"])
        lines.append(f"      {_(_M.still_running)}: {running}")
    return lines


def _roadmap_lines(roadmap: dict[str, Any], _: _Words) -> list[str]:
    settings = roadmap["settings"]
    lines = ["", f"{_(_M.roadmap)} ({roadmap['total_weeks']} {_(_M.weeks)}; "
             f"{_(_M.capacity, capacity=settings['capacity'])}):"]
    if roadmap["quick_wins"]:
        lines.append(f"  {_(_M.quick_wins, weeks=settings['quick_win_weeks'])}:")
        for m in roadmap["quick_wins"]:
            lines += _measure_line(m, _)
    if not roadmap["phases"]:
        lines.append(f"  {_(_M.none)}")
    titles = {m["id"]: m["title"] for phase in roadmap["phases"] for m in phase["measures"]}
    for phase in roadmap["phases"]:
        lines.append(f"  {_(_M.phase)} {phase['number']} ({_(_M.week)} {phase['start_week'] + 1}–"
                     f"{phase['start_week'] + phase['duration_weeks']})")
        for m in phase["measures"]:
            lines += _measure_line(m, _)
        lines += _gate_lines(phase["gate"], titles, _)
    if roadmap["assumptions"]:
        lines.append(f"  {_(_M.assumptions)}:")
        lines += [f"    - {c['text']}" for c in roadmap["assumptions"]]
    if roadmap["backlog"]:
        lines.append(f"  {_(_M.backlog)}:")
        lines += [f"    - {m['title']}" for m in roadmap["backlog"]]
    return lines
