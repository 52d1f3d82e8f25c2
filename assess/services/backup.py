"""Backups: every row of every table (or of one workspace) as JSON lines, and their restore.

The file is versioned: a header line (format, format version, schema revision,
time, scope), one line per row (`{"table": ..., "row": {...}}`, tables in
foreign-key order, rows by id, times as ISO 8601 in UTC), and an end line with
the row count per table, so that a truncated file is refused. The rows are read
in one read-only transaction, so the backup is consistent while the app runs.
A restore fills an empty database only.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import gzip
import json
import os
import sys
import tempfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from alembic.runtime.migration import MigrationContext
from alembic.util import CommandError
from sqlalchemy import Boolean, Date, DateTime, Integer, LargeBinary, Numeric, Select, String, Table, func, inspect, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import StatementError

from assess.db.models import MAX_ID
from assess.db.schema import SchemaError, head_revision, target_metadata, upgrade
from assess.domain.text import is_storable

FORMAT = "assess-backup"
FORMAT_VERSION = 1
BATCH = 500

# How each table hangs off a workspace (column, parent table), for the backup of one workspace.
SCOPE: dict[str, tuple[str, str | None]] = {
    "workspace": ("id", None),
    "user": ("workspace_id", "workspace"),
    "api_token": ("user_id", "user"),
    "organisation": ("workspace_id", "workspace"),
    "stored_questionnaire": ("workspace_id", "workspace"),
    "assessment": ("organisation_id", "organisation"),
    "respondent": ("assessment_id", "assessment"),
    "answer": ("respondent_id", "respondent"),
    "consensus": ("assessment_id", "assessment"),
    "plan_item": ("assessment_id", "assessment"),
    "assessment_score": ("assessment_id", "assessment"),
    "peer_aggregate": ("workspace_id", "workspace"),
    "peer_published": ("workspace_id", "workspace"),
    "peer_pending": ("workspace_id", "workspace"),
    "audit_log": ("workspace_id", "workspace"),
    "brand": ("workspace_id", "workspace"),
}


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message says why and what to do."""


def _tables() -> list[Table]:
    return list(target_metadata().sorted_tables)


@contextlib.contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection inside one read-only transaction: every query sees the same state."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                connection.exec_driver_sql("SET TRANSACTION READ ONLY")
                yield connection
            return
        # pysqlite runs SELECTs outside any transaction unless one is opened explicitly.
        connection.exec_driver_sql("BEGIN")
        try:
            yield connection
        finally:
            connection.rollback()


def _ids(table_name: str, workspace_id: int) -> Select[Any]:
    table = target_metadata().tables[table_name]
    column, parent = SCOPE[table_name]
    if parent is None:
        return select(table.c.id).where(table.c[column] == workspace_id)
    return select(table.c.id).where(table.c[column].in_(_ids(parent, workspace_id)))


def _query(table: Table, workspace_id: int | None) -> Select[Any]:
    query = select(table).order_by(*table.primary_key.columns)
    if workspace_id is None:
        return query
    if table.name not in SCOPE:
        raise BackupError(f"table {table.name} has no workspace scope: add it to assess.services.backup.SCOPE")
    column, parent = SCOPE[table.name]
    if parent is None:
        return query.where(table.c[column] == workspace_id)
    return query.where(table.c[column].in_(_ids(parent, workspace_id)))


def _dump(value: Any) -> Any:
    if isinstance(value, bytes):  # a logo: base64 text in the file
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _line(item: dict[str, Any]) -> str:
    return json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n"


def write_backup(engine: Engine, out: TextIO, *, workspace_id: int | None = None) -> Counter[str]:
    """Write a consistent backup of the database (or of one workspace) to `out`; return rows per table."""
    counts: Counter[str] = Counter()
    with _snapshot(engine) as connection:
        revision = MigrationContext.configure(connection).get_current_revision()
        if revision != head_revision():
            raise BackupError(f"the database is at schema revision {revision or 'none'}, this version of assess "
                              f"needs {head_revision()}: run `assess db upgrade` first")
        if workspace_id is not None and connection.execute(_ids("workspace", workspace_id)).first() is None:
            raise BackupError(f"there is no workspace {workspace_id}")
        out.write(_line({"format": FORMAT, "format_version": FORMAT_VERSION, "schema_revision": revision,
                         "created_at": _dump(dt.datetime.now(dt.UTC)), "workspace": workspace_id,
                         "tables": [t.name for t in _tables()]}))
        for table in _tables():
            counts[table.name] = 0
            result = connection.execution_options(yield_per=BATCH).execute(_query(table, workspace_id))
            for row in result.mappings():
                out.write(_line({"table": table.name, "row": {k: _dump(v) for k, v in row.items()}}))
                counts[table.name] += 1
        out.write(_line({"end": True, "counts": dict(counts)}))
    return counts


