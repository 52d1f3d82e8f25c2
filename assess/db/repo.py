"""Data functions shared by several services, on the hot paths (statements built once). They flush,
never commit: the request boundary commits. A query that one use case alone needs lives in its service
module (one operations module per feature, as Indico does), so this file stays small on purpose."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import bindparam, update
from sqlalchemy import select as sa_select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from assess.db.models import AnswerRow, Assessment, Organisation, Respondent, utcnow


def token_hash(token: str) -> str:
    """The stored form of a resume token."""
    return hashlib.sha256(token.encode()).hexdigest()


def add(session: Session, row: Organisation | Assessment | Respondent) -> None:
    session.add(row)
    session.flush()
    if isinstance(row, Respondent):
        data_changed(session, [row.assessment_id])


def data_changed(session: Session, assessment_ids: Iterable[int]) -> None:
    """Mark what the assessments' results are computed from as changed (answers, respondents, consensus).

    A new random value, not a counter: a value written in a transaction that rolls back is never reused,
    so a result derived inside that transaction can never be mistaken for a later state's.
    """
    ids = sorted(set(assessment_ids))
    if ids:
        _new_data_version(session, col(Assessment.id).in_(ids))


def _new_data_version(session: Session, where: Any) -> None:
    session.execute(update(Assessment).where(where).values(data_version=secrets.token_hex(16))
                    .execution_options(synchronize_session=False))


def result_inputs(session: Session, assessment_id: int) -> tuple[str, int | None] | None:
    """The assessment's data version as stored now and its organisation's workspace (None: no such assessment)."""
    row = session.execute(
        sa_select(col(Assessment.data_version), col(Organisation.workspace_id))
        .join(Organisation, col(Organisation.id) == col(Assessment.organisation_id))
        .where(col(Assessment.id) == assessment_id)).first()
    return None if row is None else (row[0], row[1])


# Built once: constructing a statement costs more than running it on the pages' hot path.
_RESPONDENT_BY_TOKEN = (
    select(Respondent, Assessment)
    .join(Assessment, col(Assessment.id) == col(Respondent.assessment_id))
    .where(col(Respondent.token_hash) == bindparam("token_hash"))
)
_ANSWERS_OF = (
    sa_select(col(AnswerRow.respondent_id), col(AnswerRow.question_id), col(AnswerRow.value), col(AnswerRow.comment),
           col(AnswerRow.reason))
    .where(col(AnswerRow.respondent_id).in_(bindparam("ids", expanding=True)))
    .order_by(col(AnswerRow.id))
)


class StoredAnswer(NamedTuple):
    """An answer as stored: plain columns, no ORM object (results load thousands of them)."""

    respondent_id: int
    question_id: str
    value: str | None
    comment: str
    reason: str


def respondent_with_assessment(session: Session, token: str) -> tuple[Respondent, Assessment] | None:
    """The respondent a resume token belongs to, with its assessment, in one query."""
    if not token or len(token) > 100:
        return None
    row = session.exec(_RESPONDENT_BY_TOKEN, params={"token_hash": token_hash(token)}).first()
    return None if row is None else (row[0], row[1])


def withdrawn_hash(stored_hash: str) -> str:
    """What a withdrawn link's hash becomes: no link opens it any more, yet the link is recognised as withdrawn."""
    return token_hash("withdrawn:" + stored_hash)


def withdrawn_respondent(session: Session, token: str) -> tuple[Respondent, Assessment] | None:
    """The respondent whose link `token` was, before it was withdrawn (None: no link ever, or a new one since)."""
    if not token or len(token) > 100:
        return None
    row = session.exec(_RESPONDENT_BY_TOKEN, params={"token_hash": withdrawn_hash(token_hash(token))}).first()
    return None if row is None else (row[0], row[1])


def respondent_by_token(session: Session, token: str) -> Respondent | None:
    found = respondent_with_assessment(session, token)
    return None if found is None else found[0]


def answers_of(session: Session, respondent_ids: Sequence[int]) -> dict[int, list[StoredAnswer]]:
    """All answers of the given respondents, in one query."""
    rows: dict[int, list[StoredAnswer]] = {rid: [] for rid in respondent_ids}
    if not respondent_ids:
        return rows
    for row in session.execute(_ANSWERS_OF, params={"ids": list(respondent_ids)}):
        rows[row[0]].append(StoredAnswer(*row))
    return rows


def _upsert_statement(dialect: str) -> Any:
    """INSERT ... ON CONFLICT (respondent, question) DO UPDATE, built once per dialect."""
    if dialect not in _UPSERTS:
        insert: Any = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[dialect]
        statement = insert(AnswerRow)
        _UPSERTS[dialect] = statement.on_conflict_do_update(
            index_elements=["respondent_id", "question_id"],
            set_={key: statement.excluded[key] for key in ("value", "comment", "reason", "updated_at")},
        )
    return _UPSERTS[dialect]


_UPSERTS: dict[str, Any] = {}


def upsert_answers(session: Session, respondent_id: int, items: Iterable[tuple[str, str | None, str, str]]) -> int:
    """Write (question_id, value, comment, reason) per question; the last write of each question wins.

    INSERT ... ON CONFLICT DO UPDATE (sent as one batch), so two tabs or two
    workers saving the same respondent never fail on the unique constraint and
    never touch questions they did not send.
    """
    now = utcnow()
    rows = [
        {"respondent_id": respondent_id, "question_id": question_id, "value": value,
         "comment": comment, "reason": reason, "updated_at": now}
        for question_id, value, comment, reason in items
    ]
    if not rows:
        return 0
    session.execute(_upsert_statement(session.get_bind().dialect.name), rows)
    _new_data_version(session, col(Assessment.id) == sa_select(col(Respondent.assessment_id))
                      .where(col(Respondent.id) == respondent_id).scalar_subquery())
    session.flush()
    return len(rows)
