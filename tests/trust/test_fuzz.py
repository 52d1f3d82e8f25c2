"""Fuzzing: questionnaire files and answer files are accepted or refused with a clear message, never a crash."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assess.catalog import Catalog, QuestionnaireError, parse_questionnaire
from assess.cli import main
from assess.services.answer_files import AnswerFileError, parse_answer_data
from tests.conftest import DEFAULT_FILE, FIXTURES

MINI_TEXT = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")
MINI = yaml.safe_load(MINI_TEXT)
CATALOG = Catalog(FIXTURES)
VALID_ANSWERS = {"questionnaire": "mini", "organisation": "Fuzz GmbH", "targets": {"channels": 4},
                 "consensus": {"ch.booking": 3},
                 "respondents": [{"role": "it", "name": "A", "answers": {"ch.booking": 5, "ch.chat": "na",
                                                                         "proc.handover": {"value": 2, "comment": "c"}}}]}
# Bounded so the suite stays fast; ASSESS_FUZZ_SCALE=50 runs fifty times as many examples (e.g. nightly).
SCALE = int(os.environ.get("ASSESS_FUZZ_SCALE", "1"))
FAST = settings(max_examples=120 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=50 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Values that once broke a parser, or sit right at a boundary: tried first and often.
tricky = st.sampled_from(["1", "5", "0", "6", "²", "٣", "３", "na", "dont_know", "NA ", "9" * 5000, "", " ", "mini", "de",
                          "en", "level", "ch.booking", "channels", "executive", True, 1.5, -1, 10**20, float("nan")])
scalars = st.one_of(tricky, st.none(), st.booleans(), st.integers(min_value=-10**30, max_value=10**30),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=12) | st.sampled_from([*MINI, "answers", "value"]),
                                        inner, max_size=4), max_leaves=12)


def _parse_questionnaire(text: str) -> None:
    try:
        loaded = parse_questionnaire(text, "fuzz.yaml")
    except QuestionnaireError as error:
        assert error.problems and all(str(p).startswith("fuzz.yaml:") for p in error.problems)
        return
    catalog = Catalog(FIXTURES / "no-such-directory")  # an accepted questionnaire must also be usable
    catalog.add(loaded)
    catalog.add(CATALOG.get("mini"))
    assert catalog.get(loaded.id) in catalog.all()


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside a YAML/JSON tree."""
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*path, index))
    return found


def _mutate(document: Any, data: st.DataObject) -> Any:
    """A copy of `document` with a few values replaced, removed or duplicated."""
    document = copy.deepcopy(document)
    for _ in range(data.draw(st.integers(1, 3))):
        paths = [p for p in _paths(document) if p]
        if not paths:
            break
        path = data.draw(st.sampled_from(paths))
        parent = document
        for part in path[:-1]:
            parent = parent[part]
        action = data.draw(st.sampled_from(["replace", "delete", "duplicate"]))
        if action == "replace":
            parent[path[-1]] = data.draw(tricky | values)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(parent[path[-1]]))
    return document


@FAST
@given(st.text(max_size=400))
def test_any_text_as_a_questionnaire(text: str) -> None:
    _parse_questionnaire(text)


@SLOW
@given(st.data())
def test_mutated_questionnaires(data: st.DataObject) -> None:
    mutated = _mutate(MINI, data)
    _parse_questionnaire(yaml.safe_dump(mutated, allow_unicode=True, sort_keys=False))


@FAST
@given(st.sampled_from(["id", "version", "format", "languages", "title"]), tricky | st.text(max_size=40))
def test_any_identity_of_a_questionnaire(key: str, value: Any) -> None:
    """id and version become cache keys and are sorted: every accepted value must survive that."""
    _parse_questionnaire(yaml.safe_dump({**MINI, key: value}, allow_unicode=True, sort_keys=False))


@SLOW
@given(st.data())
def test_mutated_questionnaire_text(data: st.DataObject) -> None:
    """Lines dropped, doubled or cut: broken indentation, dangling keys, tabs, anchors."""
    lines = MINI_TEXT.splitlines()
    for _ in range(data.draw(st.integers(1, 4))):
        index = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["drop", "double", "cut", "insert"]))
        if action == "drop":
            del lines[index]
        elif action == "double":
            lines.insert(index, lines[index])
        elif action == "cut":
            lines[index] = lines[index][: data.draw(st.integers(0, len(lines[index])))]
        else:
            lines.insert(index, data.draw(st.sampled_from(["\t- x", "&a [1]", "*a", "!!python/object:os.system x",
                                                           "? [a]\n: b", "- {", "key: [", "%YAML 1.1", "---", "1: 2"])))
        if not lines:
            break
    _parse_questionnaire("\n".join(lines))


