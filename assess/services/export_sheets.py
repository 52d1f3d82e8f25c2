"""The Excel export's sheets beyond the raw answers: scores by dimension, by question and by role, the roadmap
and the levels agreed in the workshop, as plain headers and rows in the reader's language.

Made from the result JSON (assess.reporting.serialize) and the workshop's agreed levels, so the sheets show
the figures of the result page and the report; assess.services.exports writes them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from assess.reporting.catalogs import translations
from assess.reporting.labels import N_, role_label

AGREED = N_("agreed in the workshop")
MEAN = N_("mean of the respondents")
SPLIT = N_("split: two camps")
YES, NO = N_("yes"), N_("no")
EFFORTS = {"low": N_("low"), "medium": N_("medium"), "high": N_("high")}


@dataclass(frozen=True, slots=True)
class Sheet:
    title: str  # at most 31 characters (Excel's limit)
    headers: list[str]
    rows: list[list[Any]]
    widths: Sequence[int] = ()
    percent: frozenset[int] = field(default_factory=frozenset)  # 0-based columns shown as percentages


def _translator(lang: str) -> Callable[[str], str]:
    return translations(lang).gettext


def dimension_sheet(result: dict[str, Any], lang: str) -> Sheet:
    """One row per dimension (after the overall index): score, level, target, coverage, agreed questions."""
    _ = _translator(lang)
    agreed = {d["id"]: sum(1 for q in result["questions"] if q["dimension"] == d["id"] and q["consensus"])
              for d in result["dimensions"]}
    overall = result["overall"]
    rows: list[list[Any]] = [[_("Overall index"), overall["score"], overall["level"], overall["level_name"] or "", "",
                              "", "", overall["coverage"], overall["na_share"], "", sum(agreed.values())]]
    for d in result["dimensions"]:
        rows.append([d["title"], d["score"], d["level"], d["level_name"] or "", d["target"], d["gap"],
                     _(YES) if d["reliable"] else _(NO), d["coverage"], d["na_share"], d["dont_know_share"],
                     agreed[d["id"]]])
    headers = [_("Dimension"), _("Score (0–100)"), _("Level"), _("Level name"), _("Target"), _("Gap to the target"),
               _("Reliably scored"), _("Coverage"), _("Not applicable"), _("Don't know"),
               _("Questions agreed in the workshop")]
    return Sheet(_("Dimensions"), headers, rows, (32, 12, 8, 16, 8, 12, 12, 10, 12, 10, 14), frozenset({7, 8, 9}))


def question_sheet(result: dict[str, Any], lang: str) -> Sheet:
    """One row per question in questionnaire order: its level and what it rests on (agreed, mean or split)."""
    _ = _translator(lang)
    titles = {d["id"]: d["title"] for d in result["dimensions"]}
    rows = []
    for number, q in enumerate(result["questions"], start=1):
        stats = q["stats"] or {}
        basis = _(AGREED) if q["consensus"] else _(SPLIT) if q["split"] else _(MEAN) if q["level"] is not None else ""
        rows.append([number, titles.get(q["dimension"], q["dimension"]), q["id"], q["text"], q["level"], q["score"],
                     basis, q["respondents"], q["levels_given"], q["dont_know"], q["not_applicable"],
                     stats.get("mean"), stats.get("min"), stats.get("max"), stats.get("spread"),
                     _(YES) if q["disagreement"] else _(NO)])
    headers = [_("No."), _("Dimension"), _("Question ID"), _("Question"), _("Level"), _("Score (0–100)"),
               _("Basis of the level"), _("Respondents"), _("Levels given"), _("Don't know"), _("Not applicable"),
               _("Respondents' mean"), _("Lowest level"), _("Highest level"), _("Spread"),
               _("Disagreement (2 levels or more)")]
    return Sheet(_("Questions"), headers, rows, (6, 24, 18, 50, 8, 10, 24, 10, 10, 10, 12, 12, 10, 10, 8, 14))


def role_sheet(result: dict[str, Any], lang: str) -> Sheet:
    """One row per dimension, one column per role (its respondents in brackets), and the perception gap."""
    _ = _translator(lang)
    roles = result["roles"]
    gap = result["perception_gap"]
    headers = [_("Dimension")] + [f"{role_label(r['role'], lang)} ({r['respondents']})" for r in roles]
    if gap:
        headers.append(_("Perception gap (management minus service staff)"))
    rows = []
    for d in result["dimensions"]:
        row = [d["title"], *(r["scores"].get(d["id"]) for r in roles)]
        if gap:
            row.append(gap["dimensions"].get(d["id"]))
        rows.append(row)
    return Sheet(_("By role"), headers, rows, (32, *([18] * len(roles)), 22))


def roadmap_sheet(result: dict[str, Any], lang: str) -> Sheet:
    """The measures in the roadmap's order: quick wins, the phases one after the other, then the backlog."""
    _ = _translator(lang)
    roadmap = result["roadmap"]
    titles = {d["id"]: d["title"] for d in result["dimensions"]}
    measures = {m["id"]: m["title"] for m in (*roadmap["quick_wins"], *roadmap["backlog"],
                                              *(m for p in roadmap["phases"] for m in p["measures"]))}
    planned: list[tuple[str, dict[str, Any]]] = [(_("Quick wins"), m) for m in roadmap["quick_wins"]]
    for phase in roadmap["phases"]:
        planned += [(_("Phase %(number)d") % {"number": phase["number"]}, m) for m in phase["measures"]]
    planned += [(_("Backlog (not scheduled yet)"), m) for m in roadmap["backlog"]]
    rows = []
    for number, (phase, m) in enumerate(planned, start=1):
        scheduled = m["start_week"] is not None
        rows.append([number, phase, m["title"], titles.get(m["dimension"], m["dimension"]),
                     m["start_week"] + 1 if scheduled else None, m["end_week"] if scheduled else None,
                     m["duration_weeks"], _(EFFORTS.get(m["effort"], m["effort"])),
                     _(EFFORTS.get(m["impact"], m["impact"])),
                     ", ".join(measures.get(p, p) for p in m["prerequisites"]),
                     "; ".join(r["text"] for r in m["why"]), m["description"]])
    headers = [_("No."), _("Phase"), _("Measure"), _("Dimension"), _("From week"), _("To week"),
               _("Duration (weeks)"), _("Effort"), _("Impact"), _("Builds on"), _("Why"), _("Description")]
    return Sheet(_("Roadmap"), headers, rows, (6, 18, 36, 24, 10, 10, 12, 10, 10, 30, 50, 50))


def agreed_sheet(agreed: Sequence[dict[str, Any]], lang: str) -> Sheet:
    """Every level agreed in the workshop, with what the respondents had said and the note."""
    _ = _translator(lang)
    rows = [[a["number"], a["dimension_title"], a["question"], a["text"], a["level"], a["level_text"],
             a["respondents_mean"], a["respondents_min"], a["respondents_max"], a["note"],
             a["agreed_at"][:16].replace("T", " ")] for a in agreed]
    headers = [_("No."), _("Dimension"), _("Question ID"), _("Question"), _("Level agreed in the workshop"),
               _("What the level means"), _("Respondents' mean"), _("Lowest level"), _("Highest level"), _("Note"),
               _("Agreed on (UTC)")]
    return Sheet(_("Agreed levels"), headers, rows, (6, 24, 18, 50, 12, 50, 12, 10, 10, 40, 18))


def result_sheets(result: dict[str, Any], agreed: Sequence[dict[str, Any]], lang: str) -> list[Sheet]:
    """The sheets after the raw answers, in the order a reader goes through a result."""
    return [dimension_sheet(result, lang), question_sheet(result, lang), role_sheet(result, lang),
            roadmap_sheet(result, lang), agreed_sheet(agreed, lang)]
