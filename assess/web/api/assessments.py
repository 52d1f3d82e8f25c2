"""Assessments: start one, read it with each respondent's progress, invite respondents."""

from __future__ import annotations

from typing import Any

from flask import url_for
from werkzeug.wrappers import Response

from assess.services import aggregate, clients, questionnaires
from assess.services.records import Assessment, Organisation
from assess.web.api.auth import actor, workspace_id
from assess.web.api.errors import ApiError, detail, not_found
from assess.web.api.respondents import invitation_response, respondent_out
from assess.web.api.routing import json_response, operation
from assess.web.api.schemas import AssessmentDetail, AssessmentIn, AssessmentOut, Invitation, InviteIn, RespondentList
from assess.web.database import catalog, db

TAG = "assessments"


def assessment_or_404(assessment_id: int) -> tuple[Assessment, Organisation]:
    found = clients.assessment(db(), workspace_id(), assessment_id)
    if found is None:
        raise not_found()
    return found


def _check(body: AssessmentIn) -> list[dict[str, Any]]:
    """Every problem with a valid-looking request: unknown ids (404) first, then the rest (422)."""
    ws = workspace_id()
    organisation = clients.organisation(db(), ws, body.organisation_id)
    previous = clients.assessment(db(), ws, body.previous_id) if body.previous_id is not None else None
    missing = [detail("body.organisation_id", "unknown organisation")] if organisation is None else []
    if body.previous_id is not None and previous is None:
        missing.append(detail("body.previous_id", "unknown assessment"))
    if missing:  # another workspace's ids look exactly like ids that do not exist
        raise ApiError(404, details=missing)
    problems = []
    if previous is not None and organisation is not None and previous[1].id != organisation.id:
        problems.append(detail("body.previous_id", "a follow-up must continue an assessment of the same organisation"))
    try:
        questionnaire = questionnaires.choose(db(), catalog(), ws, body.questionnaire_id, body.version)
    except questionnaires.QuestionnaireNotFound:
        problems.append(detail("body.questionnaire_id", "unknown questionnaire or version"))
        return problems
    for dimension_id, level in (body.targets or {}).items():
        try:
            clients.check_targets(questionnaire, {dimension_id: level})
        except clients.ClientError as error:
            problems.append(detail(f"body.targets.{dimension_id}", str(error)))
    return problems


@operation("POST", "/assessments", summary="Start an assessment of an organisation with a fixed questionnaire version",
           tag=TAG, status=201, response=AssessmentOut, body=AssessmentIn,
           headers={"Location": "The new assessment's URL."})
def create_assessment(body: AssessmentIn) -> Response:
    problems = _check(body)
    if problems:
        raise ApiError(422, details=problems)
    try:
        row = clients.create_assessment(
            db(), catalog(), workspace_id(), body.organisation_id, questionnaire_id=body.questionnaire_id,
            version=body.version, title=body.title, targets=body.targets, deadline=body.deadline,
            previous_id=body.previous_id, user_id=actor().id, capacity=body.capacity, focus=body.focus)
    except (clients.ClientError, questionnaires.QuestionnaireNotFound) as error:  # checked above; kept as a guard
        raise ApiError(422, details=[detail("body", str(error))]) from None
    return json_response(AssessmentOut.model_validate(row), 201,
                         {"Location": url_for("api.get_assessment", assessment_id=row.id)})


def _progress(row: Assessment) -> list[aggregate.Progress]:
    assert row.id is not None
    questionnaire = questionnaires.for_assessment(db(), catalog(), row)
    return aggregate.progress(db(), questionnaire, row.id)


@operation("GET", "/assessments/<int:assessment_id>", summary="Read an assessment with each respondent's progress",
           tag=TAG, response=AssessmentDetail)
def get_assessment(assessment_id: int) -> Response:
    row, _org = assessment_or_404(assessment_id)
    respondents = [respondent_out(p) for p in _progress(row)]
    return json_response(AssessmentDetail(**AssessmentOut.model_validate(row).model_dump(), respondents=respondents))


@operation("GET", "/assessments/<int:assessment_id>/respondents", summary="List an assessment's respondents",
           tag=TAG, response=RespondentList)
def list_respondents(assessment_id: int) -> Response:
    row, _org = assessment_or_404(assessment_id)
    return json_response(RespondentList(respondents=[respondent_out(p) for p in _progress(row)]))


@operation("POST", "/assessments/<int:assessment_id>/respondents", summary="Invite a respondent: a new personal "
           "survey link (shown once)", tag=TAG, status=201, response=Invitation, body=InviteIn,
           headers={"Location": "The new respondent's URL."})
def invite(assessment_id: int, body: InviteIn) -> Response:
    row, _org = assessment_or_404(assessment_id)
    invitation = clients.invite(db(), row, role=body.role, name=body.name, language=body.language)
    response = invitation_response(invitation.respondent, invitation.token, row, 201)
    response.headers["Location"] = url_for("api.get_respondent", respondent_id=invitation.respondent.id)
    return response
