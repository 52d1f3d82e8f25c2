"""The mapping a questionnaire keeps from its older versions (`compares_with`): checks and domain objects.

Within the file: every entry has the shape its kind asks for, every new id is a question (or dimension) of
this file, no id is mapped twice, no version is listed twice or is this file's own. Against the older
version, where it can be read (`earlier`): every old id exists there. Like every other check, each problem
is placed at its line and carries a code for a message in the reader's language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path as FilePath
from types import MappingProxyType
from typing import Any, Final

from assess.catalog.schema import QuestionnaireSpec
from assess.catalog.source import Path, Problem, SourceMap, read_yaml
from assess.domain.versions import LinkKind, QuestionLink, VersionMapping


@dataclass(frozen=True, slots=True)
class EarlierVersion:
    """What the checks need of an older version: its question and dimension ids, and where it was found."""

    file: str
    questions: frozenset[str]
    dimensions: frozenset[str]


Earlier = Callable[[str, str], "EarlierVersion | None"]  # (id, version) -> that version, None: not available
# What an Earlier answers for a version not kept where the file is (a workspace without it): its ids are not checked.
UNCHECKED: Final = EarlierVersion("", frozenset(), frozenset())

# kind -> (old ids, new ids) allowed as (minimum, maximum); None: no upper limit
SHAPES: dict[str, tuple[tuple[int, int | None], tuple[int, int | None]]] = {
    "same": ((1, 1), (1, 1)), "changed": ((1, 1), (1, 1)), "split": ((1, 1), (2, None)),
    "merged": ((2, None), (1, 1)), "new": ((0, 0), (1, None)), "dropped": ((1, None), (0, 0)),
}
SHAPE_WORDS = {
    "same": "one old and one new question", "changed": "one old and one new question",
    "split": "one old question and two or more new ones", "merged": "two or more old questions and one new one",
    "new": "only new questions (no 'old')", "dropped": "only old questions (no 'new')",
}


def _problem(src: SourceMap, path: Path, message: str, code: str, **params: str) -> Problem:
    placed = src.problem(path, message)
    return Problem(placed.file, placed.line, placed.path, message, code, tuple(params.items()))


def _ids(value: Any) -> list[tuple[Path, str]]:
    """The ids an entry's `old` or `new` names, each with its place under that key ((): the key itself)."""
    if isinstance(value, str):
        return [((), value)]
    if isinstance(value, list):
        return [((i,), x) for i, x in enumerate(value) if isinstance(x, str)]
    return []


