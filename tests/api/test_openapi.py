"""The OpenAPI document: valid, complete, and true to the app."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate

from tests.api.conftest import API


def _document(client: FlaskClient) -> dict[str, Any]:
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_the_document_is_valid_openapi_3_1(client: FlaskClient) -> None:
    document = _document(client)
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_every_route_is_documented_and_nothing_else(app: Flask, client: FlaskClient) -> None:
    documented = {(method.upper(), path) for path, item in _document(client)["paths"].items() for method in item}
    routed = {
        (method, re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule))
        for rule in app.url_map.iter_rules() if rule.rule.startswith(API)
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert documented == routed
    assert len(routed) >= 16


def test_every_operation_says_how_it_fails(client: FlaskClient) -> None:
    document = _document(client)
    error_ref = {"$ref": "#/components/schemas/Error"}
    for path, item in document["paths"].items():
        for method, op in item.items():
            responses = op["responses"]
            assert responses["default"]["content"]["application/json"]["schema"] == error_ref
            if op.get("security") != []:
                assert "401" in responses, (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)
            if "requestBody" in op or any(p["in"] == "query" for p in op.get("parameters", [])):
                assert "422" in responses, (method, path)
            assert op["operationId"] and op["summary"] and op["tags"]


def test_bearer_security_and_request_schemas(client: FlaskClient) -> None:
    document = _document(client)
    assert document["security"] == [{"bearerAuth": []}]
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "bearerFormat": "asst_..."}
    assert document["paths"]["/api/v1/openapi.json"]["get"]["security"] == []
    schemas = document["components"]["schemas"]
    for name in ("OrganisationIn", "AssessmentIn", "InviteIn", "AnswersIn", "AnswerIn"):
        assert schemas[name]["additionalProperties"] is False, name
    answer = schemas["AnswersIn"]["properties"]["answers"]["additionalProperties"]
    assert {"$ref": "#/components/schemas/AnswerIn"} in answer["anyOf"]
    put = document["paths"]["/api/v1/respondents/{respondent_id}/answers"]["put"]
    assert put["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/AnswersIn"}
    pdf = document["paths"]["/api/v1/assessments/{assessment_id}/report.pdf"]["get"]
    assert "application/pdf" in pdf["responses"]["200"]["content"]
    for waiting in ("202", "503"):  # a report still printing, or one that failed: the client learns when to ask again
        answer = pdf["responses"][waiting]
        assert answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ReportJob"}
        assert set(answer["headers"]) == {"Location", "Retry-After"}
    assert set(schemas["ReportJob"]["properties"]["status"]["enum"]) == {"queued", "printing", "failed"}
