"""Checks that need the whole questionnaire: translations, ids, references, cycles.

They run on the raw YAML data, not on the validated spec, so that a file with
shape errors still gets every other problem reported in the same run. Items of
the wrong type are skipped here; the shape check reports them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from assess.catalog.source import Path, Problem, SourceMap
from assess.catalog.versions import Earlier, mapping_problems


def _items(data: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    value = data.get(key) if isinstance(data, dict) else None
    return [(i, x) for i, x in enumerate(value) if isinstance(x, dict)] if isinstance(value, list) else []


def _str(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    return value if isinstance(value, str) else None


def _subject(item: dict[str, Any], kinds: Sequence[str]) -> tuple[str, str] | None:
    named = [(k, item[k]) for k in kinds if isinstance(item.get(k), str)]
    return named[0] if len(named) == 1 else None


def _dimensions(data: Any) -> list[tuple[Path, dict[str, Any]]]:
    return [(("dimensions", d), dim) for d, dim in _items(data, "dimensions")]


def _questions(data: Any) -> list[tuple[Path, dict[str, Any]]]:
    return [((*p, "questions", q), x) for p, dim in _dimensions(data) for q, x in _items(dim, "questions")]


def _groups(data: Any) -> list[tuple[Path, dict[str, Any]]]:
    return [((*p, "groups", g), x) for p, dim in _dimensions(data) for g, x in _items(dim, "groups")]


def _group_members(data: Any) -> dict[str, list[str]]:
    """group id -> its question ids (as written)."""
    return {gid: [q for q in g.get("questions", []) if isinstance(q, str)] if isinstance(g.get("questions"), list) else []
            for _, g in _groups(data) if (gid := _str(g, "id")) is not None}


def _texts(data: Any) -> Iterator[tuple[Path, Any]]:
    """(path, text) for every translatable text."""
    yield ("title",), data.get("title")
    yield ("description",), data.get("description")
    for path, dim in _dimensions(data):
        yield (*path, "title"), dim.get("title")
        yield (*path, "description"), dim.get("description")
    for path, question in _questions(data):
        yield (*path, "text"), question.get("text")
        yield (*path, "help"), question.get("help")
    for path, group in _groups(data):
        yield (*path, "title"), group.get("title")
    for m, measure in _items(data, "measures"):
        yield ("measures", m, "title"), measure.get("title")
        yield ("measures", m, "description"), measure.get("description")
        kpis = measure.get("kpis")
        for k, kpi in enumerate(kpis if isinstance(kpis, list) else []):
            yield ("measures", m, "kpis", k), kpi
    for r, rule in _items(data, "rules"):
        yield ("rules", r, "message"), rule.get("message")


def _translations(data: Any, languages: list[str], src: SourceMap) -> Iterator[Problem]:
    for path, text in _texts(data):
        if text is None:
            continue  # a missing required text is a shape problem
        if not isinstance(text, dict):
            yield src.problem(path, f"expected a text per language ({', '.join(f'{x}: ...' for x in languages)})")
            continue
        yield from _per_language(path, text, languages, src, _check_title if path[-1] == "title" else _check_text)
    for path, question in _questions(data):
        levels = question.get("levels")
        if isinstance(levels, dict):
            yield from _per_language((*path, "levels"), levels, languages, src, _check_levels)


TITLE_LENGTH, TEXT_LENGTH = 200, 4000  # a title is a heading (and an assessment's default title)


def _check_text(value: Any, limit: int = TEXT_LENGTH) -> str | None:
    if not isinstance(value, str):
        return f"expected text, got {value!r}; put it in quotes"
    if len(value) > limit:
        return f"{len(value)} characters; shorten it to at most {limit}"
    return None if value.strip() else "empty text; write it"


def _check_title(value: Any) -> str | None:
    return _check_text(value, TITLE_LENGTH)


def _check_levels(value: Any) -> str | None:
    if not isinstance(value, list):
        return "expected a list of 5 level descriptions"
    if len(value) != 5:
        return f"{len(value)} level descriptions given; give exactly 5 (levels 1 to 5, from initial to leading)"
    if any(not isinstance(x, str) or not x.strip() for x in value):
        return "a level description is empty or not text; describe every level in words"
    return None


def _per_language(path: Path, values: dict[str, Any], languages: list[str], src: SourceMap, check: Any) -> Iterator[Problem]:
    for lang in languages:
        if lang not in values:
            yield src.problem(path, f"missing translation '{lang}'; add '{lang}: ...'")
        elif (message := check(values[lang])) is not None:
            yield src.problem((*path, lang), message)
    for lang in values:
        if lang not in languages:
            yield src.problem((*path, lang), f"language '{lang}' is not in languages {languages}; remove it or add it there")


def _duplicates(items: Sequence[tuple[Path, Any]], what: str, src: SourceMap) -> Iterator[Problem]:
    first: dict[str, Path] = {}
    for path, item in items:
        ident = _str(item, "id")
        if ident is None:
            continue
        if ident in first:
            first_line = src.line(first[ident])
            message = f"duplicate {what} id '{ident}' (first on line {first_line}); give each {what} its own id"
            yield src.problem((*path, "id"), message)
        else:
            first[ident] = (*path, "id")


def _known(data: Any) -> dict[str, list[str]]:
    def ids(items: Sequence[tuple[Any, dict[str, Any]]]) -> list[str]:
        return [i for _, x in items if (i := _str(x, "id")) is not None]

    return {
        "question": ids(_questions(data)), "group": ids(_groups(data)), "dimension": ids(_dimensions(data)),
        "measure": ids(_items(data, "measures")), "rule": ids(_items(data, "rules")),
    }


def _unknown(kind: str, ref: str, known: Sequence[str]) -> str:
    unique = list(dict.fromkeys(known))
    near = [k for k in unique if k.split(".")[0] == ref.split(".")[0]][:6] or unique[:6]
    hint = f"known {kind}s include: {', '.join(near)}" if near else f"there are no {kind}s"
    return f"unknown {kind} '{ref}'; {hint}"


def _references(data: Any, src: SourceMap) -> Iterator[Problem]:
    known = _known(data)
    yield from _measure_references(data, src, known)
    yield from _rule_references(data, src, known)
    yield from _group_references(data, src, known)


def _check_subject(src: SourceMap, known: dict[str, list[str]], path: Path, item: dict[str, Any],
                   kinds: Sequence[str]) -> Iterator[Problem]:
    subject = _subject(item, kinds)
    if subject is not None and subject[1] not in known[subject[0]]:
        yield src.problem((*path, subject[0]), _unknown(subject[0], subject[1], known[subject[0]]))


def _measure_references(data: Any, src: SourceMap, known: dict[str, list[str]]) -> Iterator[Problem]:
    for m, measure in _items(data, "measures"):
        base: Path = ("measures", m)
        dimension = _str(measure, "dimension")
        if dimension is not None and dimension not in known["dimension"]:
            yield src.problem((*base, "dimension"), _unknown("dimension", dimension, known["dimension"]))
        for t, trigger in _items(measure, "triggers"):
            yield from _check_subject(src, known, (*base, "triggers", t), trigger,
                                      ("question", "group", "dimension", "rule"))
        for p, prereq in _items(measure, "prerequisites"):
            yield from _check_subject(src, known, (*base, "prerequisites", p), prereq,
                                      ("measure", "question", "group", "dimension"))
            if prereq.get("measure") is not None and prereq.get("measure") == measure.get("id"):
                yield src.problem((*base, "prerequisites", p), "a measure cannot be its own prerequisite; remove it")


def _rule_references(data: Any, src: SourceMap, known: dict[str, list[str]]) -> Iterator[Problem]:
    for r, rule in _items(data, "rules"):
        for key in ("ahead", "behind"):
            ref = _str(rule, key)
            if ref is not None and ref not in known["dimension"]:
                yield src.problem(("rules", r, key), _unknown("dimension", ref, known["dimension"]))
        for c, condition in _items(rule, "conditions"):
            yield from _check_subject(src, known, ("rules", r, "conditions", c), condition,
                                      ("question", "group", "dimension"))
            counted = condition.get("questions")
            for q, name in enumerate(counted if isinstance(counted, list) else []):
                if isinstance(name, str) and name not in known["question"]:
                    yield src.problem(("rules", r, "conditions", c, "questions", q),
                                      _unknown("question", name, known["question"]))


def _group_references(data: Any, src: SourceMap, known: dict[str, list[str]]) -> Iterator[Problem]:
    for path, dim in _dimensions(data):
        own = {_str(q, "id") for _, q in _items(dim, "questions")}
        for g, group in _items(dim, "groups"):
            listed = group.get("questions")
            for q, name in enumerate(listed if isinstance(listed, list) else []):
                if isinstance(name, str) and name not in own:
                    where = "a question of another dimension" if name in known["question"] else "unknown"
                    yield src.problem((*path, "groups", g, "questions", q), (
                        f"'{name}' is {where}: a group holds questions of its own dimension "
                        f"({', '.join(sorted(x for x in own if x))[:120]})"))


def _addressing(data: Any, measures: Sequence[dict[str, Any]]) -> dict[tuple[str, str], list[str]]:
    """(subject, ref) -> the measures whose triggers work on it (a group and its questions count as one)."""
    members = _group_members(data)
    addressing: dict[tuple[str, str], list[str]] = {}
    for measure in measures:
        for _, trigger in _items(measure, "triggers"):
            subject = _subject(trigger, ("question", "group", "dimension"))
            if subject is None:
                continue
            addressing.setdefault(subject, []).append(measure["id"])
            for question in members.get(subject[1], []) if subject[0] == "group" else []:
                addressing.setdefault(("question", question), []).append(measure["id"])
    for group, questions in members.items():
        for question in questions:
            addressing.setdefault(("group", group), []).extend(addressing.get(("question", question), []))
    return addressing


def _edges(data: Any) -> dict[str, list[tuple[str, str]]]:
    """measure -> [(prerequisite measure, how)], including measures a condition pulls in."""
    measures = [m for _, m in _items(data, "measures") if _str(m, "id")]
    starts = {m["id"]: _band_start(m) for m in measures}
    addressing = _addressing(data, measures)
    edges: dict[str, list[tuple[str, str]]] = {}
    for measure in measures:
        out = edges.setdefault(measure["id"], [])
        for _, prereq in _items(measure, "prerequisites"):
            subject = _subject(prereq, ("measure", "question", "group", "dimension"))
            if subject is None:
                continue
            if subject[0] == "measure":
                out.append((subject[1], "prerequisite"))
                continue
            # only measures that build from below the level asked for can be pulled in by it
            how, needed = f"addresses the condition on {subject[1]}", prereq.get("min_level")
            out += [(a, how) for a in dict.fromkeys(addressing.get(subject, [])) if a != measure["id"]
                    and (not isinstance(needed, int) or starts.get(a, 1) < needed)]
    return edges


def _band_start(measure: dict[str, Any]) -> int:
    builds = measure.get("builds")
    start = builds.get("from") if isinstance(builds, dict) else None
    return start if isinstance(start, int) else 1


def _cycles(data: Any, src: SourceMap) -> Iterator[Problem]:
    edges = _edges(data)
    position = {m["id"]: i for i, m in _items(data, "measures") if _str(m, "id")}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    stack: list[str] = []
    reported: set[frozenset[str]] = set()
    problems: list[Problem] = []

    def visit(start: str) -> None:
        """Depth-first from `start`, with an explicit stack: a long prerequisite chain must not hit the recursion limit."""
        state[start] = 1
        stack.append(start)
        pending = [iter(edges.get(start, ()))]
        while pending:
            node = stack[-1]
            for target, how in pending[-1]:
                if target not in position:
                    continue
                if state.get(target) == 1:
                    cycle = [*stack[stack.index(target):], target]
                    if frozenset(cycle) not in reported:
                        reported.add(frozenset(cycle))
                        via = "" if how == "prerequisite" else f" ({target} {how} of {node})"
                        problems.append(src.problem(
                            ("measures", position[node], "prerequisites"),
                            f"prerequisite cycle {' -> '.join(cycle)}{via}; remove one of these prerequisites",
                        ))
                elif target not in state:
                    state[target] = 1
                    stack.append(target)
                    pending.append(iter(edges.get(target, ())))
                    break
            else:
                pending.pop()
                state[stack.pop()] = 2

    for node in position:
        if node not in state:
            visit(node)
    yield from problems


def _trigger_levels(data: Any, src: SourceMap) -> Iterator[Problem]:
    """A level trigger says below which level it fires, or takes it from the measure's `builds`."""
    for m, measure in _items(data, "measures"):
        if isinstance(measure.get("builds"), dict):
            continue
        for t, trigger in _items(measure, "triggers"):
            subject = _subject(trigger, ("question", "group", "dimension"))
            if subject is not None and "below" not in trigger:
                yield src.problem(("measures", m, "triggers", t), (
                    f"a {subject[0]} trigger needs 'below: N' (2 to 5): the level below which it fires; or give the "
                    "measure 'builds: {from: N, to: M}' and the trigger fires below M"))


