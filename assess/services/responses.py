"""Stored answer rows as the domain's Response: the one place where storage meets scoring."""

from __future__ import annotations

from collections.abc import Sequence

from assess.db.models import Respondent
from assess.db.repo import StoredAnswer
from assess.domain.answers import Answer, Response, parse_value

_VALUES: dict[str | None, int | str | None] = {v: parse_value(v) for v in ("1", "2", "3", "4", "5", "dont_know", "na")}


def to_response(respondent: Respondent, rows: Sequence[StoredAnswer]) -> Response:
    """Stored rows as a domain Response (comment-only rows count as unanswered)."""
    answers = {}
    for row in rows:
        value = _VALUES.get(row.value)
        if value is not None:
            answers[row.question_id] = Answer(value, comment=row.comment, reason=row.reason)
    return Response(answers, role=respondent.role, name=respondent.name, respondent_id=str(respondent.id))
