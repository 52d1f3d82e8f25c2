"""The consultant workspace: clients, assessments, respondents, results, workshops, exports.

Every view is behind login, and every id in a URL is looked up within the
consultant's workspace: another workspace's id is a 404, never data.
"""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import login_required

from assess.services import clients
from assess.services.records import Assessment, Organisation
from assess.web.auth import consultant
from assess.web.database import db

bp = Blueprint("ws", __name__, url_prefix="/w")


@bp.before_request
@login_required
def _require_login() -> None:
    """Every workspace page needs a signed-in consultant."""


def workspace_id() -> int:
    return consultant().workspace_id


def organisation_or_404(organisation_id: int) -> Organisation:
    found = clients.organisation(db(), workspace_id(), organisation_id)
    if found is None:
        abort(404)
    return found


def assessment_or_404(assessment_id: int) -> tuple[Assessment, Organisation]:
    found = clients.assessment(db(), workspace_id(), assessment_id)
    if found is None:
        abort(404)
    return found


from assess.web.workspace import clients_views, plan_views, results_views  # noqa: E402,F401  (registers the views)
