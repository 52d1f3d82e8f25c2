"""The OpenAPI 3.1 document: schemas from the pydantic models, paths from the declared operations."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from assess.services.records import MAX_ID
from assess.web.api.routing import Operation
from assess.web.api.schemas import Error

TITLE = "assess API"
VERSION = "1"
PREFIX = "/api/v1"
TAGS = {
    "questionnaires": "Questionnaires the workspace can start assessments with.",
    "organisations": "The workspace's clients.",
    "assessments": "Assessments and invitations.",
    "respondents": "Respondents, their links and their answers.",
    "results": "Aggregate results and the board report.",
    "meta": "This document.",
}
_PARAMETER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
_PATH_SCHEMAS = {
    "int": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    None: {"type": "string", "minLength": 1, "maxLength": 80, "pattern": "^[^/]+$"},
}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _path(rule: str) -> tuple[str, list[dict[str, Any]]]:
    """An OpenAPI path and its parameters from a Flask rule."""
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": dict(_PATH_SCHEMAS.get(converter, _PATH_SCHEMAS[None]))}
        for converter, name in _PARAMETER.findall(rule)
    ]
    return PREFIX + _PARAMETER.sub(lambda m: "{" + m.group(2) + "}", rule), parameters


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema(mode="validation")
    parameters = []
    for name, prop in schema.get("properties", {}).items():
        options = [s for s in prop.get("anyOf", [prop]) if s.get("type") != "null"]
        value = {k: v for k, v in options[0].items() if k not in ("title", "description")}
        parameters.append({"name": name, "in": "query", "required": name in schema.get("required", []),
                           "description": prop.get("description", ""), "schema": value})
    return parameters


def _headers(headers: Mapping[str, str]) -> dict[str, Any]:
    return {name: {"description": text, "schema": {"type": "string"}} for name, text in headers.items()}


def _responses(op: Operation, refs: Mapping[Any, Any], has_ids: bool) -> dict[str, Any]:
    if op.response is not None:
        content = {op.media_type: {"schema": refs[(op.response, "serialization")]}}
    elif op.media_type == "application/json":
        content = {op.media_type: {"schema": {"type": "object"}}}
    else:
        content = {op.media_type: {}}
    success: dict[str, Any] = {"description": op.summary, "content": content}
    if op.headers:
        success["headers"] = _headers(op.headers)
    responses: dict[str, Any] = {str(op.status): success}
    for other in op.others:
        responses[str(other.status)] = {
            "description": other.description, "headers": _headers(other.headers),
            "content": {"application/json": {"schema": refs[(other.model, "serialization")]}}}
    if op.body is not None:
        responses["400"] = _error("The body is not valid JSON.")
        responses["413"] = _error("The body is too large.")
        responses["415"] = _error("The body is not JSON.")
    if not op.public:
        responses["401"] = _error("No token, or an invalid or revoked one.")
    if has_ids or op.body is not None:
        responses["404"] = _error("Not found, or not in the token's workspace.")
    if op.body is not None or op.query is not None:
        responses["422"] = _error("Invalid input; every problem is listed in `details`.")
    responses["429"] = _error("Too many requests.")
    responses["default"] = _error("Any other error.")
    return responses


def _models(operations: Sequence[Operation]) -> Iterable[tuple[type[BaseModel], JsonSchemaMode]]:
    yield Error, "serialization"
    for op in operations:
        if op.body is not None:
            yield op.body, "validation"
        if op.response is not None:
            yield op.response, "serialization"
        for other in op.others:
            yield other.model, "serialization"


def openapi_document(operations: Sequence[Operation]) -> dict[str, Any]:
    """The whole document for `operations`."""
    models = list(dict.fromkeys(_models(operations)))
    refs, definitions = models_json_schema(models, ref_template="#/components/schemas/{model}")
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        path, parameters = _path(op.rule)
        if op.query is not None:
            parameters += _query_parameters(op.query)
        entry: dict[str, Any] = {
            "operationId": op.endpoint.partition(".")[2], "summary": op.summary, "tags": [op.tag],
            "responses": _responses(op, refs, has_ids="{" in path),
        }
        if op.description:
            entry["description"] = op.description
        if parameters:
            entry["parameters"] = parameters
        if op.body is not None:
            entry["requestBody"] = {"required": True,
                                    "content": {"application/json": {"schema": refs[(op.body, "validation")]}}}
        if op.public:
            entry["security"] = []
        paths.setdefault(path, {})[op.method.lower()] = entry
    return {
        "openapi": "3.1.0",
        "info": {"title": TITLE, "version": VERSION,
                 "description": "The consultant's JSON API. Authenticate with an API token created in the workspace "
                                "settings: `Authorization: Bearer asst_...`. Every id is scoped to the token's "
                                "workspace; ids of other workspaces answer 404."},
        "tags": [{"name": name, "description": text} for name, text in TAGS.items()],
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {
            "schemas": definitions.get("$defs", {}),
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "asst_..."}},
        },
    }
