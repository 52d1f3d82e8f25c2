"""Migrations: from empty to head, exactly the models' schema, and an app that refuses an outdated schema."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from assess import create_app
from assess.cli import main
from assess.config import normalise_database_url
from assess.db.models import AnswerRow, Assessment, Organisation, Respondent
from assess.db.schema import (
    UPGRADE_HINT,
    SchemaError,
    _migrating,
    _scripts,
    check_schema,
    current_revision,
    downgrade,
    head_revision,
    schema_differences,
    target_metadata,
    upgrade,
)
from assess.db.session import make_engine
from tests.conftest import FIXTURES, new_database

APP_CONFIG = {"TESTING": True, "SECRET_KEY": "test", "QUESTIONNAIRE_DIR": str(FIXTURES), "DEFAULT_QUESTIONNAIRE": "mini"}


@pytest.fixture
def empty_url(tmp_path: Path) -> Iterator[str]:
    """A database of its own with no tables at all."""
    with new_database(tmp_path, migrated=False) as url:
        yield url


@pytest.fixture
def empty(empty_url: str) -> Iterator[Engine]:
    engine = make_engine(empty_url)
    yield engine
    engine.dispose()


def test_revisions_form_one_numbered_line() -> None:
    """Two branches that each added a migration show up here, not in production."""
    revisions = list(reversed(list(_scripts().walk_revisions())))
    assert [r.revision for r in revisions] == [f"{n:04d}" for n in range(1, len(revisions) + 1)]
    assert [r.down_revision for r in revisions] == [None] + [r.revision for r in revisions[:-1]]
    assert head_revision() == revisions[-1].revision


def test_upgrade_from_empty_creates_every_table(empty: Engine) -> None:
    assert upgrade(empty) == (None, head_revision())
    assert set(inspect(empty).get_table_names()) == set(target_metadata().tables) | {"alembic_version"}
    check_schema(empty)
    assert upgrade(empty) == (head_revision(), head_revision())  # a second run changes nothing


def test_migrations_produce_exactly_the_models_schema(base_database_url: str) -> None:
    """A column added to a model without a migration fails here: run scripts/new-migration "what changed"."""
    engine = make_engine(base_database_url)
    try:
        assert schema_differences(engine) == []
    finally:
        engine.dispose()


def test_newest_migration_goes_down_and_up_again(empty: Engine) -> None:
    upgrade(empty)
    downgrade(empty, "-1")
    with pytest.raises(SchemaError, match=UPGRADE_HINT):
        check_schema(empty)
    upgrade(empty)
    assert current_revision(empty) == head_revision() and schema_differences(empty) == []


def test_app_refuses_an_outdated_schema_and_says_what_to_run(empty_url: str) -> None:
    with pytest.raises(SchemaError, match="has no tables yet; run: assess db upgrade"):
        create_app({**APP_CONFIG, "DATABASE_URL": empty_url})


def test_app_refuses_a_schema_a_newer_version_migrated(empty: Engine, empty_url: str) -> None:
    upgrade(empty)
    with empty.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(SchemaError, match="9999, which this version of assess does not know"):
        create_app({**APP_CONFIG, "DATABASE_URL": empty_url})


def test_app_can_upgrade_the_embedded_database_itself(empty_url: str) -> None:
    """What `assess serve` does when DATABASE_URL is not set."""
    app = create_app({**APP_CONFIG, "DATABASE_URL": empty_url, "UPGRADE_DATABASE": True})
    engine = app.extensions["assess.engine"]
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_tables_made_before_migrations_are_not_touched(empty: Engine) -> None:
    SQLModel.metadata.create_all(empty, tables=[target_metadata().tables["workspace"]])
    with pytest.raises(SchemaError, match="no migration history"):
        upgrade(empty)
    with pytest.raises(SchemaError, match="no migration history"):
        check_schema(empty)
    assert set(inspect(empty).get_table_names()) == {"workspace"}


def test_db_commands_work_from_any_directory(empty_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner(env={"DATABASE_URL": empty_url})
    outdated = runner.invoke(main, ["db", "current"])
    assert outdated.exit_code == 1 and f"empty (this version needs {head_revision()}; run: assess db upgrade)" in outdated.output
    upgraded = runner.invoke(main, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert f"schema upgraded from empty to {head_revision()}" in upgraded.output
    assert "up to date" in runner.invoke(main, ["db", "upgrade"]).output
    current = runner.invoke(main, ["db", "current"])
    assert current.exit_code == 0 and current.output.strip() == f"{head_revision()} (head)"


def test_serve_with_a_configured_database_refuses_an_outdated_schema(empty_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": empty_url, "SECRET_KEY": "test"}
    result = subprocess.run([sys.executable, "-m", "assess", "serve"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "run: assess db upgrade" in result.stderr


@pytest.mark.parametrize(("given", "used"), [
    ("postgres://u:p@db:5432/assess", "postgresql+psycopg://u:p@db:5432/assess"),
    ("postgresql://u@db/assess", "postgresql+psycopg://u@db/assess"),
    ("postgresql+psycopg://u@db/assess", "postgresql+psycopg://u@db/assess"),
    ("sqlite:////var/lib/assess.db", "sqlite:////var/lib/assess.db"),
])
def test_plain_postgresql_urls_use_psycopg(given: str, used: str) -> None:
    assert normalise_database_url(given) == used


def test_sqlite_migrations_keep_the_rows_of_a_rebuilt_tables_children(tmp_path: Path) -> None:
    """SQLite batch migrations copy a table and drop the old one; with foreign keys on, the drop would delete its answers."""
    engine = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    upgrade(engine)
    with Session(engine) as session:
        organisation = Organisation(name="o", industry="retail", size="1-49")
        session.add(organisation)
        session.flush()
        assessment = Assessment(organisation_id=organisation.id or 0, questionnaire_id="mini", questionnaire_version="1.0")
        session.add(assessment)
        session.flush()
        respondent = Respondent(assessment_id=assessment.id or 0, token_hash="h", role="it")
        session.add(respondent)
        session.flush()
        session.add(AnswerRow(respondent_id=respondent.id or 0, question_id="ch.booking", value="3"))
        session.commit()
    with _migrating(engine) as connection, Operations(MigrationContext.configure(connection)).batch_alter_table(
            "respondent", recreate="always"):
        pass
    with Session(engine) as session:
        assert len(session.exec(select(AnswerRow)).all()) == 1
    engine.dispose()


def test_an_upgrade_from_before_stored_peer_figures_computes_them(empty: Engine) -> None:
    """Finished assessments of five workspaces, made at revision 0001, count as peers right after the upgrade."""
    from assess.catalog import Catalog
    from assess.db.models import AssessmentScore, PeerPublished
    from assess.services.peers import rebuild_after_upgrade

    upgrade(empty, "0001")
    with empty.begin() as connection:
        for n in range(1, 6):
            connection.execute(text("INSERT INTO workspace (id, name, retention_days, created_at) "
                                    "VALUES (:n, :name, 730, CURRENT_TIMESTAMP)"), {"n": n, "name": f"W{n}"})
            connection.execute(text("INSERT INTO organisation (id, workspace_id, name, industry, size, created_at) "
                                    "VALUES (:n, :n, 'Kunde', 'energy', '50-249', CURRENT_TIMESTAMP)"), {"n": n})
            connection.execute(text("INSERT INTO assessment (id, organisation_id, questionnaire_id, questionnaire_version,"
                                    " title, created_at) VALUES (:n, :n, 'mini', '1.0', '', CURRENT_TIMESTAMP)"), {"n": n})
            connection.execute(text("INSERT INTO respondent (id, assessment_id, token_hash, role, language, current_page,"
                                    " created_at, updated_at, finished_at) VALUES (:n, :n, :h, 'it', 'de', 1,"
                                    " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"), {"n": n, "h": f"h{n}"})
            connection.execute(text("INSERT INTO answer (respondent_id, question_id, value, comment, reason, updated_at) "
                                    "VALUES (:n, 'ch.booking', '4', '', '', CURRENT_TIMESTAMP)"), {"n": n})
    before, _after = upgrade(empty)
    assert rebuild_after_upgrade(empty, Catalog(FIXTURES), before) == 5
    with Session(empty) as session:
        assert len({row.assessment_id for row in session.exec(select(AssessmentScore))}) == 5
        assert len({row.workspace_id for row in session.exec(select(PeerPublished))}) == 5
    assert rebuild_after_upgrade(empty, Catalog(FIXTURES), "0002") == 0  # nothing to do from 0002 on
