"""The engine, created once per app; sessions are per request. The schema comes from migrations (assess.db.schema)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session
from sqlmodel import create_engine

log = logging.getLogger(__name__)
_AFTER_COMMIT = "assess.after_commit"


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create the engine; SQLite gets WAL and a busy timeout so several workers can write."""
    kwargs: dict[str, Any] = {"echo": echo, "pool_pre_ping": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        @event.listens_for(engine, "connect")
        def _pragmas(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA secure_delete=ON")  # deleted rows are overwritten, not left in free pages
            cursor.close()
    return engine



def after_commit(session: Session, callback: Callable[[], object]) -> None:
    """Run `callback` once the session's transaction has committed (never if it rolls back)."""
    session.info.setdefault(_AFTER_COMMIT, []).append(callback)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    for callback in session.info.pop(_AFTER_COMMIT, []):
        try:
            callback()
        except Exception:  # the commit stands; what follows it is best effort and must not fail the request
            log.exception("a step after commit failed")


@event.listens_for(Session, "after_rollback")
def _drop_after_commit(session: Session) -> None:
    session.info.pop(_AFTER_COMMIT, None)


def checkpoint(engine: Engine) -> None:
    """SQLite: move the write-ahead log into the database file and empty it, so deleted data leaves the -wal file."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
        if busy and busy[0]:
            log.warning("the SQLite checkpoint after a deletion was blocked by a reader: deleted data stays in the "
                        "-wal file until the next checkpoint that is not (the next deletion, or SQLite's own)")


# The errors of a database that cannot be reached (down, restarting, the connection cut): a 503, never a 500.
UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)


def ping(session: Session) -> bool:
    """The database answers a trivial query."""
    try:
        session.execute(text("SELECT 1"))
    except Exception as error:  # any failure means unreachable; the reason goes to the log only
        log.warning("health check: database unavailable: %s", type(error).__name__)
        return False
    return True
