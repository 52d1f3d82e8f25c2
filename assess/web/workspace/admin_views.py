"""Workspace settings: own questionnaires, API tokens, own password, team, accounts and retention (admins), audit log (admins)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required, logout_user
from werkzeug.wrappers import Response

from assess.catalog import QuestionnaireError
from assess.catalog.sheet_import import is_spreadsheet
from assess.domain.text import without_unstorable
from assess.services import accounts, audit, branding, privacy, questionnaire_sheets, questionnaires
from assess.services.exports import Exported
from assess.services.records import User, Workspace
from assess.web.auth import PasswordChangeForm, consultant, renew_session
from assess.web.database import catalog, db
from assess.web.i18n import current_language
from assess.web.inputs import LARGER_BODIES, UNSTORABLE_MESSAGE
from assess.web.limits import limiter
from assess.web.reports import attachment
from assess.web.workspace import audit_labels, questionnaire_problems

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
        filename, raw = "upload.yaml", b""
        if upload is not None and upload.filename:
            filename = upload.filename.rsplit("/", 1)[-1][:100]
            raw = upload.read(MAX_QUESTIONNAIRE_BYTES + 1)
            if len(raw) > MAX_QUESTIONNAIRE_BYTES:
                abort(413)
            if is_spreadsheet(filename, raw):
                text = ""
            else:
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError:
                    problems = [_("%(file)s, line %(line)d: %(what)s", file=filename, line=1,
                                  what=_("The file is not UTF-8 text. Save it as UTF-8 and upload it again."))]
        if not problems:
            try:
                if is_spreadsheet(filename, raw):
                    loaded = questionnaire_sheets.import_workbook(db(), catalog(), consultant().workspace_id, raw,
                                                                  filename, consultant().id)
                else:
                    loaded = questionnaires.import_questionnaire(db(), catalog(), consultant().workspace_id, text,
                                                                 filename, consultant().id)
            except QuestionnaireError as error:
                problems = questionnaire_problems.messages(error.problems)
            else:
                flash(_("Questionnaire %(id)s version %(version)s is ready to use.", id=loaded.id, version=loaded.version))
                return redirect(url_for("wsadmin.questionnaires"))
    offered = questionnaires.offered(db(), catalog(), consultant().workspace_id, current_language())
    return render_template("workspace/questionnaires.html", offered=offered, problems=problems), (
        422 if problems else 200)


@bp.get("/questionnaires/<questionnaire_id>.xlsx", endpoint="questionnaire_xlsx")
def questionnaire_xlsx(questionnaire_id: str) -> Response:
    """A questionnaire this workspace can use (shipped or its own) as a spreadsheet; any other is a 404."""
    try:
        name, body = questionnaire_sheets.workbook(db(), catalog(), consultant().workspace_id, questionnaire_id,
                                                   request.args.get("version") or None)
    except questionnaires.QuestionnaireNotFound:
        abort(404)
    return attachment(Exported(body, questionnaire_sheets.XLSX, name))


@bp.get("/questionnaire-template.xlsx", endpoint="questionnaire_template")
def questionnaire_template() -> Response:
    """The spreadsheet to start a questionnaire from."""
    return attachment(Exported(questionnaire_sheets.template(), questionnaire_sheets.XLSX, "questionnaire-template.xlsx"))



# Account problems in the visitor's language: AccountError.code -> message (details fill the placeholders).
ACCOUNT_MESSAGES = {
    "not_an_email": _l("“%(email)s” is not an e-mail address."),
    "exists": _l("An account for %(email)s exists already."),
    "name_too_long": _l("The name may have at most %(max)d characters."),
    "password_too_short": _l("The password needs at least %(min)d characters."),
    "password_too_long": _l("The password may have at most %(max)d characters."),
    "wrong_password": _l("The current password is not correct."),
    "last_admin": _l("%(email)s is the last active admin of this workspace. Make another account admin first."),
    "token_name": _l("Please give the token a name of at most %(max)d characters."),
}
FIELD_LABELS = {"email": _l("E-mail"), "name": _l("Name"), "password": _l("Password"), "token_name": _l("Name")}


def account_message(error: accounts.AccountError) -> str:
    """What went wrong, translated."""
    if error.code == "unstorable":
        return f"{FIELD_LABELS.get(str(error.details.get('field')), '')}: {UNSTORABLE_MESSAGE}"
    return str(ACCOUNT_MESSAGES[error.code] % error.details) if error.code in ACCOUNT_MESSAGES else str(error)


def _shown_again(*names: str) -> dict[str, str]:
    """What was typed into these fields, to fill the form again (without what cannot be stored)."""
    return {name: without_unstorable(request.form.get(name, ""))[:300] for name in names}


def _me() -> User:
    user = accounts.user_by_id(db(), consultant().id)
    assert user is not None
    return user


@bp.route("/tokens", methods=["GET", "POST"])
def tokens() -> str | tuple[str, int]:
    user = _me()
    secret, error = None, None
    if request.method == "POST":
        try:
            secret = accounts.create_api_token(db(), user, request.form.get("name", "")).secret
        except accounts.AccountError as problem:
            error = account_message(problem)
    return render_template("workspace/tokens.html", tokens=accounts.api_tokens_of(db(), user), secret=secret,
                           error=error, typed=_shown_again("name") if error else {}), 400 if error else 200


@bp.post("/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int) -> Response:
    if not accounts.revoke_api_token(db(), _me(), token_id):
        abort(404)
    flash(_("The token no longer works."))
    return redirect(url_for("wsadmin.tokens"))


@bp.route("/password", methods=["GET", "POST"])
@limiter.limit("10 per minute;50 per hour", methods=["POST"])  # a borrowed session must not guess the password
def password() -> str | Response | tuple[str, int]:
    """The consultant's own password: the current one, the new one twice; every other session ends."""
    form = PasswordChangeForm()
    error = None
    if form.validate_on_submit():
        user = _me()
        try:
            accounts.change_password(db(), user, form.current.data or "", form.new.data or "")
        except accounts.AccountError as problem:
            error = account_message(problem)
        else:
            renew_session(user)
            flash(_("Your password is changed. Every other session of your account has ended."))
            return redirect(url_for("wsadmin.password"))
    failed = request.method == "POST"
    return render_template("workspace/password.html", form=form, error=error), 400 if failed else 200


