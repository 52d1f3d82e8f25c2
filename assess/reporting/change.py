"""The change since the previous assessment, as plain data: per dimension, and per question across versions.

Same questionnaire version: every dimension compares with itself, as always. Different versions: a
dimension is compared only where `assess.domain.versions` says its questions compare, each mapped question
(same, renamed, split, merged) is compared on its own, and what does not compare (new, dropped, level
meaning changed; dimensions new, dropped or changed substantially) is listed in the report's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assess.domain.evaluation import Evaluation
from assess.domain.questionnaire import Questionnaire
from assess.domain.versions import DimensionMatch, DimensionStatus, Match, QuestionMatch, VersionComparison, compare_versions
from assess.reporting.catalogs import translations


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _delta(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else round(now - before, 1)


def _level(ev: Evaluation, ids: Sequence[str]) -> float | None:
    """The weighted mean level of `ids` in `ev` (a split's or a merge's side); None when none has a level."""
    given = [(r.weight, r.level) for i in ids if (r := ev.card.questions.get(i)) is not None and r.level is not None]
    weight = sum(w for w, _ in given)
    return _round(sum(w * level for w, level in given) / weight) if weight else None


def _texts(questionnaire: Questionnaire, ids: Sequence[str], lang: str) -> list[str]:
    lang = questionnaire.language(lang)
    return [questionnaire.question(i).text.get(lang) for i in ids]


def _reason(match: QuestionMatch, new_version: str, lang: str) -> str:
    gettext = translations(lang).gettext
    if match.match is Match.NEW:
        return gettext("new in version %(version)s") % {"version": new_version}
    if match.match is Match.DROPPED:
        return gettext("no longer asked")
    return gettext("its level descriptions changed")


def _dimension_note(d: DimensionMatch, lang: str) -> str:
    ngettext = translations(lang).ngettext
    count = len(d.not_comparable)
    if d.status is DimensionStatus.NEW:
        return translations(lang).gettext("new dimension: nothing to compare with")
    if d.status is DimensionStatus.NOT_COMPARABLE:
        return ngettext("%(num)d question changed: the questions changed too much to compare the score",
                        "%(num)d questions changed: the questions changed too much to compare the score",
                        count) % {"num": count}
    if d.status is DimensionStatus.CHANGED:
        return ngettext("compared, but %(num)d question does not compare", "compared, but %(num)d questions do not compare",
                        count) % {"num": count}
    return ""


def _questions(ev: Evaluation, previous: Evaluation, comparison: VersionComparison, lang: str) -> list[dict[str, Any]]:
    rows = []
    for m in comparison.questions:
        if not m.comparable:
            continue
        before, now = _level(previous, m.old), _level(ev, m.new)
        rows.append({"kind": m.match.value, "before_ids": list(m.old), "now_ids": list(m.new),
                     "texts": _texts(ev.questionnaire, m.new, lang),
                     "before_texts": _texts(previous.questionnaire, m.old, lang),
                     "before": before, "now": now, "delta": _delta(now, before)})
    return rows


def _not_comparable(ev: Evaluation, previous: Evaluation, matches: Sequence[QuestionMatch], new_version: str,
                    lang: str) -> list[dict[str, Any]]:
    rows = []
    for m in matches:
        # a question still asked is named as it is asked now; a dropped one as it was asked
        texts = _texts(ev.questionnaire, m.new, lang) if m.new else _texts(previous.questionnaire, m.old, lang)
        rows.append({"kind": m.match.value, "before_ids": list(m.old), "now_ids": list(m.new), "texts": texts,
                     "reason": _reason(m, new_version, lang)})
    return rows


def change_context(ev: Evaluation, previous: Evaluation, dimensions: Sequence[dict[str, Any]], *, label: str, lang: str,
                   comparison: VersionComparison | None = None) -> dict[str, Any]:
    """The report's change section: `dimensions` are the report's (id, score), `comparison` the versions' (None:
    computed from the two questionnaires alone, which for one version compares everything)."""
    if comparison is None:
        comparison = compare_versions(previous.questionnaire, ev.questionnaire)
    before = {d.dimension_id: d.score for d in previous.card.dimensions}
    out: dict[str, Any] = {}
    for d in dimensions:
        match = comparison.dimension(d["id"])
        compared = match is not None and match.status.comparable and match.old is not None
        old = before.get(match.old) if compared and match is not None and match.old is not None else None
        out[d["id"]] = {
            "before": _round(old), "delta": _delta(d["score"], old) if compared else None,
            "status": match.status.value if match is not None else DimensionStatus.NEW.value,
            "note": _dimension_note(match, lang) if match is not None else "",
            "not_comparable": _not_comparable(ev, previous, match.not_comparable if match else (),
                                              comparison.new_version, lang),
        }
    overall = comparison.overall_comparable
    change: dict[str, Any] = {
        "label": label,
        "overall_before": _round(previous.card.overall.score) if overall else None,
        "respondents_before": previous.card.respondents,
        "dimensions": out,
        "versions": None,
    }
    if not comparison.identical:
        old_lang = previous.questionnaire.language(lang)
        change["versions"] = {
            "before": comparison.old_version, "now": comparison.new_version, "mapped": comparison.mapped,
            "overall_comparable": overall,
            "questions": _questions(ev, previous, comparison, lang),
            "not_comparable": _not_comparable(ev, previous, comparison.not_comparable, comparison.new_version, lang),
            "dropped_dimensions": [previous.questionnaire.dimension(d.old).title.get(old_lang)
                                   for d in comparison.dimensions if d.status is DimensionStatus.DROPPED and d.old],
        }
    return change
