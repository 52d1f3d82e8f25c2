"""Plain-language sentences for reasons, gate conditions and levels, in de and en."""

from __future__ import annotations

from assess.domain.levels import LEVEL_NAMES
from assess.domain.questionnaire import Questionnaire
from assess.domain.roadmap import GateCondition, Reason

_TEMPLATES = {
    "en": {
        "question": "“{name}” is at level {level}; it is to reach {threshold}",
        "group": "“{name}” is at level {level} ({weak} below {threshold}); it is to reach {threshold}",
        "dimension": "the dimension “{name}” is at level {level} ({weak} below {threshold}); it is to reach {threshold}",
        "rule": "isolated-solution risk: {name}",
        "required_by": "needed first by “{by}”",
        "condition": "“{by}” needs “{name}” at level {threshold} or more",
        "foundation_in_place": "foundation in place: “{name}” at level {level}",
        "foundation_rule": "foundation in place: “{name}” is not needed",
        "gate": "“{name}” at level {threshold} or more (now {current})",
        "unknown": "not known",
    },
    "de": {
        "question": "„{name}“ steht auf Stufe {level}; Ziel ist {threshold}",
        "group": "„{name}“ steht auf Stufe {level} ({weak} unter {threshold}); Ziel ist {threshold}",
        "dimension": "die Dimension „{name}“ steht auf Stufe {level} ({weak} unter {threshold}); Ziel ist {threshold}",
        "rule": "Insellösungs-Risiko: {name}",
        "required_by": "wird zuerst benötigt von „{by}“",
        "condition": "„{by}“ setzt „{name}“ auf Stufe {threshold} oder höher voraus",
        "foundation_in_place": "Grundlage vorhanden: „{name}“ auf Stufe {level}",
        "foundation_rule": "Grundlage vorhanden: „{name}“ ist nicht nötig",
        "gate": "„{name}“ auf Stufe {threshold} oder höher (derzeit {current})",
        "unknown": "unbekannt",
    },
}


def number(value: float | None, lang: str, digits: int = 1) -> str:
    """Format a number with the language's decimal mark."""
    if value is None:
        return _TEMPLATES.get(lang, _TEMPLATES["en"])["unknown"]
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "de" else text


def level_name(level: int, lang: str) -> str:
    return LEVEL_NAMES[level].text(lang)


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
    templates = _TEMPLATES.get(lang, _TEMPLATES["en"])
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
    weak = ", ".join(f"„{questionnaire.question(q).text.get(lang)}“" if lang == "de" else
                     f"“{questionnaire.question(q).text.get(lang)}”" for q in reason.weak[:3])
    return templates[kind].format(name=name, level=number(reason.level, lang), threshold=threshold, by=by, weak=weak)


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
    templates = _TEMPLATES.get(lang, _TEMPLATES["en"])
    return templates["gate"].format(
        name=subject_name(questionnaire, condition.subject, condition.ref, lang),
        threshold=number(condition.min_level, lang, 0),
        current=number(condition.current, lang),
    )
