"""The database schema: Alembic migrations up to head, and the check that refuses an outdated schema.

Alembic is configured here in code, so `assess db upgrade` works from any
working directory, installed or editable, without an alembic.ini.
"""

from __future__ import annotations

import contextlib
import functools
import tempfile
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import MetaData, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

MIGRATIONS = Path(__file__).with_name("migrations")
UPGRADE_HINT = "run: assess db upgrade"
_UPGRADE_LOCK = 7_402_551  # any constant: serialises concurrent `assess db upgrade` runs on PostgreSQL


class SchemaError(RuntimeError):
    """The database schema does not fit this version of assess; the message says what to do."""


def target_metadata() -> MetaData:
    """The tables the models declare: what the migrations must produce."""
    from assess.db import models  # noqa: F401  (registers the tables)

    return SQLModel.metadata


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.attributes["connection"] = connection
    return config


@functools.cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def head_revision() -> str:
    """The revision the code needs: the newest migration."""
    heads = _scripts().get_heads()
    if len(heads) != 1:
        raise SchemaError(f"the migrations have {len(heads)} heads ({', '.join(heads)}): renumber or merge them")
    return heads[0]


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None for a database that was never migrated."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _where(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _refuse_unversioned(connection: Connection) -> None:
    tables = set(inspect(connection).get_table_names())
    if tables and "alembic_version" not in tables and tables & set(target_metadata().tables):
        raise SchemaError(f"the database {_where(connection.engine)} has assess tables but no migration history "
                          "(it was made before migrations existed): move it aside or drop its tables, then "
                          f"{UPGRADE_HINT}")


def check_schema(engine: Engine) -> None:
    """Refuse to run on a schema older or newer than the code's; say which command fixes it."""
    try:
        _check(engine)
    except SchemaError:
        engine.dispose()  # the app will not start: close the connection the check opened
        raise


def _check(engine: Engine) -> None:
    current, head = current_revision(engine), head_revision()
    if current == head:
        return
    if current is None:
        with engine.connect() as connection:
            _refuse_unversioned(connection)
        raise SchemaError(f"the database {_where(engine)} has no tables yet; {UPGRADE_HINT}")
    try:
        _scripts().get_revision(current)
    except CommandError:
        raise SchemaError(f"the database {_where(engine)} is at schema revision {current}, which this version of "
                          f"assess does not know (a newer version migrated it): run that version") from None
    raise SchemaError(f"the database {_where(engine)} is at schema revision {current}, this version of assess "
                      f"needs {head}; {UPGRADE_HINT}")


@contextlib.contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction, safe to migrate on."""
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:  # batch migrations copy and drop tables; with foreign keys on, a drop would cascade-delete rows
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                if connection.dialect.name == "postgresql":  # two deploy steps upgrading at once: the second waits
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK})
                yield connection
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Migrate the database to `revision`; return the revisions before and after."""
    with _migrating(engine) as connection:
        before = MigrationContext.configure(connection).get_current_revision()
        if before is None:
            _refuse_unversioned(connection)
        command.upgrade(_config(connection), revision)
        return before, MigrationContext.configure(connection).get_current_revision()


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the database back to `revision` (e.g. "-1" for one step)."""
    with _migrating(engine) as connection:
        command.downgrade(_config(connection), revision)


def schema_differences(engine: Engine) -> list[object]:
    """What differs between the database's schema and the models (empty when migrations are complete)."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, target_metadata()))


def new_revision(message: str) -> Path:
    """Write the next numbered migration: what the models changed since the newest one."""
    from assess.db.session import make_engine

    numbers = [int(script.revision) for script in _scripts().walk_revisions() if script.revision.isdigit()]
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/head.db")
        try:
            upgrade(engine)
            with engine.begin() as connection:
                script = command.revision(_config(connection), message=message, autogenerate=True,
                                          rev_id=f"{max(numbers, default=0) + 1:04d}")
        finally:
            engine.dispose()
    assert script is not None and not isinstance(script, list)
    return Path(script.path)
