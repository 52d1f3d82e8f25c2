"""Accounts in the workspace: the team page's admin actions, API tokens, the own password, the sign-in form."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select
from werkzeug.test import TestResponse

from assess.db.models import ApiToken, AuditEntry, User
from assess.services import accounts
from tests.web.conftest import csrf_of
from tests.web.workspace_data import PASSWORD, Seeded, login, seed_workspace

TEAM = "/w/settings/team"
COLLEAGUE = "kollege@example.com"


def _post(client: FlaskClient, page: str, action: str, data: dict[str, str] | None = None) -> TestResponse:
    return client.post(action, data={"csrf_token": csrf_of(client.get(page).data), **(data or {})})


def _colleague(app: Flask, seeded: Seeded, *, is_admin: bool = False, email: str = COLLEAGUE) -> tuple[int, str]:
    """A second account in the seeded workspace, with an API token; its id and the token."""
    with Session(app.extensions["assess.engine"]) as session:
        user = accounts.create_user(session, email=email, password=PASSWORD, workspace_id=seeded.workspace_id,
                                    is_admin=is_admin)
        secret = accounts.create_api_token(session, user, "skript").secret
        session.commit()
        assert user.id is not None
        return user.id, secret


def _api_works(client: FlaskClient, secret: str) -> bool:
    return client.get("/api/v1/organisations", headers={"Authorization": f"Bearer {secret}"}).status_code == 200


def _audit(app: Flask) -> list[tuple[int | None, str, str, int | None]]:
    with Session(app.extensions["assess.engine"]) as session:
        entries = session.exec(select(AuditEntry).order_by(col(AuditEntry.id)))
        return [(e.user_id, e.action, e.object_type, e.object_id) for e in entries if e.object_type == "user"]


def _user(app: Flask, user_id: int) -> User:
    with Session(app.extensions["assess.engine"]) as session:
        user = session.get(User, user_id)
        assert user is not None
        return user


def test_an_admin_deactivates_and_activates_an_account(app: Flask, client: FlaskClient) -> None:
    admin = seed_workspace(app, "Alpha")
    colleague_id, secret = _colleague(app, admin)
    login(client, admin.email)
    page = client.get(TEAM).get_data(as_text=True)
    assert f"/w/settings/team/{colleague_id}/deactivate" in page and "aktiv" in page
    response = _post(client, TEAM, f"{TEAM}/{colleague_id}/deactivate")
    assert response.status_code == 302
    page = client.get(TEAM).get_data(as_text=True)
    assert "kann sich nicht mehr anmelden" in page and "deaktiviert" in page
    assert not _api_works(app.test_client(), secret)  # its tokens stop working with the account
    other = app.test_client()
    attempt = _post(other, "/login", "/login", {"email": COLLEAGUE, "password": PASSWORD})
    assert attempt.status_code == 401
    assert _post(client, TEAM, f"{TEAM}/{colleague_id}/activate").status_code == 302
    assert "kann sich wieder anmelden" in client.get(TEAM).get_data(as_text=True)
    assert _api_works(app.test_client(), secret)  # reactivated: the tokens it had work again (unless revoked)
    login(other, COLLEAGUE)
    assert _audit(app) == [(admin.user_id, "deactivate_user", "user", colleague_id),
                           (admin.user_id, "activate_user", "user", colleague_id)]


def test_the_last_active_admin_cannot_deactivate_themself(app: Flask, client: FlaskClient) -> None:
    admin = seed_workspace(app, "Alpha")
    _colleague(app, admin)  # not an admin
    login(client, admin.email)
    response = _post(client, TEAM, f"{TEAM}/{admin.user_id}/deactivate")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "letzte aktive Admin" in html
    assert _user(app, admin.user_id).active and client.get("/w/").status_code == 200
    # With a second active admin it works, and ends their own session.
    _colleague(app, admin, is_admin=True, email="chefin@example.com")
    response = _post(client, TEAM, f"{TEAM}/{admin.user_id}/deactivate")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/w/").status_code == 302 and not _user(app, admin.user_id).active


def test_an_admin_resets_a_password(app: Flask, client: FlaskClient) -> None:
    admin = seed_workspace(app, "Alpha")
    colleague_id, _ = _colleague(app, admin)
    login(client, admin.email)
    short = _post(client, TEAM, f"{TEAM}/{colleague_id}/password", {"password": "kurz"})
    assert short.status_code == 400 and "mindestens 10 Zeichen" in short.get_data(as_text=True)
    response = _post(client, TEAM, f"{TEAM}/{colleague_id}/password", {"password": "am Telefon gesagt"})
    assert response.status_code == 302
    assert "hat ein neues Passwort" in client.get(TEAM).get_data(as_text=True)
    other = app.test_client()
    assert _post(other, "/login", "/login", {"email": COLLEAGUE, "password": PASSWORD}).status_code == 401
    login(other, COLLEAGUE, "am Telefon gesagt")
    assert _audit(app) == [(admin.user_id, "reset_password", "user", colleague_id)]


def test_an_admin_revokes_an_accounts_api_tokens(app: Flask, client: FlaskClient) -> None:
    admin = seed_workspace(app, "Alpha")
    colleague_id, secret = _colleague(app, admin)
    login(client, admin.email)
    assert _api_works(app.test_client(), secret)
    response = _post(client, TEAM, f"{TEAM}/{colleague_id}/revoke-tokens")
    assert response.status_code == 302
    assert "API-Tokens von kollege@example.com widerrufen: 1" in client.get(TEAM).get_data(as_text=True)
    assert not _api_works(app.test_client(), secret)
    assert _api_works(app.test_client(), admin.api_token)  # only that account's tokens
    with Session(app.extensions["assess.engine"]) as session:
        revoked = session.exec(select(ApiToken).where(ApiToken.user_id == colleague_id)).one()
        assert revoked.revoked_at is not None
    assert _audit(app) == [(admin.user_id, "revoke_tokens", "user", colleague_id)]


def test_account_actions_are_for_admins_of_the_own_workspace_only(app: Flask, client: FlaskClient) -> None:
    alpha = seed_workspace(app, "Alpha")
    beta = seed_workspace(app, "Beta")
    colleague_id, _ = _colleague(app, beta)
    actions = ["deactivate", "activate", "password", "revoke-tokens"]
    login(client, alpha.email)
    for target in (beta.user_id, colleague_id, 2**31 - 1):
        for action in actions:
            response = _post(client, TEAM, f"{TEAM}/{target}/{action}", {"password": "lang genug 123"})
            assert response.status_code == 404, (target, action)
            assert "Beta" not in response.get_data(as_text=True)
    assert client.post(f"{TEAM}/{2**31}/deactivate", data={"csrf_token": csrf_of(client.get(TEAM).data)}).status_code == 404
    assert client.post(f"{TEAM}/{colleague_id}/deactivate").status_code == 400  # no CSRF token
    consultant = app.test_client()
    login(consultant, COLLEAGUE)  # Beta's consultant, not an admin
    for action in actions:
        assert _post(consultant, "/w/", f"{TEAM}/{beta.user_id}/{action}").status_code == 403
    assert consultant.get(TEAM).status_code == 403
    assert _user(app, beta.user_id).active and _user(app, colleague_id).active
    assert _audit(app) == []


def test_creating_an_account_is_audited_and_redirects(app: Flask, client: FlaskClient) -> None:
    admin = seed_workspace(app, "Alpha")
    login(client, admin.email)
    response = _post(client, TEAM, TEAM, {"email": "Neu@Example.com", "name": "Neu", "password": "ein langes Passwort"})
    assert response.status_code == 302
    assert "Konto angelegt" in client.get(TEAM).get_data(as_text=True)
    with Session(app.extensions["assess.engine"]) as session:
        new = session.exec(select(User).where(User.email == "neu@example.com")).one()
    assert _audit(app) == [(admin.user_id, "create_user", "user", new.id)]
    again = _post(client, TEAM, TEAM, {"email": "neu@example.com", "password": "ein langes Passwort"})
    assert again.status_code == 400 and "Für neu@example.com gibt es bereits ein Konto." in again.get_data(as_text=True)


def test_unstorable_text_in_the_team_form_is_a_400_with_the_form_kept(app: Flask, client: FlaskClient) -> None:
    """NUL and control characters would make PostgreSQL fail: refused with a message, what was typed shown again."""
    admin = seed_workspace(app, "Alpha")
    login(client, admin.email)
    for field, value in (("name", "Frau\x00Meier"), ("email", "frau\x01meier@example.com"), ("name", "Tab\x1b")):
        data = {"email": "frau.meier@example.com", "name": "Frau Meier", "password": "ein langes Passwort",
                "is_admin": "1", field: value}
        response = _post(client, TEAM, TEAM, data)
        html = response.get_data(as_text=True)
        assert response.status_code == 400, field
        assert "Zeichen, die nicht gespeichert werden können" in html
        shown = value.replace("\x00", "").replace("\x01", "").replace("\x1b", "")
        assert f'value="{shown}"' in html and "checked" in html and "ein langes Passwort" not in html
        assert "\x00" not in html
    with Session(app.extensions["assess.engine"]) as session:
        assert len(session.exec(select(User)).all()) == 1


def test_a_token_name_is_checked_and_kept(app: Flask, client: FlaskClient) -> None:
    admin = seed_workspace(app, "Alpha")
    login(client, admin.email)
    tokens = "/w/settings/tokens"
    for name, message in (("CI\x00Server", "Zeichen, die nicht gespeichert werden können"),
                          ("   ", "Bitte geben Sie dem Token einen Namen"), ("x" * 121, "höchstens 120 Zeichen")):
        response = _post(client, tokens, tokens, {"name": name})
        html = response.get_data(as_text=True)
        assert response.status_code == 400 and message in html, name
        assert f'value="{name.replace(chr(0), "").strip() if name.strip() else ""}' in html
    response = _post(client, tokens, tokens, {"name": "CI Server"})
    assert response.status_code == 200 and "asst_" in response.get_data(as_text=True)


def test_the_sign_in_refuses_unstorable_text_with_a_400(app: Flask, client: FlaskClient) -> None:
    seeded = seed_workspace(app, "Alpha")
    response = _post(client, "/login", "/login", {"email": "alpha\x00@example.com", "password": PASSWORD})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Zeichen, die nicht gespeichert werden können" in html
    assert 'value="alpha@example.com"' in html and PASSWORD not in html
    empty = _post(client, "/login", "/login", {"email": "", "password": ""})
    assert empty.status_code == 400 and "Bitte füllen Sie dieses Feld aus." in empty.get_data(as_text=True)
    login(client, seeded.email)


def test_a_consultant_changes_their_password(app: Flask, client: FlaskClient) -> None:
    admin = seed_workspace(app, "Alpha")
    colleague_id, _ = _colleague(app, admin)
    login(client, COLLEAGUE)
    page = "/w/settings/password"
    assert "Passwort ändern" in client.get("/w/settings/tokens").get_data(as_text=True)  # linked for every consultant
    new = "mein neues Passwort"
    for data, message in (({"current": "falsch falsch", "new": new, "repeat": new}, "aktuelle Passwort ist nicht korrekt"),
                          ({"current": PASSWORD, "new": new, "repeat": new + "x"}, "nicht gleich"),
                          ({"current": PASSWORD, "new": "kurz", "repeat": "kurz"}, "mindestens 10 Zeichen"),
                          ({"current": PASSWORD, "new": "", "repeat": ""}, "Bitte füllen Sie dieses Feld aus.")):
        response = _post(client, page, page, data)
        html = response.get_data(as_text=True)
        assert response.status_code == 400 and message in html, data
        assert PASSWORD not in html and new not in html
    assert _audit(app) == []
    response = _post(client, page, page, {"current": PASSWORD, "new": new, "repeat": new})
    assert response.status_code == 302 and client.get("/w/").status_code == 200
    other = app.test_client()
    assert _post(other, "/login", "/login", {"email": COLLEAGUE, "password": PASSWORD}).status_code == 401
    login(other, COLLEAGUE, new)
    assert _audit(app) == [(colleague_id, "change_password", "user", colleague_id)]


def test_guessing_the_current_password_is_rate_limited(app: Flask, client: FlaskClient) -> None:
    """A borrowed session must not try passwords without end."""
    seeded = seed_workspace(app, "Alpha")
    login(client, seeded.email)
    page = "/w/settings/password"
    csrf = csrf_of(client.get(page).data)
    codes = [client.post(page, data={"csrf_token": csrf, "current": f"guess {n:06d}", "new": "x" * 12,
                                      "repeat": "x" * 12}).status_code for n in range(11)]
    assert codes == [400] * 10 + [429]
