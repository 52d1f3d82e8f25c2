"""The action plan of one assessment: each recommended measure with its owner, due date, status and notes."""

from __future__ import annotations

import datetime as dt

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from assess.services import action_plan
from assess.web.auth import consultant
from assess.web.database import catalog, db
from assess.web.i18n import current_language
from assess.web.workspace import assessment_or_404, bp
from assess.web.workspace.forms import PlanItemForm


def _plan_page(assessment_id: int, failed: PlanItemForm | None = None, status: int = 200) -> tuple[str, int]:
    row, org = assessment_or_404(assessment_id)
    entries = action_plan.entries(db(), catalog(), row, current_language())
    today = dt.date.today()
    forms = {e.measure_id: failed if failed is not None and failed.measure.data == e.measure_id else PlanItemForm(
        formdata=None, data={"measure": e.measure_id, "owner": e.owner, "due": e.due, "status": e.status,
                             "reason": e.reason, "notes": e.notes}, prefix=f"m{i}") for i, e in enumerate(entries)}
    planned = [e for e in entries if e.track != action_plan.BACKLOG]  # the summary: what the plan runs now
    counts = {s: sum(1 for e in planned if e.status == s) for s in action_plan.STATUSES}
    return render_template("workspace/plan.html", assessment=row, org=org, entries=entries, forms=forms,
                           counts=counts, planned=len(planned), overdue=sum(1 for e in entries if e.overdue(today)),
                           today=today,
                           status_labels=action_plan.STATUS_LABELS), status


@bp.get("/assessment/<int:assessment_id>/plan")
def plan(assessment_id: int) -> tuple[str, int]:
    return _plan_page(assessment_id)


@bp.post("/assessment/<int:assessment_id>/plan/<int:index>")
def plan_item(assessment_id: int, index: int) -> Response | tuple[str, int]:
    """Save one measure of the plan (form `index` of the page); a problem shows the page again, nothing stored."""
    row, _org = assessment_or_404(assessment_id)
    form = PlanItemForm(prefix=f"m{index}")
    if not form.validate_on_submit():
        return _plan_page(assessment_id, form, 400)
    try:
        action_plan.update(db(), catalog(), row, form.measure.data or "", consultant(), owner=form.owner.data or "",
                           due=form.due.data, status=form.status.data or "", reason=form.reason.data or "",
                           notes=form.notes.data or "")
    except action_plan.PlanError as error:
        for name, message in error.problems.items():
            field = getattr(form, name, None)
            if field is None:  # the measure itself: not on this assessment's roadmap
                return _plan_page(assessment_id, None, 400)
            field.errors = [*field.errors, _(message)]
        return _plan_page(assessment_id, form, 400)
    flash(_("The action plan is saved."))
    return redirect(url_for("ws.plan", assessment_id=assessment_id) + f"#m{index}")
