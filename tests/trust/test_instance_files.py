"""The instance folder (embedded SQLite database, development secret key) is readable by its owner only."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from assess.config import load_config
from assess.db.schema import upgrade
from assess.db.session import make_engine


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.fixture
def embedded(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The configuration without DATABASE_URL and SECRET_KEY, under a umask that leaves new files world-readable."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("ASSESS_ENV", raising=False)
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def _use(url: str) -> None:
    engine = make_engine(url)
    try:
        upgrade(engine)
        with engine.begin() as connection:  # a write, so that SQLite has its -wal and -shm files
            connection.execute(text("INSERT INTO workspace (name, retention_days, created_at) "
                                    "VALUES ('Nord', 730, CURRENT_TIMESTAMP)"))
        files = {p.name for p in Path(url.removeprefix("sqlite:///")).parent.iterdir()}
        assert {"assess.db-wal", "assess.db-shm"} <= files
        for path in Path(url.removeprefix("sqlite:///")).parent.iterdir():
            assert _mode(path) == 0o600, path.name
    finally:
        engine.dispose()


def test_a_new_instance_folder_and_its_files_are_private(tmp_path: Path, embedded: None) -> None:
    instance = tmp_path / "var" / "instance"
    config = load_config(str(instance))
    assert config["DATABASE_URL"] == f"sqlite:///{instance / 'assess.db'}"
    assert _mode(instance) == 0o700
    assert _mode(instance / "secret_key") == 0o600 and len(config["SECRET_KEY"]) == 64
    assert _mode(instance / "assess.db") == 0o600  # before SQLite opened it
    _use(config["DATABASE_URL"])  # the database and SQLite's -wal/-shm files, with the database's mode
    assert load_config(str(instance))["SECRET_KEY"] == config["SECRET_KEY"]  # kept across starts


def test_an_older_open_instance_folder_is_tightened_on_start(tmp_path: Path, embedded: None) -> None:
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    instance.chmod(0o755)
    for name in ("assess.db", "assess.db-wal", "assess.db-shm", "secret_key"):
        (instance / name).write_text("k" * 64 if name == "secret_key" else "")
        (instance / name).chmod(0o644)
    load_config(str(instance))
    assert _mode(instance) == 0o700
    assert {p.name: _mode(p) for p in instance.iterdir()} == {
        "assess.db": 0o600, "assess.db-wal": 0o600, "assess.db-shm": 0o600, "secret_key": 0o600}


def test_a_configured_database_leaves_the_instance_folder_alone(tmp_path: Path, embedded: None,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://assess@db.internal/assess")
    monkeypatch.setenv("SECRET_KEY", "from the environment")
    load_config(str(tmp_path / "instance"))
    assert not (tmp_path / "instance").exists()
