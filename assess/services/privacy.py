"""Data protection on request: accept the notice, delete a respondent or a client, export one's own answers.

Deletions remove the rows outright (no "deleted" flag), child rows first, so
that nothing of a deleted person or client is left in any table or export.
The audit log keeps only that a deletion happened: who, when, kind and id.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, update
from sqlalchemy import select as columns
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from assess.cache import assessment_tag, shared_cache
from assess.catalog import Catalog
from assess.db.models import (
    AnswerRow,
    Assessment,
    AssessmentScore,
    AuditEntry,
    Consensus,
    Organisation,
    Respondent,
    Workspace,
    utcnow,
)
from assess.db.session import after_commit, checkpoint
from assess.services import peers, questionnaires
from assess.services.audit import Actor

EXPORT_FORMAT = "assess-respondent-export"


def accept_notice(session: Session, respondent: Respondent, at: dt.datetime | None = None) -> None:
    """Note when the respondent confirmed the privacy notice (the first confirmation counts)."""
    if respondent.privacy_accepted_at is None:
        respondent.privacy_accepted_at = at or utcnow()
        session.add(respondent)
        session.flush()


@dataclass(frozen=True, slots=True)
class Notice:
    """What the privacy notice says about one respondent's data."""

    retention_days: int
    workspace: str | None  # the consultancy running the assessment; None for a public self-assessment
    contact: str | None = None  # where to ask for access, correction or deletion ($ASSESS_PRIVACY_CONTACT)


def notice_for(session: Session, assessment: Assessment | None) -> Notice:
    """The retention period and the controller that apply to an assessment (None: a new self-assessment)."""
    organisation = session.get(Organisation, assessment.organisation_id) if assessment is not None else None
    workspace = session.get(Workspace, organisation.workspace_id) if organisation and organisation.workspace_id else None
    contact = os.environ.get("ASSESS_PRIVACY_CONTACT", "").strip()[:200] or None
    if workspace is None:
        return Notice(self_assessment_retention_days(), None, contact)
    return Notice(workspace.retention_days, workspace.name, contact)


def _delete(session: Session, model: Any, column: Any, ids: Collection[int]) -> int:
    if not ids:
        return 0
    result: Any = session.execute(delete(model).where(column.in_(list(ids))).execution_options(synchronize_session=False))
    return int(result.rowcount or 0)


def forget_artefacts(session: Session, assessment_ids: Collection[int]) -> None:
    """Delete every cached chart and PDF that shows these assessments, now and again after the commit.

    Now, so that a cache that cannot be reached stops the deletion (it raises; the caller
    rolls back) instead of keeping copies of deleted data; after the commit, for a report
    rendered in the meantime. SQLite also checkpoints then, so the data leaves its -wal file.
    """
    tags = [assessment_tag(a) for a in assessment_ids]
    shared_cache().forget(tags)
    engine = session.get_bind()
    after_commit(session, lambda: shared_cache().forget(tags))
    if isinstance(engine, Engine):
        after_commit(session, lambda: checkpoint(engine))


def delete_respondents(session: Session, ids: Collection[int], *, copies: bool = True) -> Counter[str]:
    """Delete respondents with their answers; return the number of rows per table.

    `copies`: also delete the cached reports of their assessments (the caller does when it deletes those).
    """
    counts: Counter[str] = Counter()
    if ids and copies:
        assessments = session.exec(select(Respondent.assessment_id).where(col(Respondent.id).in_(list(ids)))).all()
        forget_artefacts(session, set(assessments))
    counts["answer"] += _delete(session, AnswerRow, col(AnswerRow.respondent_id), ids)
    counts["respondent"] += _delete(session, Respondent, col(Respondent.id), ids)
    _forget(session)
    return counts


