"""Consultant accounts in the browser: Flask-Login sessions, a rate-limited login form."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Flask, abort, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from assess.db.models import User
from assess.services import accounts
from assess.web.database import db
from assess.web.i18n import safe_next
from assess.web.limits import limiter

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.session_protection = "strong"


@dataclass(frozen=True, slots=True)
class Consultant:
    """The logged-in account as the web layer sees it (plain data, loaded per request)."""

    id: int
    workspace_id: int
    email: str
    name: str
    is_admin: bool
    is_authenticated: bool = True
    is_active: bool = True
    is_anonymous: bool = False

    def get_id(self) -> str:
        return str(self.id)

    @classmethod
    def of(cls, user: User) -> Consultant:
        assert user.id is not None
        return cls(user.id, user.workspace_id, user.email, user.name, user.is_admin)


@login_manager.user_loader
def _load(user_id: str) -> Consultant | None:
    user = db().get(User, int(user_id)) if user_id.isdigit() else None
    return Consultant.of(user) if user is not None and user.active else None


def consultant() -> Consultant:
    """The logged-in consultant (views are behind @login_required)."""
    user = current_user._get_current_object()
    if not isinstance(user, Consultant):
        abort(401)
    return user


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute;50 per hour", methods=["POST"])
def login() -> str | Response | tuple[str, int]:
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(db(), form.email.data or "", form.password.data or "")
        if user is not None:
            login_user(Consultant.of(user))
            return redirect(safe_next(request.args.get("next")) if request.args.get("next") else url_for("ws.dashboard"))
        return render_template("auth/login.html", form=form, failed=True), 401
    return render_template("auth/login.html", form=form, failed=False)


@bp.post("/logout")
@login_required
def logout() -> Response:
    logout_user()
    return redirect(url_for("survey.home"))


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    app.register_blueprint(bp)
