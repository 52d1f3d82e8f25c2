"""Consultant accounts in the browser: Flask-Login sessions, a rate-limited login form.

A session's id is "<user id>:<session generation>": the loader refuses it once the
account's generation moved on (sign-out, password change or reset, deactivation),
so a copied cookie dies with the session it was copied from. A signed-in session
is permanent with PERMANENT_SESSION_LIFETIME as its idle timeout (every request
renews the signed cookie; Flask refuses an older signature), and it ends
SESSION_MAX_LIFETIME seconds after the sign-in however active it was.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import Blueprint, Flask, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from assess.domain.text import without_unstorable
from assess.services import accounts
from assess.services.records import MAX_ID, User
from assess.web.database import db
from assess.web.i18n import safe_next
from assess.web.inputs import REQUIRED, TOO_LONG, StorableText
from assess.web.limits import limiter

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.session_protection = "strong"
SIGNED_IN_AT = "signed_in_at"  # session key: when the password was given (seconds since the epoch)


@dataclass(frozen=True, slots=True)
class Consultant:
    """The logged-in account as the web layer sees it (plain data, loaded per request)."""

    id: int
    workspace_id: int
    email: str
    name: str
    is_admin: bool
    generation: int
    is_authenticated: bool = True
    is_active: bool = True
    is_anonymous: bool = False

    def get_id(self) -> str:
        return f"{self.id}:{self.generation}"

    @classmethod
    def of(cls, user: User) -> Consultant:
        assert user.id is not None
        return cls(user.id, user.workspace_id, user.email, user.name, user.is_admin, user.session_generation)


def _number(text: str) -> int | None:
    return int(text) if 0 < len(text) <= 10 and text.isascii() and text.isdigit() else None  # "" or junk: None


@login_manager.user_loader
def _load(session_id: str) -> Consultant | None:
    """The session's account, unless the session is stale: older generation, inactive account, sign-in too long ago."""
    user_id, _, generation = session_id.partition(":")
    number, expected = _number(user_id), _number(generation)
    if number is None or number > MAX_ID or expected is None or not _signed_in_recently():
        return None
    user = accounts.user_by_id(db(), number)
    if user is None or not user.active or user.session_generation != expected:
        return None
    return Consultant.of(user)


def _signed_in_recently() -> bool:
    signed_in = session.get(SIGNED_IN_AT)
    if not isinstance(signed_in, int):
        return False
    # No lower bound: the value is signed by us, and another server's clock may be a little ahead.
    return time.time() - signed_in <= current_app.config["SESSION_MAX_LIFETIME"]


def consultant() -> Consultant:
    """The logged-in consultant (views are behind @login_required)."""
    user = current_user._get_current_object()
    if not isinstance(user, Consultant):
        abort(401)
    return user


def start_session(user: User) -> None:
    """Sign the account in: a permanent session, so that the idle timeout renews with every request."""
    login_user(Consultant.of(user))
    session.permanent = True
    session[SIGNED_IN_AT] = int(time.time())


def renew_session(user: User) -> None:
    """Keep this browser signed in after the account's generation was raised here (its other sessions end)."""
    login_user(Consultant.of(user))


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(message=REQUIRED), Length(max=254, message=TOO_LONG),
                                                 StorableText()])
    password = PasswordField(_l("Password"), validators=[
        DataRequired(message=REQUIRED), Length(max=accounts.MAX_PASSWORD_LENGTH, message=TOO_LONG)])


class PasswordChangeForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(message=REQUIRED)])
    new = PasswordField(_l("New password (10 characters or more)"), validators=[DataRequired(message=REQUIRED)])
    repeat = PasswordField(_l("New password again"), validators=[
        DataRequired(message=REQUIRED), EqualTo("new", message=_l("The two new passwords are not the same."))])


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute;50 per hour", methods=["POST"])
def login() -> str | Response | tuple[str, int]:
    form = LoginForm()
    if not form.validate_on_submit():
        if request.method != "POST":
            return render_template("auth/login.html", form=form, failed=False)
        form.email.data = without_unstorable(form.email.data or "")  # shown again, never stored
        return render_template("auth/login.html", form=form, failed=False), 400
    user = accounts.authenticate(db(), form.email.data or "", form.password.data or "")
    if user is None:
        return render_template("auth/login.html", form=form, failed=True), 401
    start_session(user)
    return redirect(safe_next(request.args.get("next")) if request.args.get("next") else url_for("ws.dashboard"))


@bp.post("/logout")
@login_required
def logout() -> Response:
    """Sign out: every session of the account ends, also a copy of this cookie and other devices."""
    user = accounts.user_by_id(db(), consultant().id)
    if user is not None:
        accounts.end_sessions(db(), user)
    logout_user()
    session.pop(SIGNED_IN_AT, None)
    return redirect(url_for("survey.home"))


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    app.register_blueprint(bp)
