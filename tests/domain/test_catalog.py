"""Loading questionnaire files: every problem at once, with file, line and fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from assess.catalog import Catalog, QuestionnaireError, load_questionnaire, parse_questionnaire
from tests.conftest import FIXTURES

MINI = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")


def problems_of(text: str) -> list[str]:
    with pytest.raises(QuestionnaireError) as caught:
        parse_questionnaire(text, "q.yaml")
    return [str(p) for p in caught.value.problems]


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    lines = text.splitlines()
    hits = [i + 1 for i, line in enumerate(lines) if needle in line]
    return hits[occurrence - 1]


def test_the_fixture_loads_into_frozen_objects(mini) -> None:
    assert mini.key == ("mini", "1.0")
    assert [d.id for d in mini.dimensions] == ["channels", "processes", "data"]
    assert mini.question("ch.booking").weight == 2
    assert mini.dimension("processes").target == 3
    assert mini.dimension("channels").target == 4  # default_target
    assert mini.measure("m.chat").requires_measures == ("m.master",)
    assert mini.question("ch.chat").level_text(2, "en") == "pilot"
    with pytest.raises(AttributeError):
        mini.id = "other"  # type: ignore[misc]


def test_unknown_key_names_line_and_allowed_keys() -> None:
    text = MINI.replace("    weight: 2\n    target: 3", "    wieght: 2\n    target: 3")
    [problem] = problems_of(text)
    assert problem.startswith(f"q.yaml:{line_of(text, 'wieght')}: dimensions[1].wieght: unknown key 'wieght'")
    assert "allowed keys here: id, title, description, weight, target, questions" in problem


def test_missing_translation_is_reported_with_its_place() -> None:
    text = MINI.replace("title: {de: Kanäle, en: Channels}", "title: {de: Kanäle}")
    [problem] = problems_of(text)
    assert problem == f"q.yaml:{line_of(text, 'Kanäle}')}: dimensions[0].title: missing translation 'en'; add 'en: ...'"


def test_level_list_must_have_exactly_five_entries() -> None:
    text = MINI.replace("de: [keine, Formular, definiert, integriert, führend]", "de: [keine, Formular, integriert, führend]")
    [problem] = problems_of(text)
    assert f":{line_of(text, 'de: [keine, Formular, integriert')}: dimensions[0].questions[0].levels.de: 4 level" in problem
    assert "give exactly 5" in problem


def test_every_problem_is_reported_at_once() -> None:
    text = (
        MINI.replace('version: "1.0"', "version: 1.0")
        .replace("id: ch.chat", "id: ch.booking")
        .replace("{measure: m.map}", "{measure: m.mapp}")
        .replace("{question: data.master, below: 3}", "{question: data.mastr, below: 3}")
        .replace("weight: 2\n        levels", "weight: -1\n        levels")
        .replace("title: {de: Prozesse, en: Processes}", "title: {en: Processes}")
        .replace("effort: low\n    impact: medium", "effort: tiny\n    impact: medium")
    )
    problems = problems_of(text)
    expected = [
        "version: expected text, got 1.0; put it in quotes",
        "questions[0].weight: weight must be a positive number, got -1",
        "duplicate question id 'ch.booking' (first on line",
        "dimensions[1].title: missing translation 'de'",
        "unknown measure 'm.mapp'",
        "unknown question 'data.mastr'",
        "measures[0].effort: 'tiny' is not allowed here",
        "measures[3].triggers[0].question: unknown question 'ch.chat'",  # renamed above
    ]
    for fragment in expected:
        assert any(fragment in p for p in problems), (fragment, problems)
    assert len(problems) == len(expected)
    assert [int(p.split(":")[1]) for p in problems] == sorted(int(p.split(":")[1]) for p in problems)


def test_prerequisite_cycle_is_named() -> None:
    before = "      - {question: data.master, below: 3}\n    effort: low"
    after = "      - {question: data.master, below: 3}\n    prerequisites:\n      - {measure: m.chat}\n    effort: low"
    text = MINI.replace(before, after)
    [problem] = problems_of(text)
    assert "prerequisite cycle m.master -> m.chat -> m.master" in problem or \
        "prerequisite cycle m.chat -> m.master -> m.chat" in problem
    assert "remove one of these prerequisites" in problem


def test_a_condition_that_pulls_in_a_dependent_measure_is_a_cycle() -> None:
    # m.integrate addresses proc.handover; if it needed m.chat, which waits on proc.handover, nothing could start.
    text = MINI.replace("      - {measure: m.map}\n", "      - {measure: m.map}\n      - {measure: m.chat}\n")
    [problem] = problems_of(text)
    assert "prerequisite cycle" in problem and "m.integrate" in problem and "m.chat" in problem


@pytest.mark.parametrize("weight", ["0", "-2", "heavy", "true"])
def test_weights_must_be_positive_numbers(weight: str) -> None:
    text = MINI.replace("    weight: 2\n    target: 3", f"    weight: {weight}\n    target: 3")
    problems = problems_of(text)
    assert len(problems) == 1 and "dimensions[1].weight" in problems[0]


def test_invalid_yaml_names_the_line() -> None:
    text = MINI.replace("id: mini", "id: [mini")
    [problem] = problems_of(text)
    assert problem.startswith("q.yaml:") and "not valid YAML" in problem


def test_a_key_given_twice_is_an_error() -> None:
    text = MINI.replace("id: mini\n", "id: mini\nid: mini2\n")
    [problem] = problems_of(text)
    assert problem.startswith(f"q.yaml:{line_of(text, 'id: mini2')}: id: key given twice (first on line")


def test_rule_reference_to_unknown_dimension() -> None:
    text = MINI.replace("behind: processes", "behind: prozesse")
    [problem] = problems_of(text)
    assert "rules[1].behind: unknown dimension 'prozesse'" in problem


def test_trigger_without_level_explains_what_to_add() -> None:
    text = MINI.replace("{question: proc.map, below: 3}", "{question: proc.map}")
    [problem] = problems_of(text)
    assert "measures[0].triggers[0]: a question trigger needs 'below: N'" in problem


def test_not_a_mapping_at_the_top() -> None:
    assert "expected a mapping" in problems_of("- just\n- a list\n")[0]


def test_unreadable_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaire(tmp_path / "missing.yaml")
    assert "cannot read the file" in str(caught.value)


def test_catalog_keeps_versions_apart(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(MINI, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(MINI.replace('version: "1.0"', 'version: "1.10"'), encoding="utf-8")
    (tmp_path / "c.yaml").write_text(MINI.replace('version: "1.0"', 'version: "1.9"'), encoding="utf-8")
    catalog = Catalog(tmp_path)
    assert catalog.get("mini").version == "1.10"
    assert catalog.get("mini", "1.0").version == "1.0"
    assert [q.id for q in catalog.all()] == ["mini"]
    with pytest.raises(LookupError, match="unknown questionnaire 'nope'"):
        catalog.get("nope")
    with pytest.raises(LookupError):
        catalog.get("mini", "2.0")


def test_two_files_with_the_same_id_and_version_are_refused(tmp_path: Path) -> None:
    """Keeping an old version beside the new one is how pinned assessments stay readable: a copy must say so."""
    text = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(QuestionnaireError) as caught:
        Catalog(tmp_path).all()
    assert "b.yaml:1: version: 'mini' version 1.0 is also in" in str(caught.value)
    (tmp_path / "b.yaml").write_text(text.replace('version: "1.0"', 'version: "1.1"'), encoding="utf-8")
    assert [q.version for q in Catalog(tmp_path).all()] == ["1.1"]  # the newest for new assessments
    assert Catalog(tmp_path).get("mini", "1.0").version == "1.0"  # the old one for those pinned to it
