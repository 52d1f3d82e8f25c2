"""Read an answers file (the input of `assess score` and `assess report`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assess.catalog import Catalog, QuestionnaireError, load_questionnaire
from assess.catalog.source import MAX_NUMBER_LENGTH
from assess.domain.answers import ROLES, Response, read_answers
from assess.domain.levels import MAX_LEVEL, MIN_LEVEL, parse_level
from assess.domain.questionnaire import Questionnaire
from assess.domain.roadmap import CAPACITY_RANGE, FOCUS_RANGE, PlanSettings
from assess.domain.text import is_storable

_TOP_KEYS = {"questionnaire", "version", "answers", "respondents", "role", "name", "targets", "consensus", "organisation",
             "planning"}


class AnswerFileError(Exception):
    """An answers file that cannot be scored; `problems` has one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True, slots=True)
class AnswerFile:
    questionnaire: Questionnaire
    responses: tuple[Response, ...]
    targets: Mapping[str, int] = field(default_factory=dict)
    consensus: Mapping[str, int] = field(default_factory=dict)
    organisation: str = ""
    settings: PlanSettings = field(default_factory=PlanSettings)


def resolve_questionnaire(catalog: Catalog, ref: str, version: str | None = None) -> Questionnaire:
    """A questionnaire by catalog id or by path to a YAML file."""
    path = Path(ref)
    if ref.endswith((".yaml", ".yml")) or path.is_file():
        return load_questionnaire(path)
    return catalog.get(ref, version)


def _levels(raw: object, known: set[str], what: str, problems: list[str]) -> dict[str, int]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(f"{what}: expected an object")
        return {}
    out = {}
    for key, value in raw.items():
        if key not in known:
            problems.append(f"{what}.{key}: unknown id")
        elif (level := parse_level(value)) is None:
            problems.append(f"{what}.{key}: {_shown(value)} is not a level {MIN_LEVEL}-{MAX_LEVEL}")
        else:
            out[key] = level
    return out


def _shown(value: object) -> str:
    """`value` for a message: its repr, cut short (a file can hold a megabyte in one value)."""
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."


def unstorable_text(data: object) -> list[str]:
    """Where decoded JSON holds text that cannot be stored: NUL, control characters, lone surrogates."""
    problems = []
    stack: list[tuple[object, str]] = [(data, "")]
    while stack:  # no recursion: json.loads accepts deeper nesting than Python's stack
        value, where = stack.pop()
        children: list[tuple[object, str]] = []
        if isinstance(value, str) and not is_storable(value):
            problems.append(f"{where or 'the file'}: the text contains a NUL, a control character or a lone "
                            "surrogate; remove it")
        elif isinstance(value, dict):
            for key, item in value.items():
                if is_storable(key):
                    children.append((item, f"{where}.{key}" if where else key))
                else:
                    problems.append(f"{where or 'the file'}: the key {key!r} contains a NUL, a control character "
                                    "or a lone surrogate; remove it")
        elif isinstance(value, list):
            children = [(item, f"{where}[{i}]") for i, item in enumerate(value)]
        stack.extend(reversed(children))  # in the file's order
    return problems


def _role(raw: object, where: str, problems: list[str]) -> str | None:
    if raw is None or raw in ROLES:
        return raw
    problems.append(f"{where}.role: {raw!r} is not a role; use one of {', '.join(ROLES)}")
    return None


def parse_answer_data(data: Any, catalog: Catalog, questionnaire_ref: str | None = None) -> AnswerFile:
    """Validate decoded answers JSON; raise AnswerFileError listing every problem."""
    if not isinstance(data, dict):
        raise AnswerFileError(["expected a JSON object with 'questionnaire' and 'answers' or 'respondents'"])
    unstorable = unstorable_text(data)
    if unstorable:  # before anything is looked up with, printed or stored from such text
        raise AnswerFileError(unstorable)
    problems = [f"unknown key '{k}'; allowed: {', '.join(sorted(_TOP_KEYS))}" for k in data if k not in _TOP_KEYS]
    questionnaire = _questionnaire(data, catalog, questionnaire_ref, problems)
    responses = _responses(data, questionnaire, problems)
    targets = _levels(data.get("targets"), {d.id for d in questionnaire.dimensions}, "targets", problems)
    consensus = _levels(data.get("consensus"), {q.id for q in questionnaire.questions()}, "consensus", problems)
    settings = _planning(data.get("planning"), problems)
    if problems:
        raise AnswerFileError(problems)
    organisation = data.get("organisation")
    return AnswerFile(questionnaire, tuple(responses), targets, consensus,
                      organisation if isinstance(organisation, str) else "", settings)


