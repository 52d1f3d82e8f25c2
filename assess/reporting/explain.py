"""Sentences for the engine's facts: why a measure is in the roadmap, what a gate checks.

The domain returns reasons and conditions as kinds, ids and levels; the words are made here,
through the message catalogs, for every language the catalogs have.
"""

from __future__ import annotations

from assess.domain.questionnaire import Questionnaire
from assess.domain.roadmap import GateCondition, Reason
from assess.reporting.catalogs import translations
from assess.reporting.labels import N_, level_name
from assess.reporting.numbers import number

__all__ = ["explain_gate_condition", "explain_reason", "level_name", "subject_name"]

_REASONS = {
    "question": N_("“%(name)s” is at level %(level)s; it is to reach %(threshold)s"),
    "group": N_("“%(name)s” is at level %(level)s (%(weak)s below %(threshold)s); it is to reach %(threshold)s"),
    "dimension": N_("the dimension “%(name)s” is at level %(level)s (%(weak)s below %(threshold)s); "
                    "it is to reach %(threshold)s"),
    "rule": N_("isolated-solution risk: %(name)s"),
    "required_by": N_("needed first by “%(by)s”"),
    "condition": N_("“%(by)s” needs “%(name)s” at level %(threshold)s or more"),
    "foundation_in_place": N_("foundation in place: “%(name)s” at level %(level)s"),
    "foundation_rule": N_("foundation in place: “%(name)s” is not needed"),
}
_GATE = N_("“%(name)s” at level %(threshold)s or more (now %(current)s)")
_UNKNOWN = N_("not known")
_QUOTED = N_("“%(text)s”")


def subject_name(questionnaire: Questionnaire, subject: str, ref: str, lang: str) -> str:
    """The title of a question, group, dimension, rule or measure."""
    if subject == "question":
        return questionnaire.question(ref).text.get(lang)
    if subject == "group":
        return questionnaire.group(ref).title.get(lang)
    if subject == "dimension":
        return questionnaire.dimension(ref).title.get(lang)
    if subject == "rule":
        return questionnaire.rule(ref).message.get(lang)
    return questionnaire.measure(ref).title.get(lang)


def explain_reason(questionnaire: Questionnaire, reason: Reason, lang: str) -> str:
    """Say why a measure is in the roadmap."""
    _ = translations(lang).gettext
    kind = reason.kind
    if kind == "required_by":
        name = ""
    elif kind in ("condition", "foundation_in_place"):
        subject = _subject_of(questionnaire, reason.ref)
        if subject == "measure":
            kind = "foundation_rule"
        name = subject_name(questionnaire, subject, reason.ref, lang)
    else:
        name = subject_name(questionnaire, kind, reason.ref, lang)
    by = questionnaire.measure(reason.by).title.get(lang) if reason.by and reason.kind != "foundation_in_place" else ""
    threshold = number(reason.threshold, lang, 0) if reason.threshold is not None else ""
    weak = ", ".join(_(_QUOTED) % {"text": questionnaire.question(q).text.get(lang)} for q in reason.weak[:3])
    return _(_REASONS[kind]) % {"name": name, "level": number(reason.level, lang, none=_(_UNKNOWN)),
                                "threshold": threshold, "by": by, "weak": weak}


def _subject_of(questionnaire: Questionnaire, ref: str) -> str:
    """What an id names: a question, a group, a dimension or a measure."""
    if questionnaire.has_question(ref):
        return "question"
    if any(g.id == ref for g in questionnaire.groups):
        return "group"
    if any(d.id == ref for d in questionnaire.dimensions):
        return "dimension"
    return "measure"


def explain_gate_condition(questionnaire: Questionnaire, condition: GateCondition, lang: str) -> str:
    """Say what a quality gate checks."""
    _ = translations(lang).gettext
    return _(_GATE) % {
        "name": subject_name(questionnaire, condition.subject, condition.ref, lang),
        "threshold": number(condition.min_level, lang, 0, none=_(_UNKNOWN)),
        "current": number(condition.current, lang, none=_(_UNKNOWN)),
    }
