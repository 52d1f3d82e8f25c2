from __future__ import annotations

import datetime as dt
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

from assess.catalog import Catalog, load_questionnaire
from assess.config import normalise_database_url
from assess.db.schema import target_metadata, upgrade
from assess.db.session import make_engine
from assess.domain.questionnaire import Questionnaire

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEFAULT_FILE = ROOT / "questionnaires" / "digital-readiness.yaml"


@pytest.fixture(scope="session")
def mini() -> Questionnaire:
    return load_questionnaire(FIXTURES / "mini.yaml")


@pytest.fixture(scope="session")
def default_questionnaire() -> Questionnaire:
    return load_questionnaire(DEFAULT_FILE)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog()


# The database: SQLite files by default; with TEST_DATABASE_URL (any database on a PostgreSQL
# server, e.g. postgresql://postgres@127.0.0.1:5432/postgres) the run creates a database of
# its own on that server and drops it at the end. Tests marked `postgres` run only then.
TEST_DATABASE_PREFIX = "assess_test_"


def postgres_server_url() -> str | None:
    """The PostgreSQL server the suite runs against, or None for SQLite."""
    url = os.environ.get("TEST_DATABASE_URL")
    return normalise_database_url(url) if url else None


def migrate(url: str) -> None:
    """Bring the database at `url` to the newest schema revision."""
    engine = make_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()


@contextmanager
def new_database(directory: Path, *, migrated: bool = True) -> Iterator[str]:
    """A database of its own: a SQLite file in `directory`, or a uniquely named PostgreSQL database, dropped on exit."""
    server = postgres_server_url()
    if server is None:
        url = f"sqlite:///{directory / 'assess.db'}"
        if migrated:
            migrate(url)
        yield url
        return
    name = f"{TEST_DATABASE_PREFIX}{time.strftime('%Y%m%d%H%M%S')}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        url = make_url(server).set(database=name).render_as_string(hide_password=False)
        if migrated:
            migrate(url)
        yield url
    finally:
        with admin.connect() as connection:  # FORCE: a connection a failed test left open must not keep it alive
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def drop_stale_databases(server: str, older_than: dt.timedelta = dt.timedelta(days=1)) -> None:
    """Drop what runs that were killed (so never cleaned up) left on the server a day or more ago."""
    cutoff = (dt.datetime.now() - older_than).strftime("%Y%m%d%H%M%S")
    admin = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as connection:
            names = connection.execute(text("SELECT datname FROM pg_database WHERE datname LIKE :prefix"),
                                       {"prefix": TEST_DATABASE_PREFIX + "%"}).scalars().all()
            for name in names:
                stamp = name.removeprefix(TEST_DATABASE_PREFIX).split("_")[0]
                if stamp.isdigit() and stamp < cutoff:
                    connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


def empty_tables(url: str) -> None:
    """Delete every row and reset the id sequences, keeping the schema."""
    engine = create_engine(url, poolclass=NullPool)
    quote = engine.dialect.identifier_preparer.quote
    tables = ", ".join(quote(table.name) for table in target_metadata().sorted_tables)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("SET LOCAL lock_timeout = '10s'")  # a leaked transaction fails the test, not hangs it
            connection.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def base_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The test run's database, migrated once: SQLite, or PostgreSQL when TEST_DATABASE_URL is set."""
    server = postgres_server_url()
    if server is not None:
        drop_stale_databases(server)
    with new_database(tmp_path_factory.mktemp("database")) as url:
        yield url


@pytest.fixture
def database_url(base_database_url: str, tmp_path: Path) -> str:
    """A migrated database with no rows, for one test: a copy of the SQLite file, or the PostgreSQL one emptied."""
    if base_database_url.startswith("sqlite"):
        copy = tmp_path / "test.db"
        shutil.copyfile(make_url(base_database_url).database or "", copy)
        return f"sqlite:///{copy}"
    empty_tables(base_database_url)
    return base_database_url


def pytest_report_header() -> str:
    server = postgres_server_url()
    if server is None:
        return "database: SQLite (set TEST_DATABASE_URL to run against PostgreSQL too)"
    return f"database: PostgreSQL at {make_url(server).render_as_string(hide_password=True)} (a new database per run)"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out the tests marked `postgres` when no PostgreSQL server is configured."""
    if postgres_server_url() is not None:
        return
    deselected = [item for item in items if item.get_closest_marker("postgres")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("postgres")]
