"""The workspace's clients (organisations) and their assessments."""

from __future__ import annotations

from flask import url_for
from werkzeug.wrappers import Response

from assess.services import clients
from assess.web.api.auth import workspace_id
from assess.web.api.errors import not_found
from assess.web.api.routing import json_response, operation
from assess.web.api.schemas import AssessmentList, AssessmentOut, OrganisationIn, OrganisationList, OrganisationOut
from assess.web.database import db

TAG = "organisations"


@operation("GET", "/organisations", summary="List the workspace's organisations", tag=TAG, response=OrganisationList)
def list_organisations() -> Response:
    rows = clients.organisations(db(), workspace_id())
    return json_response(OrganisationList(organisations=[OrganisationOut.model_validate(r) for r in rows]))


@operation("POST", "/organisations", summary="Create an organisation (a client)", tag=TAG, status=201,
           response=OrganisationOut, body=OrganisationIn, headers={"Location": "The new organisation's URL."})
def create_organisation(body: OrganisationIn) -> Response:
    row = clients.create_organisation(db(), workspace_id(), name=body.name, industry=body.industry, size=body.size)
    return json_response(OrganisationOut.model_validate(row), 201,
                         {"Location": url_for("api.get_organisation", organisation_id=row.id)})


@operation("GET", "/organisations/<int:organisation_id>", summary="Read an organisation", tag=TAG,
           response=OrganisationOut)
def get_organisation(organisation_id: int) -> Response:
    row = clients.organisation(db(), workspace_id(), organisation_id)
    if row is None:
        raise not_found()
    return json_response(OrganisationOut.model_validate(row))


@operation("GET", "/organisations/<int:organisation_id>/assessments", summary="List an organisation's assessments",
           tag=TAG, response=AssessmentList)
def list_assessments(organisation_id: int) -> Response:
    if clients.organisation(db(), workspace_id(), organisation_id) is None:
        raise not_found()
    rows = clients.assessments_of(db(), organisation_id)
    return json_response(AssessmentList(assessments=[AssessmentOut.model_validate(r) for r in rows]))
