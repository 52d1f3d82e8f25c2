"""Turn pydantic's validation errors into problems a questionnaire author can fix."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from assess.catalog.schema import QuestionnaireSpec
from assess.catalog.source import Path, Problem, SourceMap


def _unwrap(annotation: Any) -> list[Any]:
    """The model classes and containers an annotation can hold."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for arg in typing.get_args(annotation) for t in _unwrap(arg)]
    return [annotation]


def _model_at(path: Path) -> type[BaseModel] | None:
    """The spec model that describes the mapping at `path`."""
    current: Any = QuestionnaireSpec
    for part in path:
        candidates = _unwrap(current)
        next_type = None
        for candidate in candidates:
            origin = typing.get_origin(candidate)
            if isinstance(part, str) and isinstance(candidate, type) and issubclass(candidate, BaseModel):
                field = candidate.model_fields.get(part)
                next_type = field.annotation if field else None
            elif isinstance(part, int) and origin is list:
                next_type = typing.get_args(candidate)[0]
            elif isinstance(part, str) and origin is dict:
                next_type = typing.get_args(candidate)[1]
            if next_type is not None:
                break
        if next_type is None:
            return None
        current = next_type
    models = [c for c in _unwrap(current) if isinstance(c, type) and issubclass(c, BaseModel)]
    return models[0] if models else None


def _message(error: Any) -> str:
    kind, loc, value = error["type"], error["loc"], error.get("input")
    key = loc[-1] if loc else ""
    if kind == "missing":
        return f"missing required key '{key}'; add it"
    if kind == "extra_forbidden":
        model = _model_at(tuple(loc[:-1]))
        allowed = ", ".join(model.model_fields) if model else "see questionnaires/README.md"
        return f"unknown key '{key}'; allowed keys here: {allowed}"
    if kind in ("greater_than", "float_parsing", "float_type") and key in ("weight",):
        return f"weight must be a positive number, got {value!r}"
    if kind == "string_type":
        return f"expected text, got {value!r}; put it in quotes"
    if kind == "string_pattern_mismatch":
        return f"{value!r} is not a valid id or code; use lowercase letters, digits and . - _ (starting with a letter)"
    if kind == "too_short" and key in ("dimensions", "questions", "languages"):
        return f"'{key}' must not be empty; add at least one"
    if kind in ("dict_type", "model_type"):
        return f"expected a mapping of keys to values here, got {value!r}"
    if kind == "list_type":
        return f"expected a list here (items starting with '-'), got {value!r}"
    if kind == "literal_error":
        return f"{value!r} is not allowed here; {str(error['msg']).replace('Input should be', 'use')}"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return f"{error['msg']}, got {value!r}"


def shape_problems(error: ValidationError, source: SourceMap) -> list[Problem]:
    """One problem per pydantic error, placed at the right line."""
    problems = []
    for item in error.errors():
        # pydantic adds the tagged union / function name to the loc; keep only real keys.
        loc = tuple(p for p in item["loc"] if isinstance(p, int) or not str(p).startswith("function-"))
        problems.append(source.problem(loc, _message(item)))
    return problems