@bp.route("/team", methods=["GET", "POST"])
def team() -> str | Response | tuple[str, int]:
    _require_admin()
    if request.method == "POST":
        try:
            accounts.create_user(db(), email=request.form.get("email", ""), password=request.form.get("password", ""),
                                 name=request.form.get("name", ""), workspace_id=consultant().workspace_id,
                                 is_admin=request.form.get("is_admin") == "1", actor=consultant())
        except accounts.AccountError as problem:
            return _team_page(error=account_message(problem), typed=_shown_again("email", "name", "is_admin"))
        flash(_("Account created. Give the password to the new consultant in person or by phone."))
        return redirect(url_for("wsadmin.team"))
    return _team_page()


def _member_or_404(user_id: int) -> User:
    """An account of the admin's own workspace; any other id is unknown here."""
    _require_admin()
    user = accounts.user_in_workspace(db(), consultant().workspace_id, user_id)
    if user is None:
        abort(404)
    return user


@bp.post("/team/<int:user_id>/deactivate")
def deactivate(user_id: int) -> Response | tuple[str, int]:
    user = _member_or_404(user_id)
    try:
        accounts.deactivate_user(db(), user, actor=consultant())
    except accounts.AccountError as problem:
        return _team_page(account_error=account_message(problem))
    if user.id == consultant().id:  # their own sessions have ended, this one too
        logout_user()
        return redirect(url_for("auth.login"))
    flash(_("%(email)s can no longer sign in; their sessions have ended and their API tokens stopped working.",
            email=user.email))
    return redirect(url_for("wsadmin.team"))


@bp.post("/team/<int:user_id>/activate")
def activate(user_id: int) -> Response:
    user = _member_or_404(user_id)
    accounts.activate_user(db(), user, actor=consultant())
    flash(_("%(email)s can sign in again.", email=user.email))
    return redirect(url_for("wsadmin.team"))


