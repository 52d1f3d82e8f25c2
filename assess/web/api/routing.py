"""The API blueprint and its one way to declare an endpoint: route, validation and OpenAPI entry in one place.

`@operation(...)` registers the Flask route, validates the query string and
the JSON body with pydantic before the view runs (so a view only ever sees
valid input and an invalid call writes nothing), and records what the
OpenAPI document says about the endpoint.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, current_app, request
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import BadRequest
from werkzeug.wrappers import Response

from assess.services.records import MAX_ID
from assess.web.api.errors import ApiError, validation_details

bp = Blueprint("api", __name__, url_prefix="/api/v1")

View = Callable[..., Response]


@dataclass(frozen=True, slots=True)
class OtherResponse:
    """A documented answer besides the operation's success (e.g. 202 while a report is printed)."""

    status: int
    description: str
    model: type[BaseModel]
    headers: Mapping[str, str] = field(default_factory=dict)  # response header -> description


@dataclass(frozen=True, slots=True)
class Operation:
    """One endpoint as the OpenAPI document describes it."""

    method: str
    rule: str  # the Flask rule under the blueprint's prefix, e.g. "/assessments/<int:assessment_id>"
    endpoint: str
    summary: str
    tag: str
    status: int = 200
    response: type[BaseModel] | None = None
    media_type: str = "application/json"
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    public: bool = False
    description: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)  # response header -> description
    others: tuple[OtherResponse, ...] = ()


OPERATIONS: list[Operation] = []


def json_response(model: BaseModel, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return current_app.response_class(model.model_dump_json(), status=status, headers=dict(headers or {}),
                                      mimetype="application/json")


def _validate(model: type[BaseModel], data: object, where: str, problems: list[dict[str, Any]]) -> BaseModel | None:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems.extend(validation_details(error, where))
        return None


def json_body() -> object:
    """The parsed JSON body; 415 when it is not JSON, 400 when it does not parse."""
    if not request.is_json:
        raise ApiError(415)
    try:
        return request.get_json()
    except BadRequest:
        raise ApiError(400, "The body is not valid JSON.", code="invalid_json") from None
    except RecursionError:  # absurdly deep nesting
        raise ApiError(400, "The body is nested too deeply.", code="invalid_json") from None


def operation(method: str, rule: str, *, summary: str, tag: str, **spec: Any) -> Callable[[View], View]:
    """Declare an endpoint; the view gets the path ids, plus `query=` and `body=` models when declared."""

    def decorator(view: View) -> View:
        described = Operation(method.upper(), rule, f"{bp.name}.{view.__name__}", summary, tag, **spec)
        OPERATIONS.append(described)

        @functools.wraps(view)
        def endpoint(**path: Any) -> Response:
            if any(isinstance(value, int) and value > MAX_ID for value in path.values()):
                raise ApiError(404)  # beyond any stored id (and beyond what the database can compare)
            arguments: dict[str, Any] = dict(path)
            problems: list[dict[str, Any]] = []  # query and body problems are reported together
            if described.query is not None:
                arguments["query"] = _validate(described.query, request.args.to_dict(), "query", problems)
            if described.body is not None:
                arguments["body"] = _validate(described.body, json_body(), "body", problems)
            if problems:
                raise ApiError(422, details=problems)
            return view(**arguments)

        bp.add_url_rule(rule, endpoint=view.__name__, view_func=endpoint, methods=[described.method])
        return endpoint

    return decorator
