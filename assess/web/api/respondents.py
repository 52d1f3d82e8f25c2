"""Respondents: progress, their link (revoke, reissue) and their answers (read, or submit on their behalf)."""

from __future__ import annotations

from flask import url_for
from werkzeug.wrappers import Response

from assess.domain.answers import parse_value, read_answers
from assess.domain.questionnaire import Questionnaire
from assess.services import aggregate, clients, questionnaires
from assess.services.assessments import AssessmentClosed, PageChange, save_answers, saved_answers
from assess.services.audit import record
from assess.services.records import Assessment, Respondent, StoredAnswer
from assess.services.responses import asked_of, to_response
from assess.web.api.auth import actor, workspace_id
from assess.web.api.errors import ApiError, detail, not_found
from assess.web.api.routing import OtherResponse, json_response, operation
from assess.web.api.schemas import AnswerOut, AnswersIn, AnswersOut, Error, Invitation, RespondentOut
from assess.web.database import catalog, db

TAG = "respondents"


def respondent_out(progress: aggregate.Progress) -> RespondentOut:
    r = progress.respondent
    assert r.id is not None
    return RespondentOut(id=r.id, assessment_id=r.assessment_id, role=r.role, name=r.name, language=r.language,
                         status=progress.status,  # type: ignore[arg-type]
                         answered=progress.answered, total=progress.total, created_at=r.created_at,
                         finished_at=r.finished_at, revoked_at=r.revoked_at)


def _found(respondent_id: int) -> tuple[Respondent, Assessment, Questionnaire]:
    found = clients.respondent(db(), workspace_id(), respondent_id)
    if found is None:
        raise not_found()
    row, assessment = found
    return row, assessment, questionnaires.for_assessment(db(), catalog(), assessment)


def _stored(row: Respondent) -> list[StoredAnswer]:
    return list(saved_answers(db(), row).values())


def _out(row: Respondent, questionnaire: Questionnaire) -> RespondentOut:
    answered = len(to_response(row, _stored(row)).answers)
    return respondent_out(aggregate.Progress(row, answered, questionnaire.question_count))


def invitation_response(row: Respondent, token: str, assessment: Assessment, status: int) -> Response:
    questionnaire = questionnaires.for_assessment(db(), catalog(), assessment)
    link = url_for("survey.resume", token=token, _external=True)
    return json_response(Invitation(respondent=_out(row, questionnaire), link=link), status)


@operation("GET", "/respondents/<int:respondent_id>", summary="Read a respondent and their progress", tag=TAG,
           response=RespondentOut)
def get_respondent(respondent_id: int) -> Response:
    row, _assessment, questionnaire = _found(respondent_id)
    return json_response(_out(row, questionnaire))


@operation("POST", "/respondents/<int:respondent_id>/revoke", summary="Revoke a respondent's link (answers stay)",
           tag=TAG, response=RespondentOut)
def revoke(respondent_id: int) -> Response:
    row, _assessment, questionnaire = _found(respondent_id)
    clients.revoke(db(), row)
    return json_response(_out(row, questionnaire))


@operation("POST", "/respondents/<int:respondent_id>/reissue", summary="A new link for a respondent (shown once); "
           "the old one stops working", tag=TAG, response=Invitation)
def reissue(respondent_id: int) -> Response:
    row, assessment, _questionnaire = _found(respondent_id)
    return invitation_response(row, clients.reissue(db(), row), assessment, 200)


def _answers_out(row: Respondent, assessment: Assessment) -> AnswersOut:
    assert row.id is not None
    answers = {a.question_id: AnswerOut(value=parse_value(a.value), comment=a.comment, reason=a.reason)  # type: ignore[arg-type]
               for a in _stored(row)}
    return AnswersOut(respondent_id=row.id, questionnaire_id=assessment.questionnaire_id,
                      questionnaire_version=assessment.questionnaire_version, answers=answers)


@operation("GET", "/respondents/<int:respondent_id>/answers", summary="Read a respondent's answers", tag=TAG,
           response=AnswersOut)
def get_answers(respondent_id: int) -> Response:
    row, assessment, _questionnaire = _found(respondent_id)
    record(db(), actor(), "read", "respondent_answers", respondent_id)
    return json_response(_answers_out(row, assessment))


@operation("PUT", "/respondents/<int:respondent_id>/answers", summary="Submit answers on a respondent's behalf "
           "(e.g. from a paper workshop); questions not sent keep their answers; 409 once the assessment is closed",
           tag=TAG, response=AnswersOut, body=AnswersIn,
           others=(OtherResponse(409, "The assessment is closed: no answer changes.", Error),))
def put_answers(respondent_id: int, body: AnswersIn) -> Response:
    row, assessment, questionnaire = _found(respondent_id)
    raw = {qid: a.model_dump() for qid, a in body.answers.items()}
    answers, problems = read_answers(questionnaire, raw, where="body.answers")
    asked = asked_of(questionnaire, row)
    for question_id in sorted(set(answers) - asked if asked is not None else ()):
        problems.add(f"body.answers.{question_id}: this question is not put to a respondent in the role '{row.role}'")
    if problems:  # nothing is written unless every answer is valid
        raise ApiError(422, details=[detail(*m.split(": ", 1)) if ": " in m else detail(None, m)
                                     for m in problems.messages])
    try:
        save_answers(db(), catalog(), row, [PageChange(qid, str(a.value), a.comment, a.reason)
                                            for qid, a in answers.items()])
    except AssessmentClosed:
        raise ApiError(409, "The assessment is closed: its answers can no longer change. Reopen it first.",
                       code="assessment_closed") from None
    record(db(), actor(), "write", "respondent_answers", respondent_id)
    return json_response(_answers_out(row, assessment))
