"""Retention: how long data is kept after its last activity, and `assess purge`, which deletes the rest."""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as columns
from sqlmodel import Session, col

from assess.db.models import AnswerRow, Assessment, AuditEntry, Consensus, Organisation, Respondent, Workspace, utcnow
from assess.services.audit import Actor, record
from assess.services.privacy.deletion import delete_assessments, delete_organisations

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


def set_retention_days(session: Session, actor: Actor, days: int) -> None:
    """Keep the actor's workspace's client data `days` after its last activity (within the allowed range)."""
    if not MIN_RETENTION_DAYS <= days <= MAX_RETENTION_DAYS:
        raise ValueError(f"retention must be {MIN_RETENTION_DAYS} to {MAX_RETENTION_DAYS} days, got {days}")
    workspace = session.get(Workspace, actor.workspace_id)
    assert workspace is not None
    workspace.retention_days = days
    session.add(workspace)
    session.flush()
    record(session, actor, "set_retention", "workspace", workspace.id)