@bp.post("/team/<int:user_id>/password")
def reset_password(user_id: int) -> Response | tuple[str, int]:
    user = _member_or_404(user_id)
    try:
        accounts.reset_password(db(), user, request.form.get("password", ""), actor=consultant())
    except accounts.AccountError as problem:
        return _team_page(account_error=account_message(problem))
    if user.id == consultant().id:
        renew_session(user)
    flash(_("%(email)s has a new password and their sessions have ended. Give it to them in person or by phone.",
            email=user.email))
    return redirect(url_for("wsadmin.team"))


@bp.post("/team/<int:user_id>/revoke-tokens")
def revoke_tokens(user_id: int) -> Response:
    user = _member_or_404(user_id)
    count = accounts.revoke_api_tokens(db(), user, actor=consultant())
    flash(_("API tokens of %(email)s revoked: %(count)d.", email=user.email, count=count))
    return redirect(url_for("wsadmin.team"))


def _team_page(*, error: str | None = None, typed: dict[str, str] | None = None, account_error: str | None = None,
               retention_error: str | None = None, brand_error: str | None = None) -> tuple[str, int]:
    workspace_id = consultant().workspace_id
    return render_template("workspace/team.html", users=accounts.users_of(db(), workspace_id),
                           token_counts=accounts.active_token_counts(db(), workspace_id), me=consultant().id,
                           error=error, typed=typed or {}, account_error=account_error, workspace=_workspace(),
                           retention_error=retention_error,
                           retention_range=(privacy.MIN_RETENTION_DAYS, privacy.MAX_RETENTION_DAYS),
                           brand=branding.brand_of(db(), workspace_id), brand_error=brand_error,
                           logo_mb=branding.MAX_LOGO_BYTES // (1024 * 1024)), (
        400 if error or account_error or retention_error or brand_error else 200)


def _workspace() -> Workspace:
    return accounts.workspace_of(db(), consultant().workspace_id)


@bp.post("/retention")
def retention() -> Response | tuple[str, int]:
    """How many days client data is kept after its last activity (`assess purge` deletes the rest)."""
    _require_admin()
    raw = request.form.get("retention_days", "").strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9) or not (
            privacy.MIN_RETENTION_DAYS <= int(raw) <= privacy.MAX_RETENTION_DAYS):  # 5,000 digits: no int() at all
        return _team_page(retention_error=_("Please give a retention period between %(min)d and %(max)d days.",
                                            min=privacy.MIN_RETENTION_DAYS, max=privacy.MAX_RETENTION_DAYS))
    privacy.set_retention_days(db(), consultant(), int(raw))
    flash(_("Client data is now kept for %(days)d days after its last activity.", days=int(raw)))
    return redirect(url_for("wsadmin.team"))


LARGER_BODIES["wsadmin.brand"] = branding.MAX_LOGO_BYTES + 64 * 1024  # the logo and the form around it


@bp.post("/brand", endpoint="brand")
def brand() -> Response | tuple[str, int]:
    """The consultancy's name, colour and logo on the workspace's reports (PDF and DOCX)."""
    _require_admin()
    upload = request.files.get("logo")
    logo = None
    if upload is not None:
        try:
            logo = upload.read() if upload.filename else None
        finally:
            upload.close()  # a large upload is spooled to a temporary file: closed at once
    try:
        branding.save_brand(db(), consultant(), name=request.form.get("brand_name", ""),
                            colour=request.form.get("colour", ""), logo=logo,
                            remove_logo=request.form.get("remove_logo") == "1")
    except branding.BrandError as refused:
        shown = {k: format_decimal(v, "0.0") if isinstance(v, float) else v for k, v in refused.params().items()}
        return _team_page(brand_error=_(refused.message, **shown))
    flash(_("Saved: the reports of your assessments now show your name, colour and logo."))
    return redirect(url_for("wsadmin.team"))


@bp.get("/brand/logo.png", endpoint="brand_logo")
def brand_logo() -> Response:
    """The workspace's stored logo (as the reports print it), for the settings page."""
    stored = branding.brand_of(db(), consultant().workspace_id)
    if stored is None or stored.logo is None:
        abort(404)
    response = Response(stored.logo, mimetype="image/png")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/audit", endpoint="audit")
def audit_log() -> str:
    _require_admin()
    return render_template("workspace/audit.html", lines=audit_labels.lines(audit.steps(db(), consultant().workspace_id)))
