"""Accounts: workspaces, consultants, passwords (argon2), sessions and API tokens (stored hashed).

Every browser session's id carries its account's `session_generation`. Raising
it (signing out, a password change or reset, deactivation) ends all of the
account's sessions at once, on every device. What an admin (or the operator on
the command line) does to an account goes into the workspace's audit log.
"""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, update
from sqlmodel import Session, col, select

from assess.db import repo
from assess.db.models import MAX_ID, ApiToken, AuditEntry, User, Workspace, utcnow
from assess.domain.text import is_storable
from assess.services import audit

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200  # what the sign-in form accepts
MAX_NAME_LENGTH = 120
MAX_TOKEN_NAME_LENGTH = 120
@functools.cache
def _dummy_hash() -> str:
    """A valid hash to verify against when the e-mail is unknown, so timing does not reveal accounts (made on the
    first sign-in, not at import: hashing takes a seventh of a second)."""
    return _hasher.hash("not-a-real-password")


class AccountError(ValueError):
    """A request about accounts that cannot be carried out; the message says why (in English, for the CLI).

    `code` names the reason and `details` its values, so that the web can say it in the visitor's language.
    """

    def __init__(self, code: str, message: str, **details: str | int) -> None:
        super().__init__(message)
        self.code = code
        self.details = details


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _check_storable(value: str, field: str) -> None:
    if not is_storable(value):
        raise AccountError("unstorable", f"the {field.replace('_', ' ')} contains characters that cannot be stored "
                                         f"(a NUL or another control character)", field=field)


