"""Load and validate questionnaire files into domain objects, cached by id and version."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

from pydantic import ValidationError

from assess.cache import LocalMemo
from assess.catalog.build import build_questionnaire
from assess.catalog.checks import semantic_problems
from assess.catalog.schema import QuestionnaireSpec
from assess.catalog.shape import shape_problems
from assess.catalog.source import Problem, read_yaml
from assess.catalog.versions import Earlier, build_mappings, sibling_versions
from assess.domain.questionnaire import Questionnaire, QuestionnaireRef
from assess.domain.versions import VersionMapping
from assess.resources import shipped

DEFAULT_QUESTIONNAIRE = "digital-readiness"

__all__ = ["Catalog", "Problem", "QuestionnaireError", "default_directory", "digest_of", "load_questionnaire",
           "parse_questionnaire"]


class QuestionnaireError(Exception):
    """A questionnaire file with problems; `problems` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def digest_of(text: str) -> str:
    """The content hash that tells two questionnaire files apart (part of every questionnaire reference)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


Mappings = tuple[VersionMapping, ...]


def parse_questionnaire(text: str, file: str, *, trusted: bool = False, workspace_id: int | None = None,
                        earlier: Earlier | None = None) -> Questionnaire:
    """Validate YAML `text` (named `file` in messages) and build the questionnaire.

    `trusted`: the text comes from the operator (the catalog directory), not an upload; see read_yaml.
    `workspace_id`: the workspace whose own questionnaire this is (None: shipped).
    `earlier`: finds the older versions its `compares_with` maps from, to check their ids (None: not checked).
    """
    return _parse(text, file, trusted=trusted, workspace_id=workspace_id, earlier=earlier)[0]


def _parse(text: str, file: str, *, trusted: bool = False, workspace_id: int | None = None,
           earlier: Earlier | None = None) -> tuple[Questionnaire, Mappings]:
    """The questionnaire and the mappings it keeps from its older versions."""
    data, source, problems = read_yaml(text, file, trusted=trusted)
    if not problems and not isinstance(data, dict):
        problems = [Problem(file, 1, "", "expected a mapping with format, id, version, languages, ... at the top")]
    if problems:
        raise QuestionnaireError(problems)
    spec = None
    try:
        spec = QuestionnaireSpec.model_validate(data)
    except ValidationError as error:
        problems = shape_problems(error, source)
    problems += semantic_problems(data, source, earlier)
    if problems or spec is None:
        unique = list(dict.fromkeys(problems))
        raise QuestionnaireError(sorted(unique, key=lambda p: p.line))
    return build_questionnaire(spec, file, digest=digest_of(text), workspace_id=workspace_id), build_mappings(spec)


def load_questionnaire(path: str | os.PathLike[str], *, trusted: bool = False) -> Questionnaire:
    """Read, validate and build the questionnaire file at `path` (`trusted`: see parse_questionnaire).

    The older versions it maps from are looked for next to it, in the same directory.
    """
    return _load_file(Path(path), trusted=trusted)[0]


def _load_file(path: Path, *, trusted: bool) -> tuple[Questionnaire, Mappings]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise QuestionnaireError([Problem(str(path), 1, "", f"cannot read the file: {error}")]) from None
    return _parse(text, str(path), trusted=trusted, earlier=sibling_versions(path))


def default_directory() -> Path:
    """Where the shipped questionnaires live (ASSESS_QUESTIONNAIRES overrides)."""
    configured = os.environ.get("ASSESS_QUESTIONNAIRES")
    if configured:
        return Path(configured)
    return shipped("assess.questionnaires")


def version_key(version: str) -> tuple[tuple[int, str], ...]:
    # isascii: "²" is a digit to str.isdigit() but not to int()
    return tuple((int(p), "") if p.isascii() and p.isdigit() else (-1, p) for p in version.replace("-", ".").split("."))


class Catalog:
    """The shipped questionnaires, loaded once from a directory by id and version, and the workspaces'
    own ones, parsed once per content. One per app (app.extensions), never a module global.
    """

    def __init__(self, directory: str | os.PathLike[str] | None = None) -> None:
        self.directory = Path(directory) if directory is not None else default_directory()
        self._by_key: dict[tuple[str, str], Questionnaire] | None = None
        self._lock = threading.Lock()
        self._parsed: dict[tuple[int, str], Questionnaire] = {}
        self._parsed_lock = threading.Lock()
        self._mappings: dict[QuestionnaireRef, Mappings] = {}  # what each questionnaire keeps from older versions
        # Results derived from these questionnaires and stored answers (assess.services.aggregate), keyed by
        # every input including the assessment's data version: computed once per change, shared by page, PDF, API.
        self.results = LocalMemo()

    def parsed(self, workspace_id: int, text: str, file: str) -> Questionnaire:
        """A workspace's own questionnaire from its stored text, parsed once per (workspace, content)."""
        key = (workspace_id, digest_of(text))
        with self._parsed_lock:
            found = self._parsed.get(key)
        if found is None:
            found, mappings = _parse(text, file, workspace_id=workspace_id)
            with self._parsed_lock:
                self._parsed[key] = found  # stored text never changes, and the key is its hash
                self._mappings[found.ref] = mappings
        return found

    def known(self, ref: QuestionnaireRef) -> Questionnaire | None:
        """The questionnaire `ref` names if this process has it in memory (no database needed), else None."""
        if ref.workspace_id is None:
            found = self._load().get((ref.id, ref.version))
        else:
            with self._parsed_lock:
                found = self._parsed.get((ref.workspace_id, ref.digest))
        return found if found is not None and found.ref == ref else None

    def has(self, questionnaire_id: str, version: str) -> bool:
        """Whether the installation ships this id and version."""
        return (questionnaire_id, version) in self._load()

    def _load(self) -> dict[tuple[str, str], Questionnaire]:
        with self._lock:
            if self._by_key is None:
                loaded: dict[tuple[str, str], Questionnaire] = {}
                for path in sorted(self.directory.glob("*.yaml")):
                    questionnaire, mappings = _load_file(path, trusted=True)  # the operator's own files
                    other = loaded.get(questionnaire.key)
                    if other is not None:  # one would silently hide the other, and pinned assessments with it
                        raise QuestionnaireError([Problem(str(path), 1, "version", (
                            f"'{questionnaire.id}' version {questionnaire.version} is also in {other.source}; "
                            "give one of them another version, or remove the copy"))])
                    loaded[questionnaire.key] = questionnaire
                    self._mappings[questionnaire.ref] = mappings
                self._by_key = loaded
            return self._by_key

    def mapping(self, questionnaire: Questionnaire, version: str) -> VersionMapping | None:
        """The mapping `questionnaire` keeps from its older `version` (None: it keeps none)."""
        self._load()
        with self._parsed_lock:
            kept = self._mappings.get(questionnaire.ref, ())
        return next((m for m in kept if m.version == version), None)

    def add(self, questionnaire: Questionnaire) -> None:
        """Make `questionnaire` available (e.g. one stored in the database)."""
        self._load()[questionnaire.key] = questionnaire

    def all(self) -> list[Questionnaire]:
        """Every questionnaire, newest version of each id only."""
        latest: dict[str, Questionnaire] = {}
        for questionnaire in self._load().values():
            current = latest.get(questionnaire.id)
            if current is None or version_key(questionnaire.version) > version_key(current.version):
                latest[questionnaire.id] = questionnaire
        return sorted(latest.values(), key=lambda q: q.id)

    def get(self, questionnaire_id: str, version: str | None = None) -> Questionnaire:
        """Return a questionnaire by id (newest version unless `version` is given)."""
        if version is not None:
            try:
                return self._load()[(questionnaire_id, version)]
            except KeyError:
                raise LookupError(f"questionnaire {questionnaire_id!r} version {version!r} is not known") from None
        for questionnaire in self.all():
            if questionnaire.id == questionnaire_id:
                return questionnaire
        known = ", ".join(q.id for q in self.all()) or "none"
        raise LookupError(f"unknown questionnaire {questionnaire_id!r}; known: {known}")