def test_the_default_questionnaire_survives_a_cut_anywhere() -> None:
    text = DEFAULT_FILE.read_text(encoding="utf-8")
    for end in range(0, len(text), len(text) // 12):
        _parse_questionnaire(text[:end])


def _parse_answers(data: Any) -> None:
    try:
        parse_answer_data(data, CATALOG)
    except AnswerFileError as error:
        assert error.problems and all(isinstance(p, str) and p for p in error.problems)


@FAST
@given(values)
def test_any_json_value_as_answers(data: Any) -> None:
    _parse_answers(data)


@FAST
@given(st.data())
def test_mutated_answer_files(data: st.DataObject) -> None:
    _parse_answers(_mutate(VALID_ANSWERS, data))


@FAST
@given(st.dictionaries(st.sampled_from(["ch.booking", "ch.chat", "proc.map", "nope", ""]),
                       tricky | values | st.fixed_dictionaries({}, optional={"value": tricky | values, "level": values,
                                                                             "comment": values, "reason": values}),
                       max_size=3),
       values, tricky | values)
def test_answers_targets_and_consensus_of_any_kind(answers: Any, targets: Any, consensus: Any) -> None:
    _parse_answers({"questionnaire": "mini", "answers": answers, "targets": targets, "consensus": consensus,
                    "role": consensus})


@pytest.fixture(scope="module")
def answer_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("answers")


@settings(max_examples=60 * SCALE, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_assess_score_exits_with_2_and_a_message_never_a_traceback(data: st.DataObject, answer_dir: Path) -> None:
    kind = data.draw(st.sampled_from(["json", "bytes", "nested"]))
    path = answer_dir / "answers.json"
    if kind == "json":
        path.write_text(json.dumps(_mutate(VALID_ANSWERS, data), allow_nan=True), encoding="utf-8")
    elif kind == "bytes":
        path.write_bytes(data.draw(st.binary(max_size=200)))
    else:
        depth = data.draw(st.integers(10, 100_000))
        path.write_text('{"questionnaire": "mini", "answers": ' + "[" * depth + "]" * depth + "}", encoding="utf-8")
    result = CliRunner().invoke(main, ["score", str(path), "--format", "text"], env={"ASSESS_QUESTIONNAIRES": str(FIXTURES)})
    assert result.exit_code in (0, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if result.exit_code == 2:
        assert result.output.startswith("error: ")


_BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdef", "bcdefg", strict=True))


@pytest.mark.parametrize("text", [
    "a: " + "[" * 5000 + "]" * 5000,  # the YAML parser recursed until it crashed
    "a: " + "{a: " * 3000 + "1" + "}" * 3000,
    "a: &a [*a]",  # an alias inside itself: the line index looped until the recursion limit
    _BOMB,  # "billion laughs": 4.8 million items from 8 lines
    "format: 1\nid: x\nlanguages: true",  # languages not a list: 'bool' object is not iterable
    "? [a]\n: b\nformat: 1",  # a list as a key reached the line index once it ran before loading
    "format: 1\nid: x\nmeasures:\n  - id: [a]\n  - prerequisites: [{measure: [b]}]",  # unhashable ids in a set
    "format: 1\nid: x\nmeasures:\n" + "".join(f"  - id: m{i}\n    prerequisites: [{{measure: m{i + 1}}}]\n"
                                               for i in range(1500)),  # a prerequisite chain deeper than the stack
], ids=["deep-list", "deep-map", "self-alias", "alias-bomb", "languages-bool", "list-key", "unhashable-id", "long-chain"])
def test_questionnaires_that_used_to_crash(text: str) -> None:
    with pytest.raises(QuestionnaireError):
        parse_questionnaire(text, "fuzz.yaml")


def test_a_version_with_a_superscript_digit_can_be_sorted() -> None:
    _parse_questionnaire(MINI_TEXT.replace('version: "1.0"', 'version: "1.²"'))


@pytest.mark.parametrize("value", ["²", "٣", "9" * 5000, "３"])
def test_answer_values_that_used_to_crash(value: str) -> None:
    with pytest.raises(AnswerFileError, match="is not an answer"):
        parse_answer_data({"questionnaire": "mini", "answers": {"ch.booking": value}}, CATALOG)
