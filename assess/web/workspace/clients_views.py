"""Clients, assessments and respondents: the consultant's day-to-day pages."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from assess.domain.levels import parse_level
from assess.domain.roadmap import CAPACITY_RANGE, FOCUS_RANGE, PlanSettings
from assess.services import aggregate, assessments, clients, exports, invitations, privacy, questionnaires
from assess.services.records import Assessment, Organisation, utcnow
from assess.web.auth import consultant
from assess.web.database import catalog, db
from assess.web.forms import INDUSTRY_LABELS, SIZE_LABELS
from assess.web.i18n import current_language
from assess.web.inputs import form_id
from assess.web.workspace import assessment_or_404, bp, invite_list, organisation_or_404, workspace_id
from assess.web.workspace.forms import (
    AssessmentForm,
    BulkInviteForm,
    InviteForm,
    OrganisationForm,
    RenameAssessmentForm,
    RenameOrganisationForm,
)


def _questionnaire_choices() -> list[tuple[str, str]]:
    """The questionnaires to start with, by title and version (the newest first), each once."""
    offered = questionnaires.offered(db(), catalog(), workspace_id(), current_language())
    return [(f"{o.id}@{o.version}", _("%(title)s, version %(version)s", title=o.title, version=o.version)
             + (" " + _("(your own)") if o.own else "")) for o in offered]


@bp.get("/")
def dashboard() -> str:
    return render_template("workspace/dashboard.html", organisations=clients.organisations(db(), workspace_id()),
                           form=OrganisationForm(), industries=INDUSTRY_LABELS, sizes=SIZE_LABELS)


@bp.post("/organisations")
def create_organisation() -> Response | tuple[str, int]:
    form = OrganisationForm()
    if not form.validate_on_submit():
        return render_template("workspace/dashboard.html", organisations=clients.organisations(db(), workspace_id()),
                               form=form, industries=INDUSTRY_LABELS, sizes=SIZE_LABELS), 400
    org = clients.create_organisation(db(), workspace_id(), name=form.name.data or "", industry=form.industry.data or "",
                                      size=form.size.data or "")
    return redirect(url_for("ws.organisation", organisation_id=org.id))


def _organisation_page(org: Organisation, form: AssessmentForm | None = None, status: int = 200, *,
                       rename: RenameOrganisationForm | None = None) -> tuple[str, int]:
    if form is None:
        form = AssessmentForm(formdata=None)
        form.questionnaire.choices = _questionnaire_choices()
    return render_template("workspace/organisation.html", org=org, form=form,
                           rename=rename or RenameOrganisationForm(formdata=None, data={"name": org.name}),
                           assessments=clients.assessments_of(db(), org.id or 0),
                           industries=INDUSTRY_LABELS, sizes=SIZE_LABELS), status


@bp.get("/org/<int:organisation_id>")
def organisation(organisation_id: int) -> tuple[str, int]:
    return _organisation_page(organisation_or_404(organisation_id))


@bp.post("/org/<int:organisation_id>/rename")
def rename_organisation(organisation_id: int) -> Response | tuple[str, int]:
    """Give the client another name (its assessments, results and reports follow)."""
    org = organisation_or_404(organisation_id)
    form = RenameOrganisationForm()
    if not form.validate_on_submit():
        return _organisation_page(org, rename=form, status=400)
    try:
        clients.rename_organisation(db(), consultant(), org, form.name.data or "")
    except clients.ClientError:
        return _organisation_page(org, rename=form, status=400)
    flash(_("The client is now called %(name)s.", name=org.name))
    return redirect(url_for("ws.organisation", organisation_id=organisation_id))


@bp.post("/org/<int:organisation_id>/assessments")
def create_assessment(organisation_id: int) -> Response | tuple[str, int]:
    org = organisation_or_404(organisation_id)
    form = AssessmentForm()
    form.questionnaire.choices = _questionnaire_choices()
    if not form.validate_on_submit():
        return _organisation_page(org, form, 400)  # shown again with what was typed and the reason
    questionnaire_id, _sep, version = (form.questionnaire.data or "").partition("@")
    previous = form_id("previous_id")
    if "previous_id" in request.form and previous is None:
        abort(404)  # an id no assessment can have
    try:
        row = clients.create_assessment(
            db(), catalog(), workspace_id(), org.id or 0, questionnaire_id=questionnaire_id, version=version or None,
            title=form.title.data or "", deadline=form.deadline.data, previous_id=previous, user_id=consultant().id)
    except (clients.ClientError, questionnaires.QuestionnaireNotFound):
        abort(400)
    return redirect(url_for("ws.assessment", assessment_id=row.id))


def _assessment_page(assessment_id: int, invite: InviteForm | None = None, status: int = 200, *,
                     rename: RenameAssessmentForm | None = None, bulk: BulkInviteForm | None = None,
                     created: list[invite_list.CreatedLink] | None = None) -> tuple[str, int]:
    row, org = assessment_or_404(assessment_id)
    questionnaire = questionnaires.for_assessment(db(), catalog(), row)
    targets = {d.id: (row.targets or {}).get(d.id, d.target) for d in questionnaire.dimensions}
    lang = questionnaire.language(current_language())  # the page's language, not the browser's
    return render_template(
        "workspace/assessment.html", assessment=row, org=org, questionnaire=questionnaire, targets=targets,
        plan=PlanSettings.of(row.capacity, row.focus), capacity_range=CAPACITY_RANGE, focus_range=FOCUS_RANGE,
        lang=lang, progress=aggregate.progress(db(), questionnaire, assessment_id), invite=invite or InviteForm(formdata=None),
        activity=clients.last_activity(db(), assessment_id),
        rename=rename or RenameAssessmentForm(formdata=None, data={"title": row.title}),
        bulk=bulk or BulkInviteForm(formdata=None),
        created=created, created_csv=invite_list.links_csv(created) if created else "",
        max_lines=invitations.MAX_LINES, role_names=invite_list.role_names(),
        follow_ups=aggregate.follow_ups(db(), assessment_id), export_formats=exports.FORMATS.values(),
    ), status


@bp.get("/assessment/<int:assessment_id>")
def assessment(assessment_id: int) -> tuple[str, int]:
    return _assessment_page(assessment_id)


@bp.post("/assessment/<int:assessment_id>/rename")
def rename_assessment(assessment_id: int) -> Response | tuple[str, int]:
    """Give the assessment another title (its results and reports follow)."""
    row, _org = assessment_or_404(assessment_id)
    form = RenameAssessmentForm()
    if not form.validate_on_submit():
        return _assessment_page(assessment_id, rename=form, status=400)
    try:
        clients.rename_assessment(db(), consultant(), row, form.title.data or "")
    except clients.ClientError:
        return _assessment_page(assessment_id, rename=form, status=400)
    flash(_("The assessment is now titled %(title)s.", title=row.title))
    return redirect(url_for("ws.assessment", assessment_id=assessment_id))


@bp.post("/assessment/<int:assessment_id>/close")
def close(assessment_id: int) -> Response:
    """Close the assessment (its respondents can no longer change answers) or, with reopen=1, open it again."""
    row, _org = assessment_or_404(assessment_id)
    closing = request.form.get("reopen") != "1"
    assessments.set_closed(db(), consultant(), row, closing)
    flash(_("The assessment is closed: respondents can no longer change their answers.") if closing
          else _("The assessment is open again: respondents can change their answers."))
    return redirect(url_for("ws.assessment", assessment_id=assessment_id))


@bp.post("/assessment/<int:assessment_id>/targets")
def set_targets(assessment_id: int) -> Response | tuple[str, int]:
    row, _org = assessment_or_404(assessment_id)
    questionnaire = questionnaires.for_assessment(db(), catalog(), row)
    levels = {d.id: parse_level(request.form.get(f"target-{d.id}", "")) for d in questionnaire.dimensions}
    if set(request.form) - {"csrf_token", *(f"target-{d}" for d in levels)}:
        abort(400)  # a field this form never had
    valid = {k: v for k, v in levels.items() if v is not None}
    if len(valid) != len(levels):
        flash(_("Nothing was saved: every target must be a level from 1 to 5."))
        return _assessment_page(assessment_id, status=400)
    clients.set_targets(db(), row, questionnaire, valid)
    flash(_("Targets saved."))
    return redirect(url_for("ws.assessment", assessment_id=assessment_id))


@bp.post("/assessment/<int:assessment_id>/plan")
def set_plan(assessment_id: int) -> Response | tuple[str, int]:
    row, _org = assessment_or_404(assessment_id)
    if set(request.form) - {"csrf_token", "capacity", "focus"}:
        abort(400)  # a field this form never had
    capacity, focus = (_small_number(request.form.get(name, "")) for name in ("capacity", "focus"))
    try:
        if capacity is None or focus is None:
            raise clients.ClientError("not a number")
        clients.set_plan(db(), row, capacity=capacity, focus=focus)
    except clients.ClientError:
        flash(_("Nothing was saved: choose how many measures run in parallel and how many the plan holds."))
        return _assessment_page(assessment_id, status=400)
    flash(_("Plan settings saved."))
    return redirect(url_for("ws.assessment", assessment_id=assessment_id))


def _small_number(raw: str) -> int | None:
    return int(raw) if 0 < len(raw) <= 2 and raw.isascii() and raw.isdigit() else None


@bp.post("/assessment/<int:assessment_id>/invite")
def invite(assessment_id: int) -> Response | tuple[str, int]:
    row, _org = assessment_or_404(assessment_id)
    form = InviteForm()
    if not form.validate_on_submit():
        return _assessment_page(assessment_id, form, 400)  # shown again with what was typed and the reason
    invitation = clients.invite(db(), row, role=form.role.data or "other", name=form.name.data or "",
                                language=form.language.data or "de", actor=consultant())
    link = url_for("survey.resume", token=invitation.token, _external=True)
    flash(_("New personal link (shown only now; copy it and send it to the respondent): %(link)s", link=link), "link")
    return redirect(url_for("ws.assessment", assessment_id=assessment_id))


@bp.post("/assessment/<int:assessment_id>/invite-list")
def invite_many(assessment_id: int) -> tuple[str, int] | Response:
    """Invite everyone on a pasted list at once; the page shows their links (only this once)."""
    row, _org = assessment_or_404(assessment_id)
    form = BulkInviteForm()
    if not form.validate_on_submit():
        return _assessment_page(assessment_id, bulk=form, status=400)
    if form.batch.data and form.batch.data in session.get(INVITED_LISTS, []):  # the page reloaded: sent again
        flash(_("This list was invited already; sending it again invites nobody twice."))
        return redirect(url_for("ws.assessment", assessment_id=assessment_id))
    try:
        created = invitations.invite_all(db(), consultant(), row, form.lines.data or "",
                                         language=form.language.data or "de", languages=current_app.config["LANGUAGES"])
    except invitations.ListError as error:
        form.lines.errors = invite_list.messages(error)
        return _assessment_page(assessment_id, bulk=form, status=400)
    session[INVITED_LISTS] = [*session.get(INVITED_LISTS, []), form.batch.data][-20:]
    return _assessment_page(assessment_id, created=invite_list.created_links(created))


INVITED_LISTS = "invited_lists"  # session key: the last lists invited (their form's batch), so a reload invites nobody twice


@bp.post("/respondent/<int:respondent_id>/revoke")
def revoke(respondent_id: int) -> Response:
    found = clients.respondent(db(), workspace_id(), respondent_id)
    if found is None:
        abort(404)
    clients.revoke(db(), found[0])
    flash(_("The link no longer works. The answers given so far are kept."))
    return redirect(url_for("ws.assessment", assessment_id=found[1].id))


@bp.post("/respondent/<int:respondent_id>/reissue")
def reissue(respondent_id: int) -> Response:
    found = clients.respondent(db(), workspace_id(), respondent_id)
    if found is None:
        abort(404)
    token = clients.reissue(db(), found[0])
    link = url_for("survey.resume", token=token, _external=True)
    flash(_("New personal link (shown only now; copy it and send it to the respondent): %(link)s", link=link), "link")
    return redirect(url_for("ws.assessment", assessment_id=found[1].id))


def _confirmed() -> bool:
    """Deletions need the confirmation box ticked (the delete forms' second step)."""
    if request.form.get("confirm") == "yes":
        return True
    flash(_("Nothing was deleted: tick the box to confirm the deletion."))
    return False


@bp.post("/respondent/<int:respondent_id>/delete")
def delete_respondent(respondent_id: int) -> Response:
    found = clients.respondent(db(), workspace_id(), respondent_id)
    if found is None:
        abort(404)
    respondent, row = found
    if _confirmed():
        privacy.delete_respondent(db(), catalog(), consultant(), respondent)
        flash(_("The respondent and all their answers were deleted; the results no longer include them."))
    return redirect(url_for("ws.assessment", assessment_id=row.id))


@bp.post("/org/<int:organisation_id>/delete")
def delete_organisation(organisation_id: int) -> Response:
    org = organisation_or_404(organisation_id)
    if not _confirmed():
        return redirect(url_for("ws.organisation", organisation_id=organisation_id))
    name = org.name
    privacy.delete_organisation(db(), catalog(), consultant(), org)
    flash(_("%(name)s was deleted with all its assessments, respondents and answers.", name=name))
    return redirect(url_for("ws.dashboard"))


@bp.post("/assessment/<int:assessment_id>/follow-up")
def follow_up(assessment_id: int) -> Response:
    row, org = assessment_or_404(assessment_id)
    title = clients.follow_up_title(row.title, _("Follow-up %(month)s", month=format_date(utcnow(), "MMMM yyyy")))

    def start(targets: dict[str, int] | None) -> Assessment:
        return clients.create_assessment(
            db(), catalog(), workspace_id(), org.id or 0, questionnaire_id=row.questionnaire_id, version=None,
            title=title, previous_id=row.id, user_id=consultant().id, targets=targets, capacity=row.capacity,
            focus=row.focus)

    try:
        new = start(row.targets)
    except clients.ClientError:  # the newest version has other dimensions: keep its default targets
        new = start(None)
    flash(_("Follow-up assessment created; invite the respondents again."))
    return redirect(url_for("ws.assessment", assessment_id=new.id))