def delete_assessments(session: Session, ids: Collection[int]) -> Counter[str]:
    """Delete assessments with their respondents, answers and consensus."""
    if not ids:
        return Counter()
    organisations = session.exec(select(Assessment.organisation_id).where(col(Assessment.id).in_(list(ids)))).all()
    groups = peers.group_keys(session, list(set(organisations)))  # peer groups these assessments counted in
    forget_artefacts(session, ids)
    respondents = session.exec(select(Respondent.id).where(col(Respondent.assessment_id).in_(list(ids)))).all()
    counts = delete_respondents(session, [r for r in respondents if r is not None], copies=False)
    counts["consensus"] += _delete(session, Consensus, col(Consensus.assessment_id), ids)
    counts["assessment_score"] += _delete(session, AssessmentScore, col(AssessmentScore.assessment_id), ids)
    # A follow-up of a deleted assessment stays, without its link to the deleted one.
    session.execute(update(Assessment).where(col(Assessment.previous_id).in_(list(ids)))
                    .values(previous_id=None).execution_options(synchronize_session=False))
    counts["assessment"] += _delete(session, Assessment, col(Assessment.id), ids)
    peers.refresh_groups(session, groups)
    _forget(session)
    return counts


def delete_organisations(session: Session, ids: Collection[int]) -> Counter[str]:
    """Delete client organisations with everything under them."""
    if not ids:
        return Counter()
    assessments = session.exec(select(Assessment.id).where(col(Assessment.organisation_id).in_(list(ids)))).all()
    counts = delete_assessments(session, [a for a in assessments if a is not None])
    counts["organisation"] += _delete(session, Organisation, col(Organisation.id), ids)
    _forget(session)
    return counts


def _forget(session: Session) -> None:
    """Drop loaded rows from the session: some of them no longer exist."""
    session.flush()
    session.expunge_all()


def delete_respondent(session: Session, catalog: Catalog, actor: Actor, respondent: Respondent) -> Counter[str]:
    """Delete one respondent (their answers leave every aggregate, peer figures included) and note it in the audit log."""
    assert respondent.id is not None
    respondent_id, assessment_id = respondent.id, respondent.assessment_id
    counts = delete_respondents(session, [respondent_id])
    peers.refresh(session, catalog, assessment_id)
    _audit(session, actor, "delete", "respondent", respondent_id)
    return counts


def delete_organisation(session: Session, actor: Actor, organisation: Organisation) -> Counter[str]:
    """Delete a client organisation with its assessments, respondents, answers and consensus."""
    assert organisation.id is not None
    organisation_id = organisation.id
    counts = delete_organisations(session, [organisation_id])
    _audit(session, actor, "delete", "organisation", organisation_id)
    return counts


def _audit(session: Session, actor: Actor, action: str, object_type: str, object_id: int) -> None:
    session.add(AuditEntry(workspace_id=actor.workspace_id, user_id=actor.id, action=action,
                           object_type=object_type, object_id=object_id))
    session.flush()


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
    lang = respondent.language if respondent.language in questionnaire.languages else questionnaire.languages[0]
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


# Retention: `assess purge` deletes what is past each workspace's period.

SELF_ASSESSMENT_RETENTION_ENV = "ASSESS_SELF_ASSESSMENT_RETENTION_DAYS"
DEFAULT_SELF_ASSESSMENT_RETENTION_DAYS = 365
MIN_RETENTION_DAYS, MAX_RETENTION_DAYS = 30, 3650


def self_assessment_retention_days(environ: Mapping[str, str] = os.environ) -> int:
    """How long public self-assessments are kept after their last activity ($ASSESS_SELF_ASSESSMENT_RETENTION_DAYS)."""
    raw = environ.get(SELF_ASSESSMENT_RETENTION_ENV, "").strip()
    if not raw:
        return DEFAULT_SELF_ASSESSMENT_RETENTION_DAYS
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{SELF_ASSESSMENT_RETENTION_ENV} must be a number of days (1 or more), got {raw!r}")
    return int(raw)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _latest(*values: dt.datetime | None) -> dt.datetime:
    found = [v for v in map(_aware, values) if v is not None]
    return max(found) if found else dt.datetime.min.replace(tzinfo=dt.UTC)