def read_header(line: str) -> dict[str, Any]:
    """The header of a backup file, checked."""
    try:
        header = json.loads(line)
    except ValueError:  # also a number longer than int() takes
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError("this is not an assess backup (the first line must be its header)")
    version = header.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(f"backup format version {version!r} is newer than this version of assess reads "
                          f"({FORMAT_VERSION}): restore it with a newer assess")
    return header


class _Unstorable(ValueError):
    pass


def _all_text(value: Any) -> Iterator[str]:
    """Every string in a JSON value, keys included."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            yield from (k for k in item if isinstance(k, str))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _check_type(base: Any, value: Any) -> None:
    """Refuse what one database would store and the other refuse (SQLite takes 2**40 for an id, PostgreSQL not)."""
    if isinstance(base, Boolean):
        if not isinstance(value, bool):
            raise TypeError
    elif isinstance(base, Integer):
        if isinstance(value, bool) or not isinstance(value, int) or not -MAX_ID - 1 <= value <= MAX_ID:
            raise ValueError
    elif isinstance(base, Numeric):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError
    elif isinstance(base, String) and not isinstance(value, str):
        raise TypeError
    if not all(is_storable(text) for text in _all_text(value)):
        raise _Unstorable  # PostgreSQL refuses NUL; the app never writes control characters


def _load(column_type: Any, value: Any) -> Any:
    """A value from the file as the column takes it (times and dates come as ISO text)."""
    base = getattr(column_type, "impl_instance", column_type)  # a TypeDecorator (e.g. UTCDateTime) wraps its type
    if value is None:
        return None
    if isinstance(base, DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(base, Date):
        return dt.date.fromisoformat(value)
    if isinstance(base, LargeBinary):
        if not isinstance(value, str):
            raise TypeError
        return base64.b64decode(value, validate=True)  # binascii.Error is a ValueError
    _check_type(base, value)
    return value


def _row(table: Table, row: dict[str, Any], number: int) -> dict[str, Any]:
    """The values of one line's row, checked column by column."""
    unknown = sorted(key for key in row if key not in table.c)
    if unknown:
        raise BackupError(f"line {number}: table {table.name} has no column {unknown[0][:60]!r} (the file was edited or "
                          "written by another program): nothing was restored")
    values = {}
    for key, value in row.items():
        try:
            values[key] = _load(table.c[key].type, value)
        except _Unstorable:
            raise BackupError(f"line {number}: {table.name}.{key} holds text with a NUL or another control "
                              "character, which cannot be stored: nothing was restored") from None
        except (TypeError, ValueError):
            raise BackupError(f"line {number}: {table.name}.{key} has a value of the wrong type or out of range: "
                              "nothing was restored") from None
    return values


def _check_empty(connection: Connection) -> None:
    for table in _tables():
        rows = connection.execute(select(func.count()).select_from(table)).scalar_one()
        if rows:
            raise BackupError(f"the database is not empty (table {table.name} has {rows} rows): restore only into a "
                              "new, empty database, so that nothing is mixed or overwritten")


def _prepare(engine: Engine, revision: str) -> None:
    """Bring an empty database to the backup's schema revision; refuse one with data or another revision."""
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        if current is None and set(inspect(connection).get_table_names()) & set(target_metadata().tables):
            raise BackupError("the database has assess tables but no migration history: use a new, empty database")
    if current is None:
        try:
            upgrade(engine, revision)
        except CommandError:
            raise BackupError(f"the backup has schema revision {revision!r}, which this version of assess does not "
                              "know: restore it with the version that wrote it (or a newer one)") from None
    elif current != revision:
        raise BackupError(f"the database is at schema revision {current}, the backup at {revision}: restore into a "
                          "new, empty database (it is migrated to the backup's revision, then to this version's)")


def _reset_sequences(connection: Connection) -> None:
    """PostgreSQL hands out ids from sequences: continue after the restored ids."""
    if connection.dialect.name != "postgresql":
        return
    for table in _tables():
        if "id" in table.c:
            name = connection.dialect.identifier_preparer.quote(table.name)
            connection.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) "
                f"FROM {name}")


def _insert(connection: Connection, table: Table, rows: list[dict[str, Any]], line: int | None) -> None:
    try:
        connection.execute(table.insert(), rows)
    except StatementError as error:  # the message would quote row values: name the table only
        where = f"before line {line}" if line else "at the end"
        raise BackupError(f"rows of table {table.name} {where} cannot be inserted "
                          f"({type(error.orig).__name__}): nothing was restored") from None


