"""A consultant's clients: organisations, assessments and invited respondents, per workspace.

Every function takes the caller's workspace id and returns None for rows of
another workspace, so that a view can answer 404 without learning anything.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from assess.catalog import Catalog
from assess.db import repo
from assess.db.models import AnswerRow, Assessment, Organisation, Respondent, utcnow
from assess.domain.answers import ROLES
from assess.domain.levels import MAX_LEVEL, MIN_LEVEL, is_level
from assess.domain.questionnaire import Questionnaire
from assess.domain.roadmap import CAPACITY_RANGE, FOCUS_RANGE
from assess.services import audit, questionnaires

TITLE_LENGTH = 200  # Assessment.title
NAME_LENGTH = 200  # Organisation.name
RESPONDENT_NAME_LENGTH = 120  # Respondent.name


class ClientError(ValueError):
    """A request that cannot be carried out; the message says why."""


def organisations(session: Session, workspace_id: int) -> list[Organisation]:
    query = select(Organisation).where(Organisation.workspace_id == workspace_id).order_by(col(Organisation.name))
    return list(session.exec(query))


def organisation(session: Session, workspace_id: int, organisation_id: int) -> Organisation | None:
    row = session.get(Organisation, organisation_id)
    return row if row is not None and row.workspace_id == workspace_id else None


def create_organisation(session: Session, workspace_id: int, *, name: str, industry: str, size: str) -> Organisation:
    row = Organisation(workspace_id=workspace_id, name=name.strip(), industry=industry, size=size)
    session.add(row)
    session.flush()
    return row


def rename_organisation(session: Session, actor: audit.Actor, org: Organisation, name: str) -> None:
    """Give a client another name (ClientError when empty or longer than the column); noted in the audit log."""
    org.name = _checked_name(name, NAME_LENGTH)
    session.add(org)
    session.flush()
    audit.record(session, actor, "rename", "organisation", org.id)


def rename_assessment(session: Session, actor: audit.Actor, row: Assessment, title: str) -> None:
    """Give an assessment another title (ClientError when empty or too long); noted in the audit log."""
    row.title = _checked_name(title, TITLE_LENGTH)
    session.add(row)
    session.flush()
    audit.record(session, actor, "rename", "assessment", row.id)


def _checked_name(name: str, length: int) -> str:
    clean = name.strip()
    if not clean or len(clean) > length:
        raise ClientError(f"a name needs 1 to {length} characters")
    return clean


def assessment(session: Session, workspace_id: int, assessment_id: int) -> tuple[Assessment, Organisation] | None:
    """An assessment and its organisation, only if both belong to the workspace."""
    row = session.exec(
        select(Assessment, Organisation)
        .join(Organisation, col(Organisation.id) == col(Assessment.organisation_id))
        .where(Assessment.id == assessment_id, Organisation.workspace_id == workspace_id)
    ).first()
    return None if row is None else (row[0], row[1])


def assessments_of(session: Session, organisation_id: int) -> list[Assessment]:
    query = select(Assessment).where(Assessment.organisation_id == organisation_id).order_by(col(Assessment.created_at))
    return list(session.exec(query))


def create_assessment(
    session: Session, catalog: Catalog, workspace_id: int, organisation_id: int, *,
    questionnaire_id: str, version: str | None = None, title: str = "", targets: Mapping[str, int] | None = None,
    deadline: dt.date | None = None, previous_id: int | None = None, user_id: int | None = None,
    capacity: int | None = None, focus: int | None = None,
) -> Assessment:
    """Start an assessment for a client with a fixed questionnaire version."""
    org = organisation(session, workspace_id, organisation_id)
    if org is None or org.id is None:
        raise ClientError("unknown organisation")
    questionnaire = questionnaires.choose(session, catalog, workspace_id, questionnaire_id, version)
    clean_targets = check_targets(questionnaire, targets or {})
    if previous_id is not None:
        previous = assessment(session, workspace_id, previous_id)
        if previous is None or previous[1].id != org.id:
            raise ClientError("a follow-up must continue an earlier assessment of the same client")
    row = Assessment(
        organisation_id=org.id, **questionnaires.pin_fields(questionnaire),
        title=(title.strip() or questionnaire.title.get(questionnaire.languages[0]))[:TITLE_LENGTH],
        targets=clean_targets or None, deadline=deadline, previous_id=previous_id, created_by=user_id,
        capacity=capacity, focus=focus,
    )
    session.add(row)
    session.flush()
    return row


def set_plan(session: Session, row: Assessment, *, capacity: int, focus: int) -> None:
    """How many measures the client runs in parallel, and how many the plan holds (ClientError outside the ranges)."""
    for name, value, (low, high) in (("capacity", capacity, CAPACITY_RANGE), ("focus", focus, FOCUS_RANGE)):
        if isinstance(value, bool) or not low <= value <= high:
            raise ClientError(f"{name} must be from {low} to {high}")
    row.capacity, row.focus = capacity, focus
    session.add(row)
    session.flush()


def set_targets(session: Session, row: Assessment, questionnaire: Questionnaire, targets: Mapping[str, int]) -> None:
    """The level per dimension the client aims for (ClientError for an unknown dimension or a level outside 1..5)."""
    row.targets = check_targets(questionnaire, targets)
    session.add(row)
    session.flush()


def check_targets(questionnaire: Questionnaire, targets: Mapping[str, int]) -> dict[str, int]:
    """Targets per dimension, each 1..5; unknown dimensions are an error."""
    known = {d.id for d in questionnaire.dimensions}
    out = {}
    for dimension_id, level in targets.items():
        if dimension_id not in known:
            raise ClientError(f"unknown dimension '{dimension_id}'")
        if not is_level(level):
            raise ClientError(f"target for '{dimension_id}' must be a level {MIN_LEVEL}-{MAX_LEVEL}")
        out[dimension_id] = level
    return out


@dataclass(frozen=True, slots=True)
class Invitation:
    respondent: Respondent
    token: str  # the secret part of the link; shown once, stored only as a hash


def invite(session: Session, assessment_row: Assessment, *, role: str, name: str = "", language: str = "de",
           email: str = "", actor: audit.Actor | None = None) -> Invitation:
    """A new respondent with an unguessable personal link (noted in the audit log when a consultant `actor` asks)."""
    if role not in ROLES:
        raise ClientError(f"unknown role '{role}'; use one of {', '.join(ROLES)}")
    assert assessment_row.id is not None
    token = secrets.token_urlsafe(24)
    respondent = Respondent(assessment_id=assessment_row.id, token_hash=repo.token_hash(token), role=role,
                            name=name.strip()[:RESPONDENT_NAME_LENGTH] or None, email=email.strip() or None,
                            language=language)
    repo.add(session, respondent)
    if actor is not None:
        audit.record(session, actor, "invite", "respondent", respondent.id)
    return Invitation(respondent, token)


def last_activity(session: Session, assessment_id: int) -> dict[int, dt.datetime]:
    """Respondent id -> when they last saved an answer or finished (respondents who did neither are left out)."""
    query = (select(col(AnswerRow.respondent_id), func.max(col(AnswerRow.updated_at)))
             .join(Respondent, col(Respondent.id) == col(AnswerRow.respondent_id))
             .where(Respondent.assessment_id == assessment_id).group_by(col(AnswerRow.respondent_id)))
    out: dict[int, dt.datetime] = {respondent_id: _aware(at) for respondent_id, at in session.exec(query) if at}
    finished = select(col(Respondent.id), col(Respondent.finished_at)).where(
        Respondent.assessment_id == assessment_id, col(Respondent.finished_at).is_not(None))
    for respondent_id, at in session.exec(finished):
        if respondent_id is not None and at is not None:
            out[respondent_id] = max(out.get(respondent_id, _aware(at)), _aware(at))
    return out


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def respondents_of(session: Session, assessment_id: int) -> list[Respondent]:
    query = select(Respondent).where(Respondent.assessment_id == assessment_id).order_by(col(Respondent.id))
    return list(session.exec(query))


def respondent(session: Session, workspace_id: int, respondent_id: int) -> tuple[Respondent, Assessment] | None:
    row = session.get(Respondent, respondent_id)
    if row is None:
        return None
    found = assessment(session, workspace_id, row.assessment_id)
    return None if found is None else (row, found[0])


def revoke(session: Session, row: Respondent) -> None:
    """The link stops working; answers stay. Whoever opens it is told it was withdrawn (repo.withdrawn_hash)."""
    if row.revoked_at is None:
        row.token_hash = repo.withdrawn_hash(row.token_hash)
    row.revoked_at = utcnow()
    session.add(row)
    session.flush()
    repo.data_changed(session, [row.assessment_id])


def reissue(session: Session, row: Respondent) -> str:
    """A new link for the same respondent (answers stay); the old link stops working."""
    token = secrets.token_urlsafe(24)
    row.token_hash = repo.token_hash(token)
    row.revoked_at = None
    session.add(row)
    session.flush()
    repo.data_changed(session, [row.assessment_id])
    return token


FOLLOW_UP_SEPARATOR = " · "


def follow_up_title(previous: str, label: str) -> str:
    """A follow-up's title: the first assessment's title and `label` (e.g. "Follow-up May 2027"), never the previous
    follow-up's label twice, and within the column's 200 characters."""
    base = previous.split(FOLLOW_UP_SEPARATOR)[0].strip() if previous else ""
    return (f"{base[:200 - len(label) - 3]}{FOLLOW_UP_SEPARATOR}{label}" if base else label)[:200]
