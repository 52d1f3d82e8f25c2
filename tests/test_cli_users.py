"""`assess user deactivate|activate|reset-password|revoke-tokens`: the operator's account commands."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from sqlmodel import Session, col, select

from assess.cli import main
from assess.db.models import ApiToken, AuditEntry, User
from assess.db.session import make_engine
from assess.services import accounts

PASSWORD = "correct horse battery"


def invoke(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def database(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Session]:
    """The configured database with a workspace: admin@example.com (admin) and berater@example.com, each with a token."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("ASSESS_PASSWORD", raising=False)
    engine = make_engine(database_url)
    with Session(engine) as session:
        workspace = accounts.create_workspace(session, "Nord")
        assert workspace.id is not None
        for email, admin in (("admin@example.com", True), ("berater@example.com", False)):
            user = accounts.create_user(session, email=email, password=PASSWORD, workspace_id=workspace.id,
                                        is_admin=admin)
            accounts.create_api_token(session, user, "skript")
        session.commit()
    with Session(engine) as session:
        yield session
    engine.dispose()


def _user(session: Session, email: str) -> User:
    session.expire_all()
    return session.exec(select(User).where(User.email == email)).one()


def _signs_in(session: Session, email: str, password: str) -> bool:
    try:
        return accounts.authenticate(session, email, password) is not None
    finally:
        session.rollback()  # authenticate notes the sign-in: no write lock may stay behind for the next command


def _audit(session: Session) -> list[tuple[int | None, str, int | None]]:
    return [(e.user_id, e.action, e.object_id) for e in session.exec(select(AuditEntry).order_by(col(AuditEntry.id)))]


def test_deactivate_and_activate(database: Session) -> None:
    berater = _user(database, "berater@example.com")
    generation = berater.session_generation
    code, out, _ = invoke("user", "deactivate", "Berater@Example.com")
    assert code == 0 and "deactivated berater@example.com" in out
    after = _user(database, "berater@example.com")
    assert not after.active and after.session_generation == generation + 1
    assert not _signs_in(database, "berater@example.com", PASSWORD)
    code, out, _ = invoke("user", "activate", "berater@example.com")
    assert code == 0 and "activated berater@example.com" in out
    assert _user(database, "berater@example.com").active
    assert _audit(database) == [(None, "deactivate_user", berater.id), (None, "activate_user", berater.id)]


def test_the_last_admin_is_deactivated_only_with_force(database: Session) -> None:
    code, _, err = invoke("user", "deactivate", "admin@example.com")
    assert code == 2 and "last active admin" in err and "error:" in err
    assert _user(database, "admin@example.com").active
    code, _, _ = invoke("user", "deactivate", "--force", "admin@example.com")
    assert code == 0 and not _user(database, "admin@example.com").active


def test_reset_password_from_the_environment_or_the_prompt(database: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSESS_PASSWORD", "from the environment")
    code, out, _ = invoke("user", "reset-password", "berater@example.com")
    assert code == 0 and "new password set for berater@example.com" in out
    assert _signs_in(database, "berater@example.com", "from the environment")
    assert not _signs_in(database, "berater@example.com", PASSWORD)
    monkeypatch.delenv("ASSESS_PASSWORD")
    code, out, err = invoke("user", "reset-password", "berater@example.com", input="typed at the prompt\n" * 2)
    assert code == 0, (out, err)
    assert _signs_in(database, "berater@example.com", "typed at the prompt")
    code, _, err = invoke("user", "reset-password", "berater@example.com", "--password", "short")
    assert code == 2 and "at least 10 characters" in err
    assert _user(database, "berater@example.com").session_generation == 2  # two resets, each ended the sessions


def test_revoke_tokens(database: Session) -> None:
    code, out, _ = invoke("user", "revoke-tokens", "berater@example.com")
    assert code == 0 and "revoked 1 API tokens of berater@example.com" in out
    database.expire_all()
    tokens = {t.user_id: t.revoked_at is not None for t in database.exec(select(ApiToken))}
    assert tokens == {_user(database, "admin@example.com").id: False, _user(database, "berater@example.com").id: True}


def test_an_unknown_account_is_exit_2(database: Session) -> None:
    for command in ("deactivate", "activate", "revoke-tokens"):
        code, _, err = invoke("user", command, "niemand@example.com")
        assert code == 2 and "no account for 'niemand@example.com'" in err
    code, _, err = invoke("user", "deactivate", "nul\x00@example.com")
    assert code == 2 and "no account" in err
    assert _audit(database) == []
