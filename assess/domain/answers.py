"""Answers as given by respondents, and their validation against a questionnaire."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from assess.domain.levels import MAX_LEVEL, MIN_LEVEL, parse_level
from assess.domain.questionnaire import Questionnaire

DONT_KNOW: Final = "dont_know"
NOT_APPLICABLE: Final = "na"
SPECIAL_VALUES: Final = (DONT_KNOW, NOT_APPLICABLE)
MAX_COMMENT_LENGTH: Final = 2000
MAX_REASON_LENGTH: Final = 300

ROLES: Final = ("executive", "management", "service_staff", "it", "other")


@dataclass(frozen=True, slots=True)
class Answer:
    """One respondent's answer to one question: a level, "dont_know" or "na"."""

    value: int | str
    comment: str = ""
    reason: str = ""  # why "not applicable"

    @property
    def level(self) -> int | None:
        return self.value if isinstance(self.value, int) else None

    @property
    def is_dont_know(self) -> bool:
        return self.value == DONT_KNOW

    @property
    def is_na(self) -> bool:
        return self.value == NOT_APPLICABLE


@dataclass(frozen=True, slots=True)
class Response:
    """All answers of one respondent."""

    answers: Mapping[str, Answer]
    role: str | None = None
    name: str | None = None
    respondent_id: str | None = None
    asked: frozenset[str] | None = None  # the questions put to this respondent (their role's, the short check's); None: all


@dataclass(slots=True)
class AnswerProblems:
    """Problems found while reading answers; empty means the answers are valid."""

    messages: list[str] = field(default_factory=list)

    def add(self, message: str) -> None:
        self.messages.append(message)

    def __bool__(self) -> bool:
        return bool(self.messages)


def parse_value(raw: object) -> int | str | None:
    """Return a valid answer value from raw input, or None when it is not one."""
    if isinstance(raw, str):
        text = raw.strip().lower()
        return text if text in SPECIAL_VALUES else parse_level(text)
    return parse_level(raw)


def check_answer(questionnaire: Questionnaire, question_id: str, answer: Answer) -> str | None:
    """Return why `answer` is not acceptable for `question_id`, or None when it is."""
    if not questionnaire.has_question(question_id):
        return f"unknown question '{question_id}' (not in {questionnaire.id} {questionnaire.version})"
    if answer.is_na and not questionnaire.question(question_id).allow_na:
        return f"question '{question_id}' does not allow \"not applicable\""
    if len(answer.comment) > MAX_COMMENT_LENGTH:
        return f"comment on '{question_id}' is longer than {MAX_COMMENT_LENGTH} characters"
    if len(answer.reason) > MAX_REASON_LENGTH:
        return f"reason on '{question_id}' is longer than {MAX_REASON_LENGTH} characters"
    return None


def read_answers(
    questionnaire: Questionnaire, raw: object, *, where: str = "answers"
) -> tuple[dict[str, Answer], AnswerProblems]:
    """Read `{question_id: value | {value, comment, reason}}` and report every problem."""
    problems = AnswerProblems()
    answers: dict[str, Answer] = {}
    if not isinstance(raw, Mapping):
        problems.add(f"{where}: expected an object mapping question ids to answers")
        return answers, problems
    for question_id, item in raw.items():
        comment, reason, raw_value = "", "", item
        if isinstance(item, Mapping):
            raw_value = item.get("value", item.get("level"))
            comment = item.get("comment") or ""
            reason = item.get("reason") or ""
            if not isinstance(comment, str) or not isinstance(reason, str):
                problems.add(f"{where}.{question_id}: comment and reason must be text")
                continue
        value = parse_value(raw_value)
        if value is None:
            problems.add(
                f"{where}.{question_id}: {raw_value!r} is not an answer; "
                f"use a level {MIN_LEVEL}-{MAX_LEVEL}, \"{DONT_KNOW}\" or \"{NOT_APPLICABLE}\""
            )
            continue
        answer = Answer(value, comment=comment, reason=reason)
        problem = check_answer(questionnaire, str(question_id), answer)
        if problem:
            problems.add(f"{where}.{question_id}: {problem}")
            continue
        answers[str(question_id)] = answer
    return answers, problems
