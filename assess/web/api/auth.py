"""Bearer-token authentication: every API call acts as one consultant, within that consultant's workspace."""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, request

from assess.services import accounts
from assess.web.api.errors import ApiError
from assess.web.api.routing import OPERATIONS
from assess.web.database import db


@dataclass(frozen=True, slots=True)
class ApiActor:
    """The consultant behind the token (plain data; also the audit log's actor)."""

    id: int
    workspace_id: int


def bearer_secret() -> str:
    scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


def authenticate() -> None:
    """Reject the call unless it carries a valid, unrevoked token of an active account."""
    if any(op.public and op.endpoint == request.endpoint for op in OPERATIONS):
        return
    secret = bearer_secret()
    if not secret:
        raise ApiError(401)
    user = accounts.user_for_api_token(db(), secret)
    if user is None or user.id is None:
        raise ApiError(401, "The API token is not valid or has been revoked.", code="invalid_token")
    g.api_actor = ApiActor(user.id, user.workspace_id)


def actor() -> ApiActor:
    """The authenticated caller (set before every protected view)."""
    found: ApiActor | None = g.get("api_actor")
    if found is None:
        raise ApiError(401)
    return found


def workspace_id() -> int:
    return actor().workspace_id
