"""Questionnaires a workspace can use: the shipped ones and its own uploads."""

from __future__ import annotations

from werkzeug.wrappers import Response

from assess.domain.export import questionnaire_to_dict
from assess.services import questionnaires
from assess.web.api.auth import workspace_id
from assess.web.api.errors import not_found
from assess.web.api.routing import json_response, operation
from assess.web.api.schemas import QuestionnaireDocument, QuestionnaireList, QuestionnaireSummary, VersionQuery
from assess.web.database import catalog, db


@operation("GET", "/questionnaires", summary="List the questionnaires and versions available to the workspace",
           tag="questionnaires", response=QuestionnaireList)
def list_questionnaires() -> Response:
    summaries = []
    for questionnaire_id, versions in sorted(questionnaires.available_versions(db(), catalog(), workspace_id()).items()):
        latest = questionnaires.choose(db(), catalog(), workspace_id(), questionnaire_id, versions[-1])
        summaries.append(QuestionnaireSummary(id=questionnaire_id, versions=versions, latest=versions[-1],
                                              title=dict(latest.title.values)))
    return json_response(QuestionnaireList(questionnaires=summaries))


@operation("GET", "/questionnaires/<questionnaire_id>", summary="Read a questionnaire version: dimensions, "
           "questions, levels, measures", tag="questionnaires", response=QuestionnaireDocument, query=VersionQuery)
def get_questionnaire(questionnaire_id: str, query: VersionQuery) -> Response:
    try:
        found = questionnaires.choose(db(), catalog(), workspace_id(), questionnaire_id, query.version)
    except questionnaires.QuestionnaireNotFound:
        raise not_found() from None
    return json_response(QuestionnaireDocument.model_validate(questionnaire_to_dict(found)))
