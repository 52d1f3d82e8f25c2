"""Comparable versions: the mapping a questionnaire keeps from an older version, checked on load, and what compares."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assess.catalog import Catalog, QuestionnaireError, load_questionnaire, parse_questionnaire
from assess.domain.versions import DimensionStatus, Match, compare_versions
from tests.conftest import FIXTURES

VERSIONS = FIXTURES / "versions"
OLD_TEXT = (VERSIONS / "mini-1.0.yaml").read_text(encoding="utf-8")
NEW_TEXT = (VERSIONS / "mini-1.1.yaml").read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def problems_in(tmp_path: Path, text: str, *, with_old: bool = True) -> list[str]:
    """The problems of `text` as mini-1.1.yaml in a directory (with version 1.0 next to it or not)."""
    if with_old:
        shutil.copy(VERSIONS / "mini-1.0.yaml", tmp_path / "mini-1.0.yaml")
    path = tmp_path / "mini-1.1.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaire(path)
    return [str(p) for p in caught.value.problems]


def test_the_fixtures_load_and_the_catalog_keeps_the_mapping() -> None:
    catalog = Catalog(VERSIONS)
    new = catalog.get("mini-versions", "1.1")
    mapping = catalog.mapping(new, "1.0")
    assert mapping is not None and len(mapping.questions) == 6
    assert dict(mapping.dimensions) == {"leadership": "culture"}
    assert catalog.mapping(new, "0.9") is None
    assert catalog.mapping(catalog.get("mini-versions", "1.0"), "1.1") is None


def test_an_unknown_old_id_is_checked_against_the_old_version_next_to_it(tmp_path: Path) -> None:
    text = NEW_TEXT.replace("old: ch.booking,", "old: ch.bookin,")
    (problem,) = problems_in(tmp_path, text)
    assert problem.startswith(f"{tmp_path / 'mini-1.1.yaml'}:{line_of(text, 'ch.bookin,')}: "
                              "compares_with[0].questions[0].old: unknown question 'ch.bookin' in version 1.0")
    assert "ch.booking" in problem  # the known ones near it


def test_an_old_version_that_is_not_available_is_named(tmp_path: Path) -> None:
    (problem,) = problems_in(tmp_path, NEW_TEXT, with_old=False)
    line = line_of(NEW_TEXT, '- version: "1.0"')
    assert f":{line}: compares_with[0].version: version 1.0 " in problem
    assert "not available" in problem


def test_an_upload_is_checked_within_its_own_file_only() -> None:
    text = NEW_TEXT.replace("old: ch.booking,", "old: ch.bookin,")
    assert parse_questionnaire(text, "upload.yaml").version == "1.1"


def test_unknown_new_ids_twice_mapped_ids_and_inconsistent_entries_are_reported(tmp_path: Path) -> None:
    text = (NEW_TEXT
            .replace("new: ch.online-booking}", "new: ch.onlin-booking}")
            .replace("{kind: dropped, old: data.lists}", "{kind: dropped, old: ch.booking}")
            .replace("{kind: split, old: ch.chat-messenger, new: [ch.chat, ch.messenger]}",
                     "{kind: split, old: ch.chat-messenger, new: [ch.chat]}")
            .replace("{old: leadership, new: culture}", "{old: leadership, new: kultur}"))
    problems = problems_in(tmp_path, text)
    file = tmp_path / "mini-1.1.yaml"
    assert problems == [
        f"{file}:{line_of(text, 'ch.onlin-booking')}: compares_with[0].questions[0].new: unknown question "
        "'ch.onlin-booking' in this version; known questions include: ch.chat, ch.messenger, ch.online-booking",
        f"{file}:{line_of(text, 'kind: split')}: compares_with[0].questions[1]: a 'split' entry names one old "
        "question and two or more new ones; this one names 1 old and 1 new",
        f"{file}:{line_of(text, 'kind: dropped')}: compares_with[0].questions[4].old: old question 'ch.booking' "
        f"is mapped twice (first on line {line_of(text, 'kind: same')}); map each question once",
        f"{file}:{line_of(text, 'new: kultur')}: compares_with[0].dimensions[0].new: unknown dimension 'kultur' "
        "in this version; known dimensions: channels, culture, data, processes",
    ]


def test_problems_carry_codes_for_the_readers_language(tmp_path: Path) -> None:
    shutil.copy(VERSIONS / "mini-1.0.yaml", tmp_path / "mini-1.0.yaml")
    path = tmp_path / "mini-1.1.yaml"
    path.write_text(NEW_TEXT.replace("old: ch.booking,", "old: ch.bookin,"), encoding="utf-8")
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaire(path)
    (problem,) = caught.value.problems
    assert problem.code == "mapping_unknown_old"
    assert dict(problem.params) == {"id": "ch.bookin", "version": "1.0"}


def test_a_version_is_mapped_once_and_never_from_itself(tmp_path: Path) -> None:
    mapping = NEW_TEXT[NEW_TEXT.index("compares_with:\n") + len("compares_with:\n"):]
    text = NEW_TEXT + mapping + '  - version: "1.1"\n'
    problems = problems_in(tmp_path, text)
    assert [p.split(": ")[1].split(":")[0] for p in problems] == ["compares_with[1].version",
                                                                     "compares_with[2].version"]
    assert "listed twice" in problems[0] and "this file's own version" in problems[1]


def test_the_shape_of_an_entry_is_checked_like_the_rest(tmp_path: Path) -> None:
    text = NEW_TEXT.replace("{kind: same, old: ch.booking,", "{kind: renamed, old: ch.booking,")
    (problem,) = problems_in(tmp_path, text)
    assert ": compares_with[0].questions[0].kind: 'renamed' is not allowed here" in problem


def test_the_shipped_questionnaires_validate_with_their_mappings() -> None:
    for path in sorted((Path(__file__).parents[2] / "questionnaires").glob("*.yaml")):
        load_questionnaire(path)


# --- the comparison (pure domain) ---


def comparison():
    catalog = Catalog(VERSIONS)
    old, new = catalog.get("mini-versions", "1.0"), catalog.get("mini-versions", "1.1")
    return compare_versions(old, new, catalog.mapping(new, "1.0"))


def test_each_question_is_compared_once_and_says_how() -> None:
    matches = {(m.match, m.old, m.new) for m in comparison().questions}
    assert matches == {
        (Match.RENAMED, ("ch.booking",), ("ch.online-booking",)),
        (Match.SPLIT, ("ch.chat-messenger",), ("ch.chat", "ch.messenger")),
        (Match.MERGED, ("proc.handover", "proc.map"), ("proc.flow",)),
        (Match.NEW, (), ("proc.gates",)), (Match.NEW, (), ("proc.status",)),
        (Match.SAME, ("data.master",), ("data.master",)),
        (Match.NEW, (), ("data.privacy",)),  # not named: only in the new version
        (Match.DROPPED, ("data.lists",), ()),
        (Match.SAME, ("lead.skills",), ("lead.skills",)),
        (Match.CHANGED, ("lead.style",), ("lead.style",)),
    }


def test_a_dimension_is_compared_only_where_its_questions_compare() -> None:
    result = comparison()
    status = {(d.old, d.new): (d.status, d.share) for d in result.dimensions}
    assert status == {
        ("channels", "channels"): (DimensionStatus.COMPARABLE, 1.0),
        ("processes", "processes"): (DimensionStatus.NOT_COMPARABLE, 0.333),  # two of three questions are new
        ("data", "data"): (DimensionStatus.CHANGED, 0.8),
        ("leadership", "culture"): (DimensionStatus.CHANGED, 0.75),  # renamed; one question's levels changed
    }
    assert not result.overall_comparable
    assert [m.new for m in result.dimension("processes").not_comparable] == [("proc.gates",), ("proc.status",)]
    assert {m.match for m in result.not_comparable} == {Match.NEW, Match.DROPPED, Match.CHANGED}


def test_without_a_mapping_ids_in_both_versions_are_the_same_question() -> None:
    catalog = Catalog(VERSIONS)
    old, new = catalog.get("mini-versions", "1.0"), catalog.get("mini-versions", "1.1")
    result = compare_versions(old, new, None)
    assert not result.mapped
    assert (Match.DROPPED, ("ch.booking",), ()) in {(m.match, m.old, m.new) for m in result.questions}
    assert {d.old: d.status for d in result.dimensions}[None] is DimensionStatus.NEW  # culture: no predecessor
    assert {d.new: d.status for d in result.dimensions}[None] is DimensionStatus.DROPPED  # leadership


def test_the_same_version_compares_everything(mini) -> None:
    result = compare_versions(mini, mini)
    assert result.identical and result.overall_comparable and not result.not_comparable
    assert all(d.status is DimensionStatus.COMPARABLE and d.share == 1 for d in result.dimensions)


def test_the_shipped_versions_compare_question_for_question() -> None:
    shipped = Path(__file__).parents[2] / "questionnaires"
    first = load_questionnaire(shipped / "digital-readiness-1.0.0.yaml")
    second = load_questionnaire(shipped / "digital-readiness-1.0.1.yaml")
    result = compare_versions(first, second)  # 1.0.1 changed only measures and rules
    assert result.overall_comparable and not result.not_comparable


def test_a_follow_up_on_1_1_compares_question_for_question_where_the_levels_kept_their_meaning() -> None:
    """1.1.0 sharpened the 45 questions of 1.0.1, re-anchored five of them and added ten: the 40 others compare one
    to one; a dimension's score is compared only where at least three quarters of its weight did (processes,
    data), and each change names what it leaves out."""
    catalog = Catalog()
    old, new = catalog.get("digital-readiness", "1.0.1"), catalog.get("digital-readiness", "1.1.0")
    result = compare_versions(old, new, catalog.mapping(new, "1.0.1"))
    assert result.mapped and not result.overall_comparable
    assert {d.new: d.status for d in result.dimensions} == {
        "strategy": DimensionStatus.NOT_COMPARABLE, "channels": DimensionStatus.NOT_COMPARABLE,
        "processes": DimensionStatus.CHANGED, "data": DimensionStatus.CHANGED,
        "leadership": DimensionStatus.NOT_COMPARABLE}
    added = {q for match in result.not_comparable if match.match is Match.NEW for q in match.new}
    assert added == {q.id for q in new.questions()} - {q.id for q in old.questions()} and len(added) == 10
    changed = {q for match in result.not_comparable if match.match is Match.CHANGED for q in match.new}
    assert changed == {"str.service-promise", "ch.online-booking", "data.analytics", "lead.skills-training",
                       "lead.empowerment"}
    assert sum(1 for m in result.questions if m.comparable) == 40
