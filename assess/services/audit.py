"""The audit log: who (which account) read or exported what, and when."""

from __future__ import annotations

from typing import Protocol

from sqlmodel import Session, col, select

from assess.db.models import AuditEntry


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
