"""The report context: every number and text a result page or PDF shows, as plain data.

Prepared in one place from the domain's evaluation, so the web page, the PDF
and the exports show the same figures. Templates only format it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assess.domain.answers import Response
from assess.domain.evaluation import Evaluation
from assess.domain.levels import LEVELS
from assess.domain.questionnaire import Question
from assess.domain.scoring import DISAGREEMENT_LEVELS
from assess.domain.versions import VersionComparison
from assess.reporting.catalogs import translations
from assess.reporting.change import change_context
from assess.reporting.explain import level_name
from assess.reporting.glance import at_a_glance
from assess.reporting.serialize import evaluation_to_dict, question_to_dict


@dataclass(frozen=True, slots=True)
class ReportMeta:
    """What the report says about whose assessment it is."""

    organisation: str = ""
    title: str = ""
    industry: str = ""
    size: str = ""
    date: dt.date = field(default_factory=dt.date.today)
    respondent_label: str = ""  # e.g. the role of a single respondent


def _distribution(responses: Sequence[Response], question_id: str) -> dict[str, int]:
    counts = {str(level): 0 for level in LEVELS} | {"dont_know": 0, "na": 0, "none": 0}
    for response in responses:
        answer = response.answers.get(question_id)
        key = "none" if answer is None else str(answer.value)
        counts[key] += 1
    return counts


def _question_details(ev: Evaluation, responses: Sequence[Response], result: dict[str, Any], lang: str) -> dict[str, Any]:
    by_id = {q["id"]: q for q in result["questions"]}
    return {question.id: _question_detail(question, position, by_id[question.id], responses, lang)
            for position, question in enumerate(ev.questionnaire.questions(), start=1)}


def _question_detail(question: Question, position: int, serialised: dict[str, Any], responses: Sequence[Response],
                     lang: str) -> dict[str, Any]:
    data = dict(serialised)
    data["position"] = position
    level = data["level"]
    single = responses[0].answers.get(question.id) if len(responses) == 1 else None
    data["help"] = question.help.get(lang) if question.help else ""
    data["level_texts"] = [question.level_text(level, lang) for level in LEVELS]
    # One rounding rule everywhere: a level's name and text are those of the last level fully reached (2.9 is level 2).
    data["chosen_text"] = data["level_texts"][int(level) - 1] if level is not None else ""
    data["answer"] = None if single is None else str(single.value)
    data["distribution"] = _distribution(responses, question.id)
    data["comments"] = [
        {"role": r.role or "", "name": r.name or "", "text": a.comment}
        for r in responses if (a := r.answers.get(question.id)) is not None and a.comment.strip()
    ]
    data["na_reasons"] = list(dict.fromkeys(  # each reason once, however many gave it
        a.reason.strip() for r in responses if (a := r.answers.get(question.id)) is not None and a.is_na and a.reason))
    return data


def question_context(ev: Evaluation, responses: Sequence[Response], question_id: str, lang: str) -> dict[str, Any]:
    """What the report shows of one question (the workshop's page), without building the whole report."""
    lang = ev.questionnaire.language(lang)
    position = next(i for i, q in enumerate(ev.questionnaire.questions(), start=1) if q.id == question_id)
    serialised = question_to_dict(ev, ev.card.questions[question_id], lang)
    return _question_detail(ev.questionnaire.question(question_id), position, serialised, responses, lang)


def _all_measures(roadmap: dict[str, Any]) -> list[dict[str, Any]]:
    return [*(m for p in roadmap["phases"] for m in p["measures"]), *roadmap["quick_wins"], *roadmap["backlog"]]


def build_report_context(
    ev: Evaluation,
    responses: Sequence[Response],
    *,
    lang: str,
    meta: ReportMeta | None = None,
    previous: Evaluation | None = None,
    previous_label: str = "",
    comparison: VersionComparison | None = None,
) -> dict[str, Any]:
    """Everything a result page or report shows, in `lang`, as plain data.

    `comparison`: what of the `previous` assessment's questionnaire version compares with this one's.
    """
    meta = meta or ReportMeta()
    result = evaluation_to_dict(ev, lang)
    lang = result["language"]
    questions = _question_details(ev, responses, result, lang)
    dimensions = []
    for d in result["dimensions"]:
        dimension = ev.questionnaire.dimension(d["id"])
        dimensions.append({
            **d,
            "description": dimension.description.get(lang),
            "target_name": level_name(d["target"], lang),
            "question_details": [questions[q.id] for q in dimension.questions],
        })
    change = None
    if previous is not None:
        change = change_context(ev, previous, result["dimensions"], label=previous_label, lang=lang, comparison=comparison)
    context = {
        "lang": lang,
        "meta": {
            "organisation": meta.organisation, "title": meta.title or result["questionnaire"]["title"],
            "industry": meta.industry, "size": meta.size, "date": meta.date.isoformat(),
            "respondent_label": meta.respondent_label,
        },
        "questionnaire": result["questionnaire"],
        "respondents": result["respondents"],
        "multi": result["respondents"] > 1,
        "overall": result["overall"],
        "dimensions": dimensions,
        "flags": result["flags"],
        # the workshop agenda: the disagreements ranked by relevance, capped (domain/perception.py)
        "disagreements": [{**questions[a["question"]], **{k: a[k] for k in ("relevance", "by_role", "split", "in_roadmap")}}
                          for a in result["agenda"]],
        "by_role": result["roles"] if len(result["roles"]) > 1 else [],
        "perception_gap": result["perception_gap"],
        "findings": result["findings"],
        "roadmap": result["roadmap"],
        "measure_titles": {m["id"]: m["title"] for m in _all_measures(result["roadmap"])},
        "change": change,
        "result": result,
        "dimension_titles": {d["id"]: d["title"] for d in result["dimensions"]},
        "scoring": {
            "min_coverage": ev.questionnaire.scoring.min_coverage,
            "max_na_share": ev.questionnaire.scoring.max_na_share,
            "disagreement_levels": DISAGREEMENT_LEVELS,
        },
        "basis": _basis(ev, result["respondents"], lang),
        "full": False,  # the board's short report; True adds the appendix (every question, the workshop agenda)
        "brand": None,  # a consultancy's name, colour and logo (assess.services.branding); None: the product's look
    }
    context["glance"] = at_a_glance(context)
    return context


def _basis(ev: Evaluation, respondents: int, lang: str) -> str:
    """What the levels rest on: one person's answers, the mean of several, or the workshop's agreement."""
    ngettext = translations(lang).ngettext
    agreed = sum(1 for q in ev.card.questions.values() if q.consensus)
    if agreed:
        return ngettext("%(num)d question agreed in the workshop, the others the mean of the respondents",
                        "%(num)d questions agreed in the workshop, the others the mean of the respondents",
                        agreed) % {"num": agreed}
    if respondents == 1:
        return translations(lang).gettext("the answers of one respondent")
    return ngettext("the mean of %(num)d respondent", "the mean of %(num)d respondents", respondents) % {"num": respondents}
