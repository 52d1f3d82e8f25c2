"""Accounts: workspaces, consultants, passwords (argon2) and API tokens (stored hashed)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, select

from assess.db import repo
from assess.db.models import ApiToken, User, Workspace, utcnow

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10
# A valid hash to verify against when the e-mail is unknown, so timing does not reveal accounts.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


class AccountError(ValueError):
    """A request about accounts that cannot be carried out; the message says why."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")


def create_workspace(session: Session, name: str) -> Workspace:
    workspace = Workspace(name=name.strip() or "Workspace")
    session.add(workspace)
    session.flush()
    return workspace


def create_user(
    session: Session, *, email: str, password: str, workspace_id: int, name: str = "", is_admin: bool = False,
) -> User:
    """Create a consultant account in a workspace."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise AccountError(f"'{email}' is not an e-mail address")
    check_password_strength(password)
    if session.exec(select(User).where(User.email == email)).first() is not None:
        raise AccountError(f"an account for {email} exists already")
    user = User(workspace_id=workspace_id, email=email, name=name.strip(), password_hash=_hasher.hash(password),
                is_admin=is_admin)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with these credentials, or None (same work either way)."""
    user = session.exec(select(User).where(User.email == normalise_email(email))).first()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login_at = utcnow()
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, user: User, password: str) -> None:
    check_password_strength(password)
    user.password_hash = _hasher.hash(password)
    session.add(user)
    session.flush()


def users_of(session: Session, workspace_id: int) -> list[User]:
    return list(session.exec(select(User).where(User.workspace_id == workspace_id).order_by(col(User.email))))


@dataclass(frozen=True, slots=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once; only its hash is stored


def create_api_token(session: Session, user: User, name: str) -> NewToken:
    assert user.id is not None
    secret = "asst_" + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name.strip()[:120] or "API", token_hash=repo.token_hash(secret))
    session.add(token)
    session.flush()
    return NewToken(token, secret)


def api_tokens_of(session: Session, user: User) -> list[ApiToken]:
    return list(session.exec(select(ApiToken).where(ApiToken.user_id == user.id).order_by(col(ApiToken.id))))


def revoke_api_token(session: Session, user: User, token_id: int) -> bool:
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    session.add(token)
    session.flush()
    return True


def user_for_api_token(session: Session, secret: str) -> User | None:
    """The active user behind a bearer token, or None."""
    if not secret or len(secret) > 200:
        return None
    token = session.exec(select(ApiToken).where(ApiToken.token_hash == repo.token_hash(secret))).first()
    if token is None or token.revoked_at is not None:
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.active:
        return None
    token.last_used_at = utcnow()
    session.add(token)
    return user
