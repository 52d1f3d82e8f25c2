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


# pydantic error type -> (our code, what was expected) for a message in the reader's language; others keep English.
_TYPES = {"string_type": "text", "int_type": "integer", "int_parsing": "integer", "int_from_float": "integer",
          "float_type": "number", "float_parsing": "number", "bool_type": "boolean", "bool_parsing": "boolean",
          "dict_type": "mapping", "model_type": "mapping", "list_type": "list"}
_LIMITS = {"less_than_equal": ("too_large", "le"), "less_than": ("too_large_strict", "lt"),
           "greater_than_equal": ("too_small", "ge"), "greater_than": ("too_small_strict", "gt"),
           "string_too_long": ("text_too_long", "max_length"), "too_long": ("too_many_items", "max_length")}


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "…"


def _code(error: Any, loc: tuple[Any, ...]) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The problem's code and parameters (("", ()) when only the English message says it)."""
    kind, value, context = error["type"], error.get("input"), error.get("ctx") or {}
    key = str(loc[-1]) if loc else ""
    if kind == "missing":
        return "missing", (("key", key),)
    if kind == "extra_forbidden":
        model = _model_at(tuple(loc[:-1]))
        return "unknown_key", (("key", key), ("allowed", ", ".join(model.model_fields) if model else ""))
    if kind in _TYPES:
        return "wrong_type", (("expected", _TYPES[kind]), ("value", _shown(value)))
    if kind in _LIMITS:
        code, bound = _LIMITS[kind]
        return code, (("value", _shown(value)), ("limit", str(context.get(bound, ""))))
    if kind in ("literal_error", "enum"):
        return "not_allowed", (("value", _shown(value)), ("allowed", str(context.get("expected", ""))))
    if kind == "string_pattern_mismatch":
        return "bad_id", (("value", _shown(value)),)
    if kind == "too_short" and key in ("dimensions", "questions", "languages"):
        return "empty", (("key", key),)
    return "", ()


def shape_problems(error: ValidationError, source: SourceMap) -> list[Problem]:
    """One problem per pydantic error, placed at the right line."""
    problems = []
    for item in error.errors():
        # pydantic adds the tagged union / function name to the loc; keep only real keys.
        loc = tuple(p for p in item["loc"] if isinstance(p, int) or not str(p).startswith("function-"))
        placed = source.problem(loc, _message(item))
        code, params = _code(item, loc)
        problems.append(Problem(placed.file, placed.line, placed.path, placed.message, code, params))
    return problems
