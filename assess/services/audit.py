"""The audit log: who (which account) read or exported what, and when."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from sqlmodel import Session, col, select

from assess.db.models import Assessment, AuditEntry, Organisation, Respondent, User, Workspace


class Actor(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def workspace_id(self) -> int: ...


def record(session: Session, actor: Actor, action: str, object_type: str, object_id: int | None) -> None:
    """Note an access. Only ids and kinds: never answers, comments, tokens or passwords."""
    session.add(AuditEntry(workspace_id=actor.workspace_id, user_id=actor.id, action=action[:40],
                           object_type=object_type[:40], object_id=object_id))
    session.flush()


def entries(session: Session, workspace_id: int, limit: int = 500) -> list[AuditEntry]:
    query = (select(AuditEntry).where(AuditEntry.workspace_id == workspace_id)
             .order_by(col(AuditEntry.id).desc()).limit(limit))
    return list(session.exec(query))


@dataclass(frozen=True, slots=True)
class Step:
    """One entry of the log as the audit page shows it: codes and the names of what they refer to, now."""

    at: dt.datetime
    who: str | None  # the account's e-mail; None: a respondent's own link or the operator on the command line
    action: str
    object_type: str
    object_id: int | None
    name: str | None  # the object's name or title; None: no name (an anonymous respondent) or deleted since
    exists: bool  # False: deleted since
    context: str | None  # for a respondent: the title of their assessment


# What each object type's id refers to: the table, and how it is named.
_NAMED = {"assessment": "assessment", "assessment_results": "assessment", "organisation": "organisation",
          "respondent": "respondent", "respondent_answers": "respondent", "user": "user", "workspace": "workspace"}


def _names(session: Session, workspace_id: int, kind: str, ids: set[int]) -> dict[int, tuple[str | None, str | None]]:
    """id -> (name, context) of the objects of `kind` that still exist in the workspace."""
    if not ids:
        return {}
    if kind == "assessment":
        rows = session.exec(select(Assessment.id, Assessment.title).join(
            Organisation, col(Organisation.id) == col(Assessment.organisation_id)).where(
            col(Assessment.id).in_(ids), Organisation.workspace_id == workspace_id))
        return {i: (t, None) for i, t in rows if i is not None}
    if kind == "organisation":
        orgs = session.exec(select(Organisation.id, Organisation.name).where(
            col(Organisation.id).in_(ids), Organisation.workspace_id == workspace_id))
        return {i: (n, None) for i, n in orgs if i is not None}
    if kind == "respondent":
        people = session.exec(select(Respondent.id, Respondent.name, Assessment.title).join(
            Assessment, col(Assessment.id) == col(Respondent.assessment_id)).join(
            Organisation, col(Organisation.id) == col(Assessment.organisation_id)).where(
            col(Respondent.id).in_(ids), Organisation.workspace_id == workspace_id))
        return {i: (n, t) for i, n, t in people if i is not None}
    if kind == "user":
        users = session.exec(select(User.id, User.email).where(col(User.id).in_(ids), User.workspace_id == workspace_id))
        return {i: (e, None) for i, e in users if i is not None}
    workspace = session.get(Workspace, workspace_id)
    return {workspace_id: (workspace.name, None)} if workspace is not None and workspace_id in ids else {}


def steps(session: Session, workspace_id: int, limit: int = 500) -> list[Step]:
    """The newest entries of the workspace's log, each with the current name of what it refers to."""
    found = entries(session, workspace_id, limit)
    emails = {u.id: u.email for u in session.exec(select(User).where(User.workspace_id == workspace_id))}
    names = {kind: _names(session, workspace_id, kind, _ids(found, kind)) for kind in set(_NAMED.values())}
    out = []
    for entry in found:
        kind = _NAMED.get(entry.object_type)
        known = names[kind].get(entry.object_id) if kind and entry.object_id is not None else None
        out.append(Step(entry.at, emails.get(entry.user_id) if entry.user_id is not None else None, entry.action,
                        entry.object_type, entry.object_id, known[0] if known else None, known is not None,
                        known[1] if known else None))
    return out


def _ids(found: Iterable[AuditEntry], kind: str) -> set[int]:
    return {e.object_id for e in found if e.object_id is not None and _NAMED.get(e.object_type) == kind}