def _grouped_max(session: Session, query: Any) -> dict[int, dt.datetime | None]:
    return {row[0]: _latest(*row[1:]) for row in session.execute(query)}


def last_activity(session: Session) -> dict[int, dt.datetime]:
    """The latest change per assessment: created, a respondent's save or finish, an answer, a consensus."""
    rid, aid = col(Respondent.id), col(Respondent.assessment_id)
    respondents = _grouped_max(session, columns(
        aid, func.max(col(Respondent.created_at)), func.max(col(Respondent.updated_at)),
        func.max(col(Respondent.finished_at)), func.max(col(Respondent.privacy_accepted_at)),
    ).group_by(aid))
    answers = _grouped_max(session, columns(aid, func.max(col(AnswerRow.updated_at)))
                           .join(Respondent, rid == col(AnswerRow.respondent_id)).group_by(aid))
    consensus = _grouped_max(session, columns(col(Consensus.assessment_id), func.max(col(Consensus.updated_at)))
                             .group_by(col(Consensus.assessment_id)))
    created = session.execute(columns(col(Assessment.id), col(Assessment.created_at))).all()
    return {a: _latest(at, respondents.get(a), answers.get(a), consensus.get(a)) for a, at in created}


@dataclass(frozen=True, slots=True)
class PurgeReport:
    counts: Counter[str]  # deleted rows per table
    assessments: list[int]
    organisations: list[int]


def purge(session: Session, *, now: dt.datetime | None = None, self_assessment_days: int | None = None) -> PurgeReport:
    """Delete assessments, then organisations, whose last activity is older than the retention period.

    Client data follows its workspace's `retention_days`; public self-assessments
    (no workspace) follow `self_assessment_days`. Deletions in a workspace are
    noted in its audit log (kind and id only). The caller commits or rolls back.
    """
    now = now or utcnow()
    public_days = self_assessment_days if self_assessment_days is not None else self_assessment_retention_days()
    periods = {ws_id: days for ws_id, days in session.execute(columns(col(Workspace.id), col(Workspace.retention_days)))}

    def cutoff(workspace_id: int | None) -> dt.datetime:
        days = public_days if workspace_id is None else periods.get(workspace_id, DEFAULT_SELF_ASSESSMENT_RETENTION_DAYS)
        return now - dt.timedelta(days=max(days, 1))

    activity = last_activity(session)
    owners = {oid: (ws, created) for oid, ws, created in session.execute(
        columns(col(Organisation.id), col(Organisation.workspace_id), col(Organisation.created_at)))}
    expired: list[tuple[int, int | None]] = []
    active_orgs: set[int] = set()
    for aid, oid in session.execute(columns(col(Assessment.id), col(Assessment.organisation_id)).order_by(col(Assessment.id))):
        workspace_id = owners[oid][0]
        if activity[aid] < cutoff(workspace_id):
            expired.append((aid, workspace_id))
        else:
            active_orgs.add(oid)
    orgs = [(oid, ws) for oid, (ws, created) in owners.items()
            if oid not in active_orgs and _latest(created) < cutoff(ws)]
    counts = delete_assessments(session, [aid for aid, _ws in expired])
    counts += delete_organisations(session, [oid for oid, _ws in orgs])
    for object_type, items in (("assessment", expired), ("organisation", orgs)):
        for object_id, workspace_id in items:
            if workspace_id is not None:  # the workspace admin sees what retention removed
                session.add(AuditEntry(workspace_id=workspace_id, user_id=None, action="purge",
                                       object_type=object_type, object_id=object_id))
    session.flush()
    return PurgeReport(counts, [aid for aid, _ws in expired], [oid for oid, _ws in orgs])