def check_password_strength(password: str) -> None:
    _check_storable(password, "password")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("password_too_short", f"the password needs at least {MIN_PASSWORD_LENGTH} characters",
                           min=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError("password_too_long", f"the password may have at most {MAX_PASSWORD_LENGTH} characters",
                           max=MAX_PASSWORD_LENGTH)


def create_workspace(session: Session, name: str) -> Workspace:
    workspace = Workspace(name=name.strip() or "Workspace")
    session.add(workspace)
    session.flush()
    return workspace


def create_user(
    session: Session, *, email: str, password: str, workspace_id: int, name: str = "", is_admin: bool = False,
    actor: audit.Actor | None = None,
) -> User:
    """Create a consultant account in a workspace (noted in its audit log when an admin `actor` creates it)."""
    _check_storable(email, "email")
    _check_storable(name, "name")
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise AccountError("not_an_email", f"'{email}' is not an e-mail address", email=email[:254])
    if len(name.strip()) > MAX_NAME_LENGTH:
        raise AccountError("name_too_long", f"the name may have at most {MAX_NAME_LENGTH} characters",
                           max=MAX_NAME_LENGTH)
    check_password_strength(password)
    if user_by_email(session, email) is not None:
        raise AccountError("exists", f"an account for {email} exists already", email=email)
    user = User(workspace_id=workspace_id, email=email, name=name.strip(), password_hash=_hasher.hash(password),
                is_admin=is_admin)
    session.add(user)
    session.flush()
    if actor is not None:
        _note(session, actor, "create_user", user)
    return user


def user_by_email(session: Session, email: str) -> User | None:
    email = normalise_email(email)
    if not is_storable(email) or len(email) > 254:
        return None
    return session.exec(select(User).where(User.email == email)).first()


def workspace_of(session: Session, workspace_id: int) -> Workspace:
    """A workspace (the caller's, known to exist)."""
    workspace = session.get(Workspace, workspace_id)
    assert workspace is not None
    return workspace


def user_by_id(session: Session, user_id: int) -> User | None:
    """The account `user_id` (None: no such account, or an id out of range)."""
    return session.get(User, user_id) if 0 < user_id <= MAX_ID else None


def user_in_workspace(session: Session, workspace_id: int, user_id: int) -> User | None:
    """The account `user_id` if it belongs to the workspace, else None (another workspace's id is unknown here)."""
    user = session.get(User, user_id) if 0 < user_id <= MAX_ID else None
    return user if user is not None and user.workspace_id == workspace_id else None


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with these credentials, or None (same work either way)."""
    user = user_by_email(session, email)
    try:
        _hasher.verify(user.password_hash if user else _dummy_hash(), password)
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


def end_sessions(session: Session, user: User) -> None:
    """End every browser session of the account: their ids hold the generation this raises."""
    session.add(user)
    session.flush()
    # Incremented in SQL, so that two requests at once cannot both write the same new value.
    session.exec(update(User).where(col(User.id) == user.id)
                 .values(session_generation=col(User.session_generation) + 1))
    session.refresh(user)


def set_password(session: Session, user: User, password: str) -> None:
    """Give the account a new password and end all its sessions."""
    check_password_strength(password)
    user.password_hash = _hasher.hash(password)
    end_sessions(session, user)


def change_password(session: Session, user: User, current: str, new: str) -> None:
    """The consultant's own change: only with the current password; ends all their sessions (the web keeps its own)."""
    try:
        _hasher.verify(user.password_hash, current)
    except (VerificationError, InvalidHashError):
        raise AccountError("wrong_password", "the current password is not correct") from None
    set_password(session, user, new)
    assert user.id is not None
    _note(session, _Own(user.id, user.workspace_id), "change_password", user)


def reset_password(session: Session, user: User, password: str, *, actor: audit.Actor | None) -> None:
    """An admin (or the operator, `actor` None) sets a new password; the account's sessions end."""
    set_password(session, user, password)
    _note(session, actor, "reset_password", user)


def deactivate_user(session: Session, user: User, *, actor: audit.Actor | None, keep_an_admin: bool = True) -> None:
    """Lock the account out: its sessions end and its API tokens stop working (reactivating restores the tokens).

    Refused for the last active admin of the workspace unless `keep_an_admin` is False (the operator's choice).
    """
    if not user.active:
        return
    # Lock the workspace row (PostgreSQL), so that two admins deactivating each other at once cannot both succeed.
    session.exec(select(Workspace).where(col(Workspace.id) == user.workspace_id).with_for_update()).first()
    if keep_an_admin and user.is_admin and active_admin_count(session, user.workspace_id) <= 1:
        raise AccountError("last_admin", f"{user.email} is the last active admin of the workspace; "
                                         f"make another account admin first", email=user.email)
    user.active = False
    end_sessions(session, user)
    _note(session, actor, "deactivate_user", user)


def activate_user(session: Session, user: User, *, actor: audit.Actor | None) -> None:
    """Let the account sign in again (sessions ended by the deactivation stay ended)."""
    if user.active:
        return
    user.active = True
    session.add(user)
    session.flush()
    _note(session, actor, "activate_user", user)


def active_admin_count(session: Session, workspace_id: int) -> int:
    query = select(func.count()).select_from(User).where(
        User.workspace_id == workspace_id, col(User.is_admin).is_(True), col(User.active).is_(True))
    return int(session.exec(query).one())


def users_of(session: Session, workspace_id: int) -> list[User]:
    return list(session.exec(select(User).where(User.workspace_id == workspace_id).order_by(col(User.email))))


@dataclass(frozen=True, slots=True)
class _Own:
    """The account acting on itself, as the audit log's actor."""

    id: int
    workspace_id: int


def _note(session: Session, actor: audit.Actor | None, action: str, user: User) -> None:
    """The audit log entry for a change to an account; without an actor it was the operator on the command line."""
    if actor is not None:
        audit.record(session, actor, action, "user", user.id)
        return
    session.add(AuditEntry(workspace_id=user.workspace_id, user_id=None, action=action, object_type="user",
                           object_id=user.id))
    session.flush()


@dataclass(frozen=True, slots=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once; only its hash is stored


def create_api_token(session: Session, user: User, name: str) -> NewToken:
    _check_storable(name, "token_name")
    name = name.strip()
    if not name or len(name) > MAX_TOKEN_NAME_LENGTH:
        raise AccountError("token_name", f"a token needs a name of 1 to {MAX_TOKEN_NAME_LENGTH} characters",
                           max=MAX_TOKEN_NAME_LENGTH)
    assert user.id is not None
    secret = "asst_" + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=repo.token_hash(secret))
    session.add(token)
    session.flush()
    return NewToken(token, secret)


def api_tokens_of(session: Session, user: User) -> list[ApiToken]:
    return list(session.exec(select(ApiToken).where(ApiToken.user_id == user.id).order_by(col(ApiToken.id))))


def active_token_counts(session: Session, workspace_id: int) -> dict[int, int]:
    """How many API tokens that are not revoked each account of the workspace has."""
    query = (select(ApiToken.user_id, func.count()).join(User, col(User.id) == ApiToken.user_id)
             .where(User.workspace_id == workspace_id, col(ApiToken.revoked_at).is_(None))
             .group_by(col(ApiToken.user_id)))
    return {user_id: int(count) for user_id, count in session.exec(query)}


def revoke_api_token(session: Session, user: User, token_id: int) -> bool:
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    session.add(token)
    session.flush()
    return True


def revoke_api_tokens(session: Session, user: User, *, actor: audit.Actor | None) -> int:
    """Revoke every API token of the account; how many were still valid."""
    revoked = 0
    for token in api_tokens_of(session, user):
        if token.revoked_at is None:
            token.revoked_at = utcnow()
            session.add(token)
            revoked += 1
    session.flush()
    _note(session, actor, "revoke_tokens", user)
    return revoked


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
