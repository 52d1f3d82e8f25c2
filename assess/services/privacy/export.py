"""A respondent's own copy of everything stored about them (GDPR art. 15 and 20)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, col, select

from assess.catalog import Catalog
from assess.db import repo
from assess.db.models import AnswerRow, Assessment, Organisation, Respondent, utcnow
from assess.services import exports, questionnaires
from assess.services.responses import to_response

EXPORT_FORMAT = "assess-respondent-export"


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()


def respondent_export(session: Session, catalog: Catalog, respondent: Respondent) -> dict[str, Any]:
    """Everything stored about one respondent, for their own download (GDPR art. 15 and 20)."""
    assert respondent.id is not None
    assessment = session.get(Assessment, respondent.assessment_id)
    assert assessment is not None
    organisation = session.get(Organisation, assessment.organisation_id)
    questionnaire = questionnaires.for_assessment(session, catalog, assessment)
    lang = questionnaire.language(respondent.language)
    rows = {row.question_id: row for row in session.exec(
        select(AnswerRow).where(AnswerRow.respondent_id == respondent.id).order_by(col(AnswerRow.id)))}
    answers = []
    for question in questionnaire.questions():
        row = rows.pop(question.id, None)
        if row is not None:
            answers.append(_answer(row, question.dimension_id, question.text.get(lang)))
    answers += [_answer(row, None, None) for row in rows.values()]  # questions of no current version
    return {
        "format": EXPORT_FORMAT,
        "version": 1,
        "exported_at": _iso(utcnow()),
        "respondent": {
            "role": respondent.role, "name": respondent.name, "email": respondent.email,
            "language": respondent.language, "created_at": _iso(respondent.created_at),
            "updated_at": _iso(respondent.updated_at), "finished_at": _iso(respondent.finished_at),
            "privacy_accepted_at": _iso(respondent.privacy_accepted_at),
        },
        "assessment": {
            "title": assessment.title, "organisation": organisation.name if organisation else None,
            "questionnaire": questionnaire.id, "questionnaire_version": questionnaire.version,
        },
        "answers": answers,
    }


def _answer(row: AnswerRow, dimension: str | None, text: str | None) -> dict[str, Any]:
    return {"question_id": row.question_id, "dimension": dimension, "question": text, "value": row.value,
            "comment": row.comment, "reason": row.reason, "updated_at": _iso(row.updated_at)}


def respondent_csv(session: Session, catalog: Catalog, respondent: Respondent, lang: str) -> bytes:
    """The respondent's answers as the consultants' CSV has them (one row per question, the level in words)."""
    assessment = session.get(Assessment, respondent.assessment_id)
    assert assessment is not None and respondent.id is not None
    organisation = session.get(Organisation, assessment.organisation_id)
    assert organisation is not None
    questionnaire = questionnaires.for_assessment(session, catalog, assessment)
    response = to_response(respondent, repo.answers_of(session, [respondent.id])[respondent.id])
    rows = exports.answer_rows(questionnaire, organisation, assessment, [respondent], [response],
                               questionnaire.language(lang))
    return exports.to_csv(rows, exports.headers(lang))