def _questionnaire(data: dict[str, Any], catalog: Catalog, questionnaire_ref: str | None,
                   problems: list[str]) -> Questionnaire:
    """The questionnaire the file names (or `questionnaire_ref`); raise AnswerFileError when there is none."""
    named = data.get("questionnaire")
    if named is not None and not isinstance(named, str):
        raise AnswerFileError(["questionnaire: expected the questionnaire id as text"])
    version = data.get("version")
    if version is not None and not isinstance(version, str):
        raise AnswerFileError(["version: expected the questionnaire version as text, e.g. \"1.0.0\""])
    try:
        if questionnaire_ref:
            questionnaire = resolve_questionnaire(catalog, questionnaire_ref)
        elif named:
            questionnaire = catalog.get(named, version)
        else:
            raise AnswerFileError(["questionnaire: missing; name the questionnaire id, e.g. \"digital-readiness\""])
    except LookupError as error:
        raise AnswerFileError([f"questionnaire: {error.args[0]}"]) from None
    except QuestionnaireError as error:
        raise AnswerFileError([str(p) for p in error.problems]) from None
    if named and named != questionnaire.id:
        problems.append(f"questionnaire: the answers are for '{named}', not for '{questionnaire.id}'")
    return questionnaire


def _responses(data: dict[str, Any], questionnaire: Questionnaire, problems: list[str]) -> list[Response]:
    """One respondent's `answers`, or several `respondents`, each validated against the questionnaire."""
    if "answers" in data and "respondents" in data:
        problems.append("give either 'answers' (one respondent) or 'respondents' (several), not both")
    if "answers" in data and "respondents" not in data:
        answers, found = read_answers(questionnaire, data["answers"])
        problems += found.messages
        return [Response(answers, _role(data.get("role"), "answers", problems), respondent_id="1")]
    if "respondents" not in data:
        problems.append("missing 'answers' (one respondent) or 'respondents' (several)")
        return []
    items = data["respondents"]
    if not isinstance(items, list) or not items:
        problems.append("respondents: expected a non-empty list of {role, answers}")
        items = []
    responses = []
    for i, item in enumerate(items):
        where = f"respondents[{i}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: expected an object with 'answers'")
            continue
        answers, found = read_answers(questionnaire, item.get("answers", {}), where=f"{where}.answers")
        problems += found.messages
        name = item.get("name")
        responses.append(Response(answers, _role(item.get("role"), where, problems),
                                  name if isinstance(name, str) else None, respondent_id=str(i + 1)))
    return responses


def _planning(raw: Any, problems: list[str]) -> PlanSettings:
    """`"planning": {"capacity": 3, "focus": 5}`: measures at once, measures in the plan (both optional)."""
    if raw is None:
        return PlanSettings()
    if not isinstance(raw, dict):
        problems.append('planning: expected {"capacity": N, "focus": N}')
        return PlanSettings()
    values: dict[str, int | None] = {"capacity": None, "focus": None}
    for key, value in raw.items():
        bounds = {"capacity": CAPACITY_RANGE, "focus": FOCUS_RANGE}.get(key)
        if bounds is None:
            problems.append(f"planning.{key}: unknown setting; use capacity or focus")
        elif isinstance(value, bool) or not isinstance(value, int) or not bounds[0] <= value <= bounds[1]:
            problems.append(f"planning.{key}: a whole number from {bounds[0]} to {bounds[1]}")
        else:
            values[key] = value
    return PlanSettings.of(values["capacity"], values["focus"])


class _NumberTooLong(Exception):
    def __init__(self, digits: str) -> None:
        super().__init__(digits)
        self.length = len(digits.lstrip("-"))


def _int(digits: str) -> int:
    # Python's int() refuses numbers of more than 4300 digits with a ValueError, and is slow on longer ones
    # where that limit is lifted: no answers file needs more than a few digits.
    if len(digits) > MAX_NUMBER_LENGTH:
        raise _NumberTooLong(digits)
    return int(digits)


def load_json(text: str) -> Any:
    """Decode the JSON of an answers file; raise AnswerFileError saying why it cannot be read."""
    try:
        return json.loads(text, parse_int=_int)
    except json.JSONDecodeError as error:
        raise AnswerFileError([f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"]) from None
    except _NumberTooLong as error:
        raise AnswerFileError([f"not valid answers: a number with {error.length} digits; "
                               f"a level is {MIN_LEVEL}-{MAX_LEVEL}"]) from None
    except RecursionError:
        raise AnswerFileError(["not valid answers: lists or objects nested too deeply"]) from None


def read_answer_file(path: str, catalog: Catalog, questionnaire_ref: str | None = None) -> AnswerFile:
    """Read and validate the answers file at `path`."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise AnswerFileError([f"cannot read {path}: {error}"]) from None
    try:
        data = load_json(text)
    except AnswerFileError as error:
        raise AnswerFileError([f"{path}: {p}" for p in error.problems]) from None
    try:
        return parse_answer_data(data, catalog, questionnaire_ref)
    except AnswerFileError as error:
        raise AnswerFileError([f"{path}: {p}" for p in error.problems]) from None
