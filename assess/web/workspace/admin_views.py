"""Workspace settings: own questionnaires, API tokens, team and retention (admins) and the audit log (admins)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from assess.catalog import QuestionnaireError
from assess.db.models import User, Workspace
from assess.services import accounts, audit, privacy, questionnaires
from assess.web.auth import consultant
from assess.web.database import catalog, db

bp = Blueprint("wsadmin", __name__, url_prefix="/w/settings")
MAX_QUESTIONNAIRE_BYTES = 200_000


@bp.before_request
@login_required
def _require_login() -> None:
    """Every settings page needs a signed-in consultant."""


def _require_admin() -> None:
    if not consultant().is_admin:
        abort(403)


@bp.route("/questionnaires", methods=["GET", "POST"], endpoint="questionnaires")
def questionnaires_page() -> str | Response | tuple[str, int]:
    problems: list[str] = []
    if request.method == "POST":
        upload = request.files.get("file")
        text = request.form.get("text", "")
        filename = "upload.yaml"
        if upload is not None and upload.filename:
            filename = upload.filename.rsplit("/", 1)[-1][:100]
            raw = upload.read(MAX_QUESTIONNAIRE_BYTES + 1)
            if len(raw) > MAX_QUESTIONNAIRE_BYTES:
                abort(413)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                problems = [f"{filename}:1: " + _("the file is not UTF-8 text; save it as UTF-8")]
        if not problems:
            try:
                loaded = questionnaires.import_questionnaire(db(), consultant().workspace_id, text, filename,
                                                             consultant().id)
            except QuestionnaireError as error:
                problems = [str(p) for p in error.problems]
            else:
                flash(_("Questionnaire %(id)s version %(version)s is ready to use.", id=loaded.id, version=loaded.version))
                return redirect(url_for("wsadmin.questionnaires"))
    versions = questionnaires.available_versions(db(), catalog(), consultant().workspace_id)
    return render_template("workspace/questionnaires.html", versions=versions, problems=problems), (
        422 if problems else 200)



@bp.route("/tokens", methods=["GET", "POST"])
def tokens() -> str:
    user = db().get(User, consultant().id)
    assert user is not None
    secret = None
    if request.method == "POST":
        name = request.form.get("name", "").strip()
        if not name or len(name) > 120:
            abort(400)
        secret = accounts.create_api_token(db(), user, name).secret
    return render_template("workspace/tokens.html", tokens=accounts.api_tokens_of(db(), user), secret=secret)


@bp.post("/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int) -> Response:
    user = db().get(User, consultant().id)
    assert user is not None
    if not accounts.revoke_api_token(db(), user, token_id):
        abort(404)
    flash(_("The token no longer works."))
    return redirect(url_for("wsadmin.tokens"))


@bp.route("/team", methods=["GET", "POST"])
def team() -> str | tuple[str, int]:
    _require_admin()
    error = None
    if request.method == "POST":
        try:
            accounts.create_user(db(), email=request.form.get("email", ""), password=request.form.get("password", ""),
                                 name=request.form.get("name", ""), workspace_id=consultant().workspace_id,
                                 is_admin=request.form.get("is_admin") == "1")
            flash(_("Account created. Give the password to the new consultant in person or by phone."))
        except accounts.AccountError as problem:
            error = str(problem)
    return _team_page(error=error)


def _team_page(*, error: str | None = None, retention_error: str | None = None) -> tuple[str, int]:
    users = accounts.users_of(db(), consultant().workspace_id)
    return render_template("workspace/team.html", users=users, error=error, workspace=_workspace(),
                           retention_error=retention_error,
                           retention_range=(privacy.MIN_RETENTION_DAYS, privacy.MAX_RETENTION_DAYS)), (
        400 if error or retention_error else 200)


def _workspace() -> Workspace:
    workspace = db().get(Workspace, consultant().workspace_id)
    assert workspace is not None
    return workspace


@bp.post("/retention")
def retention() -> Response | tuple[str, int]:
    """How many days client data is kept after its last activity (`assess purge` deletes the rest)."""
    _require_admin()
    raw = request.form.get("retention_days", "").strip()
    if not raw.isascii() or not raw.isdigit() or not privacy.MIN_RETENTION_DAYS <= int(raw) <= privacy.MAX_RETENTION_DAYS:
        return _team_page(retention_error=_("Please give a retention period between %(min)d and %(max)d days.",
                                            min=privacy.MIN_RETENTION_DAYS, max=privacy.MAX_RETENTION_DAYS))
    workspace = _workspace()
    workspace.retention_days = int(raw)
    db().add(workspace)
    audit.record(db(), consultant(), "set_retention", "workspace", workspace.id)
    flash(_("Client data is now kept for %(days)d days after its last activity.", days=workspace.retention_days))
    return redirect(url_for("wsadmin.team"))


@bp.get("/audit", endpoint="audit")
def audit_log() -> str:
    _require_admin()
    users = {u.id: u.email for u in accounts.users_of(db(), consultant().workspace_id)}
    return render_template("workspace/audit.html", entries=audit.entries(db(), consultant().workspace_id), users=users)
