"""What only PostgreSQL can show: concurrent upgrades, and the suite's own throwaway databases.

Run only when TEST_DATABASE_URL names a PostgreSQL server (tests/conftest.py deselects them otherwise).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

from assess.db.schema import schema_differences
from assess.db.session import make_engine
from tests.conftest import new_database, postgres_server_url

pytestmark = pytest.mark.postgres


def database_names() -> set[str]:
    engine = create_engine(postgres_server_url() or "", poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return set(connection.execute(text("SELECT datname FROM pg_database")).scalars())
    finally:
        engine.dispose()


def test_two_upgrades_at_once_both_succeed(tmp_path: Path) -> None:
    """Deploy steps (or containers) running `assess db upgrade` together: one migrates, the others wait and find it done."""
    with new_database(tmp_path, migrated=False) as url:
        env = {**os.environ, "DATABASE_URL": url}
        commands = [subprocess.Popen([sys.executable, "-m", "assess", "db", "upgrade"], env=env, cwd=tmp_path,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(3)]
        outputs = [command.communicate(timeout=60)[0] for command in commands]
        assert [command.returncode for command in commands] == [0, 0, 0], outputs
        assert sorted("upgraded from empty" in output for output in outputs) == [False, False, True], outputs
        engine = make_engine(url)
        try:
            assert schema_differences(engine) == []
        finally:
            engine.dispose()


def test_a_test_runs_database_is_dropped_even_when_the_run_fails(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="a failing test"), new_database(tmp_path) as url:
        name = make_url(url).database or ""
        assert name.startswith("assess_test_") and name in database_names()
        engine = make_engine(url)
        leftover = engine.connect()  # left open, as a crashed test may leave it
        raise RuntimeError("a failing test")
    assert name not in database_names()
    leftover.invalidate()  # the server already ended it
    engine.dispose()