def _unreachable(data: Any, src: SourceMap) -> Iterator[Problem]:
    needed = {_str(p, "measure") for _, m in _items(data, "measures") for _, p in _items(m, "prerequisites")}
    for m, measure in _items(data, "measures"):
        if not measure.get("triggers") and _str(measure, "id") not in needed:
            yield src.problem(("measures", m), "no triggers and no measure needs it, so it is never recommended; add a trigger")


def semantic_problems(data: Any, src: SourceMap, earlier: Earlier | None = None) -> list[Problem]:
    """Every problem that needs the whole file to be seen (`earlier`: finds the older versions it maps from)."""
    if not isinstance(data, dict):
        return []
    listed = data.get("languages")
    languages = [x for x in listed if isinstance(x, str)] if isinstance(listed, list) else []  # else a shape problem
    problems: list[Problem] = []
    if len(set(languages)) != len(languages):
        problems.append(src.problem(("languages",), "a language is listed twice; list each once"))
    if languages:
        problems += _translations(data, languages, src)
    problems += _duplicates(_dimensions(data), "dimension", src)
    problems += _duplicates(_questions(data), "question", src)
    problems += _duplicates(_groups(data), "group", src)
    problems += _duplicates([(("measures", m), x) for m, x in _items(data, "measures")], "measure", src)
    problems += _duplicates([(("rules", r), x) for r, x in _items(data, "rules")], "rule", src)
    problems += _references(data, src)
    problems += _trigger_levels(data, src)
    problems += _unreachable(data, src)
    problems += _cycles(data, src)
    problems += mapping_problems(data, src, earlier)
    return problems
