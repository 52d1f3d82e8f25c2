"""Read a YAML file into plain data plus a map from each path to its line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from assess.domain.text import is_storable

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a questionnaire file, and where."""

    file: str
    line: int
    path: str
    message: str  # in English, for the command line and the logs
    # What kind of problem, for a message in the reader's language (assess.web.workspace.questionnaire_problems):
    # "" when only `message` says it; `params` fill its placeholders.
    code: str = ""
    params: tuple[tuple[str, str], ...] = ()
    cell: str = ""  # a spreadsheet's place ("Fragen!D14", assess.catalog.sheet_import); then `line` is its row

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.file}:{self.cell or self.line}: {where}{self.message}"


def format_path(path: Path) -> str:
    """Render ('dimensions', 2, 'id') as dimensions[2].id."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass(slots=True)
class SourceMap:
    """Lines of every key and item in a YAML document, found by path."""

    file: str
    lines: dict[Path, int] = field(default_factory=dict)
    duplicates: list[tuple[Path, int, int]] = field(default_factory=list)

    def line(self, path: Path) -> int:
        """Line of `path`, or of its nearest ancestor that exists in the file."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1

    def problem(self, path: Path, message: str) -> Problem:
        return Problem(self.file, self.line(path), format_path(path), message)


# Limits that keep a hostile file from exhausting the stack or the memory: a questionnaire is a few
# thousand nodes, nested a dozen levels; aliases ("billion laughs") can multiply a small file.
MAX_DEPTH = 64
MAX_NODES = 200_000


class _TooComplex(Exception):
    pass


def _index(root: yaml.Node, source: SourceMap) -> None:
    """Note the line of every key and item, depth first (without recursion)."""
    stack: list[tuple[yaml.Node, Path]] = [(root, ())]
    count = 0
    while stack:
        node, path = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise _TooComplex(f"more than {MAX_NODES} items (are YAML aliases repeating large parts?)")
        if len(path) > MAX_DEPTH:
            raise _TooComplex(f"nested more than {MAX_DEPTH} levels deep (does a YAML alias refer to itself?)")
        source.lines.setdefault(path, node.start_mark.line + 1)
        children: list[tuple[yaml.Node, Path]] = []
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue  # a list or mapping as a key: loading the data reports it ("unhashable key")
                key = key_node.value
                child = (*path, key)
                line = key_node.start_mark.line + 1
                if key in seen:
                    source.duplicates.append((child, line, seen[key]))
                    continue
                seen[key] = line
                source.lines[child] = line
                children.append((value_node, child))
        elif isinstance(node, yaml.SequenceNode):
            children = [(item, (*path, position)) for position, item in enumerate(node.value)]
        stack.extend(reversed(children))


# Longer than any number a questionnaire holds; Python's int() refuses far shorter ones than a file can carry
# (4300 digits by default, and where that limit is lifted, converting millions of digits takes seconds).
MAX_NUMBER_LENGTH = 100
_INT_TAG = "tag:yaml.org,2002:int"


class _BadValue(Exception):
    """A scalar that Python cannot turn into a value (a 5,000-digit number, the 13th month), and its line."""

    def __init__(self, line: int, message: str, code: str = "", params: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(message)
        self.line, self.code, self.params = line, code, params


def _too_long(node: yaml.Node) -> bool:
    return node.tag == _INT_TAG and isinstance(node.value, str) and len(node.value) > MAX_NUMBER_LENGTH


class _CheckedValues:
    """Constructor mixin: a value that cannot be built is a problem on its line instead of a ValueError."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        line = node.start_mark.line + 1
        if _too_long(node):
            raise _BadValue(line, f"number too large ({len(node.value)} digits); a questionnaire's numbers have a few",
                            "number_too_large", (("digits", str(len(node.value))),))
        try:
            value = super().construct_object(node, deep)  # type: ignore[misc]
        except (ValueError, OverflowError) as error:  # e.g. a date 2024-13-45, an int() Python refuses
            shown = node.value if isinstance(node.value, str) and len(node.value) <= 40 else "this value"
            raise _BadValue(line, f"cannot read {shown!r}: {error}; quote it if it is meant as text",
                            "unreadable_value", (("value", shown),)) from None
        if isinstance(value, str) and not is_storable(value):  # written as an escape: "\x00", "\ud800"
            raise _BadValue(line, "text with a NUL, a control character or a lone surrogate; remove it", "unstorable_text")
        return value


class _Loader(_CheckedValues, yaml.SafeLoader):
    pass


_FastLoader: type[Any] | None = None
if hasattr(yaml, "CSafeLoader"):  # PyYAML built with libyaml

    class _CFastLoader(_CheckedValues, yaml.CSafeLoader):
        pass

    _FastLoader = _CFastLoader


def _parse(text: str, source: SourceMap, *, trusted: bool) -> Any:
    """The data of `text`, after indexing its nodes (which refuses what would take too long to build)."""
    loader = (_FastLoader if trusted and _FastLoader is not None else _Loader)(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _index(node, source)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _yaml_problem(error: yaml.YAMLError, text: str, file: str) -> Problem:
    if isinstance(error, yaml.reader.ReaderError):  # only its position is known
        line = text.count("\n", 0, error.position) + 1
        return Problem(file, line, "", f"character #x{error.character:04x} is not allowed in YAML "
                                       "(a NUL or another control character); remove it")
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + 1 if mark else 1
    reason = getattr(error, "problem", None) or str(error).splitlines()[0]
    return Problem(file, line, "", f"not valid YAML: {reason}; check indentation and quoting", "yaml_syntax",
                   (("column", str(mark.column + 1 if mark else 1)), ("reason", str(reason))))


def read_yaml(text: str, file: str, *, trusted: bool = False) -> tuple[Any, SourceMap, list[Problem]]:
    """Parse `text`; return the data, its source map, and syntax problems.

    `trusted` (the operator's own files) parses with libyaml, about five times
    faster. Uploads go through the pure-Python parser: libyaml's composer
    overflows the C stack, and takes the process down, on deeply nested input,
    where the Python one raises RecursionError.
    """
    source = SourceMap(file)
    try:
        data = _parse(text, source, trusted=trusted)
    except yaml.YAMLError as error:
        return None, source, [_yaml_problem(error, text, file)]
    except _BadValue as error:
        return None, source, [Problem(file, error.line, "", str(error), error.code, error.params)]
    except (_TooComplex, RecursionError) as error:  # the YAML parser itself recurses on nested lists
        reason = str(error) if isinstance(error, _TooComplex) else f"nested more than {MAX_DEPTH} levels deep"
        return None, SourceMap(file), [Problem(file, 1, "", f"too complex: {reason}; simplify the file")]
    problems = [
        Problem(file, line, format_path(path), f"key given twice (first on line {first}); keep one", "duplicate_key",
                (("first", str(first)),))
        for path, line, first in source.duplicates
    ]
    return data, source, problems
