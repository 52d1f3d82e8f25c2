"""The privacy notice: what it says for an assessment, and when a respondent accepted it."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from sqlmodel import Session

from assess.db.models import Assessment, Organisation, Respondent, Workspace, utcnow
from assess.services.privacy.retention import self_assessment_retention_days


def accept_notice(session: Session, respondent: Respondent, at: dt.datetime | None = None) -> None:
    """Note when the respondent confirmed the privacy notice (the first confirmation counts)."""
    if respondent.privacy_accepted_at is None:
        respondent.privacy_accepted_at = at or utcnow()
        session.add(respondent)
        session.flush()


@dataclass(frozen=True, slots=True)
class Notice:
    """What the privacy notice says about one respondent's data."""

    retention_days: int
    workspace: str | None  # the consultancy running the assessment; None for a public self-assessment
    contact: str | None = None  # where to ask for access, correction or deletion ($ASSESS_PRIVACY_CONTACT)


def notice_for(session: Session, assessment: Assessment | None) -> Notice:
    """The retention period and the controller that apply to an assessment (None: a new self-assessment)."""
    organisation = session.get(Organisation, assessment.organisation_id) if assessment is not None else None
    workspace = session.get(Workspace, organisation.workspace_id) if organisation and organisation.workspace_id else None
    contact = os.environ.get("ASSESS_PRIVACY_CONTACT", "").strip()[:200] or None
    if workspace is None:
        return Notice(self_assessment_retention_days(), None, contact)
    return Notice(workspace.retention_days, workspace.name, contact)
