"""Turn pydantic's validation errors into problems a questionnaire author can fix."""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
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


def _extra_key(key: Any, loc: tuple[Any, ...]) -> str:
    model = _model_at(tuple(loc[:-1]))
    allowed = ", ".join(model.model_fields) if model else "see questionnaires/README.md"
    return f"unknown key '{key}'; allowed keys here: {allowed}"


# pydantic error type -> (key, loc, value, msg) -> the message in the questionnaire author's words
_MESSAGES: dict[str, Callable[[Any, tuple[Any, ...], Any, str], str | None]] = {
    "missing": lambda key, _loc, _value, _msg: f"missing required key '{key}'; add it",
    "extra_forbidden": lambda key, loc, _value, _msg: _extra_key(key, loc),
    "string_type": lambda _key, _loc, value, _msg: f"expected text, got {value!r}; put it in quotes",
    "string_pattern_mismatch": lambda _key, _loc, value, _msg: (
        f"{value!r} is not a valid id or code; use lowercase letters, digits and . - _ (starting with a letter)"),
    "too_short": lambda key, _loc, _value, _msg: (
        f"'{key}' must not be empty; add at least one" if key in ("dimensions", "questions", "languages") else None),
    "dict_type": lambda _key, _loc, value, _msg: f"expected a mapping of keys to values here, got {value!r}",
    "model_type": lambda _key, _loc, value, _msg: f"expected a mapping of keys to values here, got {value!r}",
    "list_type": lambda _key, _loc, value, _msg: f"expected a list here (items starting with '-'), got {value!r}",
    "literal_error": lambda _key, _loc, value, msg: f"{value!r} is not allowed here; {msg.replace('Input should be', 'use')}",
    "value_error": lambda _key, _loc, _value, msg: msg.removeprefix("Value error, "),
}


def _weight(key: Any, _loc: tuple[Any, ...], value: Any, _msg: str) -> str | None:
    return f"weight must be a positive number, got {value!r}" if key == "weight" else None


_MESSAGES |= dict.fromkeys(("greater_than", "float_parsing", "float_type"), _weight)


def _message(error: Any) -> str:
    kind, loc, value = error["type"], tuple(error["loc"]), error.get("input")
    key = loc[-1] if loc else ""
    made = _MESSAGES[kind](key, loc, value, str(error["msg"])) if kind in _MESSAGES else None
    return made if made is not None else f"{error['msg']}, got {value!r}"


def shape_problems(error: ValidationError, source: SourceMap) -> list[Problem]:
    """One problem per pydantic error, placed at the right line."""
    problems = []
    for item in error.errors():
        # pydantic adds the tagged union / function name to the loc; keep only real keys.
        loc = tuple(p for p in item["loc"] if isinstance(p, int) or not str(p).startswith("function-"))
        problems.append(source.problem(loc, _message(item)))
    return problems
