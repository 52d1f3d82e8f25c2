"""Stored answer rows as the domain's Response: the one place where storage meets scoring."""

from __future__ import annotations

from collections.abc import Sequence

from assess.db.models import Respondent
from assess.db.repo import StoredAnswer
from assess.domain.answers import Answer, Response, parse_value
from assess.domain.questionnaire import Questionnaire, QuestionnaireRef

_VALUES: dict[str | None, int | str | None] = {v: parse_value(v) for v in ("1", "2", "3", "4", "5", "dont_know", "na")}


def to_response(respondent: Respondent, rows: Sequence[StoredAnswer], questionnaire: Questionnaire | None = None) -> Response:
    """Stored rows as a domain Response (comment-only rows count as unanswered); with `questionnaire`, it carries the
    questions put to the respondent when those are not all (their role's, the short check's)."""
    answers = {}
    for row in rows:
        value = _VALUES.get(row.value)
        if value is not None:
            answers[row.question_id] = Answer(value, comment=row.comment, reason=row.reason)
    return Response(answers, role=respondent.role, name=respondent.name, respondent_id=str(respondent.id),
                    asked=None if questionnaire is None else asked_of(questionnaire, respondent))


_ASKED: dict[tuple[QuestionnaireRef, str, bool], frozenset[str] | None] = {}  # a few entries per questionnaire


def asked_of(questionnaire: Questionnaire, respondent: Respondent) -> frozenset[str] | None:
    """The questions put to `respondent` (None: every question), worked out once per questionnaire, role and mode."""
    key = (questionnaire.ref, respondent.role, bool(respondent.short_check))
    if key not in _ASKED:
        if len(_ASKED) > 1000:
            _ASKED.clear()
        asked = questionnaire.asked(respondent.role, short=bool(respondent.short_check))
        _ASKED[key] = None if len(asked) == questionnaire.question_count else asked
    return _ASKED[key]