def _entries(data: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    value = data.get(key) if isinstance(data, dict) else None
    return [(i, x) for i, x in enumerate(value) if isinstance(x, dict)] if isinstance(value, list) else []


def _own_ids(data: Any) -> tuple[set[str], set[str]]:
    dimensions = [d for _, d in _entries(data, "dimensions")]
    questions = {q["id"] for d in dimensions for _, q in _entries(d, "questions") if isinstance(q.get("id"), str)}
    return questions, {d["id"] for d in dimensions if isinstance(d.get("id"), str)}


def _near(ref: str, known: set[str]) -> str:
    near = sorted(k for k in known if k.split(".")[0] == ref.split(".")[0])[:6] or sorted(known)[:6]
    return ", ".join(near) or "none"


def mapping_problems(data: Any, src: SourceMap, earlier: Earlier | None = None) -> list[Problem]:
    """Every problem of the file's `compares_with` (old ids only when `earlier` is given)."""
    questions, dimensions = _own_ids(data)
    own_version = data.get("version") if isinstance(data, dict) else None
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for c, comparison in _entries(data, "compares_with"):
        base: Path = ("compares_with", c)
        version = comparison.get("version")
        if isinstance(version, str):
            if version == own_version:
                problems.append(_problem(src, (*base, "version"), (
                    f"version {version} is this file's own version; name an older version to compare with"),
                    "mapping_own_version", version=version))
            elif version in seen:
                problems.append(_problem(src, (*base, "version"), (
                    f"version {version} is listed twice (first on line {src.line(seen[version])}); "
                    "keep one mapping per version"), "mapping_version_twice", version=version,
                    first=str(src.line(seen[version]))))
            else:
                seen[version] = (*base, "version")
        old = None
        own_id = data.get("id")
        if earlier is not None and isinstance(version, str) and isinstance(own_id, str) and version != own_version:
            old = earlier(own_id, version)
            if old is UNCHECKED:  # not where this file is kept (an upload naming a version its workspace lacks)
                old = None
            elif old is None:
                problems.append(_problem(src, (*base, "version"), (
                    f"version {version} of this questionnaire is not available, so the old ids cannot be checked; "
                    "put its file next to this one"), "mapping_earlier_missing", version=version))
        problems += _question_links(src, base, comparison, questions, old)
        problems += _dimension_links(src, base, comparison, dimensions, old)
    return problems


def _question_links(src: SourceMap, base: Path, comparison: dict[str, Any], questions: set[str],
                    old: EarlierVersion | None) -> Iterator[Problem]:
    first: dict[tuple[str, str], Path] = {}
    version = str(comparison.get("version", ""))
    for e, entry in _entries(comparison, "questions"):
        path: Path = (*base, "questions", e)
        kind = entry.get("kind")
        olds, news = _ids(entry.get("old")), _ids(entry.get("new"))
        if isinstance(kind, str) and kind in SHAPES:
            (old_min, old_max), (new_min, new_max) = SHAPES[kind]
            if not (old_min <= len(olds) and (old_max is None or len(olds) <= old_max)
                    and new_min <= len(news) and (new_max is None or len(news) <= new_max)):
                yield _problem(src, path, (
                    f"a '{kind}' entry names {SHAPE_WORDS[kind]}; this one names {len(olds)} old and {len(news)} new"),
                    "mapping_shape", kind=kind, old=str(len(olds)), new=str(len(news)))
        for side, ids in (("old", olds), ("new", news)):
            for where, ident in ids:
                place: Path = (*path, side, *where)
                if (side, ident) in first:
                    line = src.line(first[(side, ident)])
                    yield _problem(src, place, (
                        f"{side} question '{ident}' is mapped twice (first on line {line}); map each question once"),
                        "mapping_twice", id=ident, side=side, first=str(line))
                    continue
                first[(side, ident)] = place
                if side == "new" and ident not in questions:
                    yield _problem(src, place, f"unknown question '{ident}' in this version; known questions "
                                   f"include: {_near(ident, questions)}", "mapping_unknown_new", id=ident)
                elif side == "old" and old is not None and ident not in old.questions:
                    yield _problem(src, place, f"unknown question '{ident}' in version {version} ({old.file}); known "
                                   f"questions include: {_near(ident, set(old.questions))}", "mapping_unknown_old",
                                   id=ident, version=version)


def _dimension_links(src: SourceMap, base: Path, comparison: dict[str, Any], dimensions: set[str],
                     old: EarlierVersion | None) -> Iterator[Problem]:
    first: dict[tuple[str, str], Path] = {}
    version = str(comparison.get("version", ""))
    for e, entry in _entries(comparison, "dimensions"):
        for side in ("old", "new"):
            ident = entry.get(side)
            if not isinstance(ident, str):
                continue
            place: Path = (*base, "dimensions", e, side)
            if (side, ident) in first:
                line = src.line(first[(side, ident)])
                yield _problem(src, place, f"{side} dimension '{ident}' is mapped twice (first on line {line}); "
                               "map each dimension once", "mapping_twice", id=ident, side=side, first=str(line))
                continue
            first[(side, ident)] = place
            known = dimensions if side == "new" else (set(old.dimensions) if old is not None else None)
            if known is not None and ident not in known:
                where = "this version" if side == "new" else f"version {version}"
                yield _problem(src, place, f"unknown dimension '{ident}' in {where}; known dimensions: "
                               f"{_near(ident, known)}", "mapping_unknown_dimension", id=ident,
                               version=version if side == "old" else "")


_TOP = {key: re.compile(rf"^{key}\s*:\s*[\"']?([^\"'\s#]+)", re.MULTILINE) for key in ("id", "version")}


def _top(text: str, key: str) -> str | None:
    found = _TOP[key].search(text)
    return found.group(1) if found else None


def sibling_versions(path: FilePath) -> Earlier:
    """Find older versions among the questionnaire files next to `path` (the directory a catalog loads)."""

    def find(questionnaire_id: str, version: str) -> EarlierVersion | None:
        for other in sorted(path.parent.glob("*.yaml")):
            if other.resolve() == path.resolve():
                continue
            try:
                text = other.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if _top(text, "id") != questionnaire_id or _top(text, "version") != version:
                continue  # a cheap look before parsing: a directory holds several questionnaires
            found = earlier_version(text, str(other), questionnaire_id, version)
            if found is not None:
                return found
        return None

    return find


def earlier_version(text: str, file: str, questionnaire_id: str, version: str, *,
                    trusted: bool = True) -> EarlierVersion | None:
    """The ids of `text` if it is version `version` of `questionnaire_id` and reads without a problem."""
    data, _, problems = read_yaml(text, file, trusted=trusted)
    if not problems and isinstance(data, dict) and data.get("id") == questionnaire_id \
            and str(data.get("version")) == version:
        questions, dimensions = _own_ids(data)
        return EarlierVersion(file, frozenset(questions), frozenset(dimensions))
    return None


def _tuple(value: str | list[str] | None) -> tuple[str, ...]:
    return () if value is None else (value,) if isinstance(value, str) else tuple(value)


def build_mappings(spec: QuestionnaireSpec) -> tuple[VersionMapping, ...]:
    """The domain's version mappings of a spec that passed every check."""
    return tuple(
        VersionMapping(
            version=c.version,
            questions=tuple(QuestionLink(LinkKind(x.kind), _tuple(x.old), _tuple(x.new)) for x in c.questions),
            dimensions=MappingProxyType({d.old: d.new for d in c.dimensions}),
        )
        for c in spec.compares_with
    )
