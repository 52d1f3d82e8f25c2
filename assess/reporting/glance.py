"""The report's first page, "at a glance": key messages, the board's decisions, the 90-day plan, effort.

Plain data from the report context (the same for the PDF, the DOCX and the web result page). Dimension
names are only ever used on their own (a label, a list item, after a colon), never inside a sentence
where German would have to inflect them. Effort is a range of person-days per measure, from the
catalogue's effort level (EFFORT_DAYS, printed in the method section).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from assess.reporting.catalogs import translations
from assess.reporting.numbers import number

# Person-days of internal work per measure, by the catalogue's effort level: the method section prints this table.
EFFORT_DAYS: Mapping[str, tuple[int, int]] = {"low": (2, 5), "medium": (5, 15), "high": (15, 40)}
PLAN_WEEKS = 13  # the 90-day plan: what starts in the first 13 weeks
MAX_PLAN_ROWS = 7
MAX_DECISIONS = 4


def effort_range(measures: Sequence[Mapping[str, Any]]) -> tuple[int, int]:
    """The person-days `measures` take together, as (low, high)."""
    low = sum(EFFORT_DAYS.get(m.get("effort", ""), EFFORT_DAYS["medium"])[0] for m in measures)
    high = sum(EFFORT_DAYS.get(m.get("effort", ""), EFFORT_DAYS["medium"])[1] for m in measures)
    return low, high


def at_a_glance(context: Mapping[str, Any]) -> dict[str, Any]:
    """What pages 1–2 of the board report (and the top of the result page) say."""
    lang = context["lang"]
    _ = translations(lang).gettext
    ngettext = translations(lang).ngettext
    titles: Mapping[str, str] = context["dimension_titles"]
    roadmap = context["roadmap"]
    phases = [p for p in roadmap["phases"] if p["measures"]]
    quick = list(roadmap["quick_wins"])
    scored = sorted((d for d in context["dimensions"] if d["score"] is not None), key=lambda d: (-d["score"], d["id"]))
    flags = context["flags"]

    def days(low_high: tuple[int, int]) -> str:
        return _("%(low)d–%(high)d person-days") % {"low": low_high[0], "high": low_high[1]}

    messages: list[str] = []
    overall = context["overall"]
    if overall["score"] is not None and scored:
        position = _("Overall index %(score)s of 100, level %(level)s (%(name)s).") % {
            "score": number(overall["score"], lang, 0), "level": number(overall["level"], lang),
            "name": overall["level_name"]}
        if len(scored) > 1:
            position += " " + _("Furthest along: %(best)s (%(best_score)s); furthest behind: %(worst)s "
                                "(%(worst_score)s).") % {
                "best": scored[0]["title"], "best_score": number(scored[0]["score"], lang, 0),
                "worst": scored[-1]["title"], "worst_score": number(scored[-1]["score"], lang, 0)}
        messages.append(position)
    else:
        messages.append(_("Too few answers to score the company reliably: the result below is provisional."))
    if flags:
        messages.append(ngettext("%(num)d isolated-solution risk, the most pressing: %(risk)s",
                                 "%(num)d isolated-solution risks, the most pressing: %(risk)s", len(flags))
                        % {"num": len(flags), "risk": flags[0]["message"]})
    else:
        messages.append(_("No isolated-solution risk: no dimension is far ahead of what it depends on."))
    measures = [m for p in phases for m in p["measures"]]
    if measures:
        in_phases = ngettext("%(num)d phase", "%(num)d phases", len(phases)) % {"num": len(phases)}
        messages.append(ngettext("The roadmap: %(num)d measure in %(phases)s over about %(weeks)d weeks, "
                                 "an estimated %(days)s; it starts with “%(first)s”.",
                                 "The roadmap: %(num)d measures in %(phases)s over about %(weeks)d weeks, "
                                 "an estimated %(days)s; it starts with “%(first)s”.", len(measures))
                        % {"num": len(measures), "phases": in_phases, "weeks": roadmap["total_weeks"],
                           "days": days(effort_range(measures)), "first": measures[0]["title"]})
    else:
        messages.append(_("Every dimension has reached its target: no measures are needed, only the next "
                          "re-assessment."))

    decisions: list[str] = []
    if phases:
        first = phases[0]
        decisions.append(ngettext(
            "Fund phase %(phase)d: %(num)d measure in weeks %(start)d–%(end)d, an estimated %(days)s.",
            "Fund phase %(phase)d: %(num)d measures in weeks %(start)d–%(end)d, an estimated %(days)s.",
            len(first["measures"])) % {
            "phase": first["number"], "num": len(first["measures"]), "start": first["start_week"] + 1,
            "end": first["start_week"] + first["duration_weeks"], "days": days(effort_range(first["measures"]))})
        owned = list(dict.fromkeys(titles.get(m["dimension"], m["dimension"]) for m in first["measures"]))
        decisions.append(_("Name one owner per area, with time and the authority to decide: %(areas)s.")
                         % {"areas": ", ".join(owned)})
    if quick:
        decisions.append(ngettext("Start %(num)d quick win now, without further approval (%(days)s).",
                                  "Start %(num)d quick wins now, without further approval (%(days)s).", len(quick))
                         % {"num": len(quick), "days": days(effort_range(quick))})
    if flags and phases:
        islands = list(dict.fromkeys(titles.get(d, d) for f in flags for d in f["dimensions"]))
        decisions.append(_("No new stand-alone tools in these areas until the quality gate of phase %(phase)d is met: "
                           "%(areas)s.") % {"phase": phases[0]["number"], "areas": ", ".join(islands)})

    plan = [{"title": m["title"], "area": titles.get(m["dimension"], m["dimension"]), "quick": True,
             "start": m["start_week"] + 1, "end": m["end_week"]} for m in quick]
    plan += [{"title": m["title"], "area": titles.get(m["dimension"], m["dimension"]), "quick": False,
              "start": m["start_week"] + 1, "end": m["end_week"]}
             for m in measures if m["start_week"] < PLAN_WEEKS]
    plan.sort(key=lambda row: (row["start"], not row["quick"], row["end"]))

    effort = [{"label": _("Quick wins"), "weeks": _("from now"), "measures": len(quick),
               "days": effort_range(quick)}] if quick else []
    effort += [{"label": _("Phase %(number)d") % {"number": p["number"]},
                "weeks": _("weeks %(start)d–%(end)d") % {"start": p["start_week"] + 1,
                                                         "end": p["start_week"] + p["duration_weeks"]},
                "measures": len(p["measures"]), "days": effort_range(p["measures"])} for p in phases]

    risks = [{"areas": " ↔ ".join(titles.get(d, d) for d in f["dimensions"]), "text": f["message"]} for f in flags]
    return {
        "messages": messages[:3],
        "decisions": decisions[:MAX_DECISIONS],
        "plan": plan[:MAX_PLAN_ROWS],
        "plan_more": max(0, len(plan) - MAX_PLAN_ROWS),
        "effort": effort,
        "effort_total": effort_range([*quick, *measures]) if effort else None,
        "ranked": [{"id": d["id"], "title": d["title"], "score": d["score"], "level": d["level"],
                    "level_name": d.get("level_name"), "target": d["target"]} for d in scored],
        "unscored": [d["title"] for d in context["dimensions"] if d["score"] is None],
        "risks": risks,
        "effort_days": {level: f"{low}–{high}" for level, (low, high) in EFFORT_DAYS.items()},
    }