def restore_backup(engine: Engine, lines: Iterable[str]) -> Counter[str]:
    """Load a backup into an empty database, in one transaction; return rows per table."""
    iterator = iter(lines)
    header = read_header(next(iterator, ""))
    revision = header.get("schema_revision")
    if not isinstance(revision, str):
        raise BackupError("the backup header names no schema revision")
    _prepare(engine, revision)
    with engine.begin() as connection:
        _check_empty(connection)
        counts, end = _load_rows(connection, iterator)
        if end is None:
            raise BackupError("the backup is incomplete (no end line): nothing was restored")
        raw = end.get("counts")
        expected = {k: v for k, v in raw.items() if v} if isinstance(raw, dict) else None
        if expected != {k: v for k, v in counts.items() if v}:
            raise BackupError("the backup's row counts do not match its end line: nothing was restored")
        _reset_sequences(connection)
    if revision != head_revision():
        try:
            upgrade(engine)
        except SchemaError as error:
            raise BackupError(str(error)) from None
        from assess.catalog import Catalog
        from assess.services.peers import rebuild_after_upgrade

        rebuild_after_upgrade(engine, Catalog(), revision)  # a backup from before stored peer figures
    return counts


def _item(line: str, number: int) -> dict[str, Any]:
    try:
        item = json.loads(line)
    except ValueError:  # also a number longer than int() takes
        raise BackupError(f"line {number}: not valid JSON; the file is damaged: nothing was restored") from None
    if not isinstance(item, dict):
        raise BackupError(f"line {number}: not a row of a known table")
    return item


def _load_rows(connection: Connection, iterator: Iterator[str]) -> tuple[Counter[str], dict[str, Any] | None]:
    """Insert the rows after the header in batches per table; return the counts and the end line (None: none)."""
    tables = target_metadata().tables
    counts: Counter[str] = Counter()
    batch: list[dict[str, Any]] = []
    current: Table | None = None
    end: dict[str, Any] | None = None
    for number, line in enumerate(iterator, start=2):
        if end is not None:
            raise BackupError(f"line {number}: more after the end line (was something appended to the file?): "
                              "nothing was restored")
        item = _item(line, number)
        if item.get("end"):
            end = item
            continue  # to the end of the file: nothing may follow
        name, row = item.get("table"), item.get("row")
        table = tables.get(name) if isinstance(name, str) else None
        if table is None or not isinstance(row, dict):
            raise BackupError(f"line {number}: not a row of a known table")
        if current is not None and (table is not current or len(batch) >= BATCH):
            _insert(connection, current, batch, number)
            batch = []
        current = table
        batch.append(_row(table, row, number))
        counts[table.name] += 1
    if current is not None and batch:
        _insert(connection, current, batch, None)
    return counts, end


def _open(path: str, *, write: bool, compressed: bool) -> TextIO:
    if compressed:
        return gzip.open(path, "wt", encoding="utf-8") if write else gzip.open(path, "rt", encoding="utf-8")
    return open(path, "w", encoding="utf-8") if write else open(path, encoding="utf-8")


def backup_to_file(engine: Engine, path: str, *, workspace_id: int | None = None) -> Counter[str]:
    """Write a backup to `path` (".gz": compressed; "-": standard output), readable by its owner only."""
    if path == "-":
        return write_backup(engine, sys.stdout, workspace_id=workspace_id)
    handle, temporary = tempfile.mkstemp(prefix=".assess-backup-", dir=os.path.dirname(os.path.abspath(path)))
    os.close(handle)  # mkstemp made it with mode 0600
    try:
        with _open(temporary, write=True, compressed=path.endswith(".gz")) as out:
            counts = write_backup(engine, out, workspace_id=workspace_id)
        os.replace(temporary, path)  # a failed run never leaves a half-written backup under the real name
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return counts


def _read_lines(stream: TextIO) -> Iterator[str]:
    """The lines of `stream`; damage to its compression or encoding is a BackupError."""
    try:
        yield from stream
    except (zlib.error, EOFError, gzip.BadGzipFile):  # a changed byte, a cut-off end, a wrong checksum
        raise BackupError("the file is damaged: its compressed data cannot be read: nothing was restored") from None
    except UnicodeDecodeError:
        raise BackupError("the file is damaged: it is not UTF-8 text: nothing was restored") from None


def restore_from_file(engine: Engine, path: str) -> Counter[str]:
    """Restore the backup at `path` (".gz": compressed; "-": standard input) into an empty database."""
    if path == "-":
        return restore_backup(engine, _read_lines(sys.stdin))
    with _open(path, write=False, compressed=path.endswith(".gz")) as lines:
        return restore_backup(engine, _read_lines(lines))
