"""The questionnaire model: frozen, typed objects built once by the catalog."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class Text:
    """A text in several languages."""

    values: Mapping[str, str]

    def get(self, lang: str) -> str:
        """Return the text in `lang`, or in the first language as a fallback."""
        if lang in self.values:
            return self.values[lang]
        return next(iter(self.values.values()), "")

    def __getitem__(self, lang: str) -> str:
        return self.get(lang)


class Effort(Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return _RANK[self.value]


_RANK = {"low": 1, "medium": 2, "high": 3}
Impact = Effort  # same three-step scale, read as size of the benefit


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    dimension_id: str
    text: Text
    help: Text | None
    weight: float
    allow_na: bool
    levels: Mapping[str, tuple[str, str, str, str, str]]
    roles: frozenset[str] | None = None  # the roles asked this question; None: every role
    short: bool = False  # part of the short check

    def asked_of(self, role: str | None, *, short: bool = False) -> bool:
        """Whether a respondent in `role` answering the short check (or the full questionnaire) is asked this."""
        if short and not self.short:
            return False
        return self.roles is None or (role or "other") in self.roles

    def level_text(self, level: int, lang: str) -> str:
        """Return the anchored description of `level` (1..5) in `lang`."""
        texts = self.levels.get(lang) or next(iter(self.levels.values()))
        return texts[level - 1]


@dataclass(frozen=True, slots=True)
class Group:
    """Named questions inside a dimension that are judged together (master data apart from data protection),
    so that rules and measures can look at them without the dimension's average hiding them."""

    id: str
    dimension_id: str
    title: Text
    question_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Dimension:
    id: str
    title: Text
    description: Text
    weight: float
    target: int
    questions: tuple[Question, ...]
    groups: tuple[Group, ...] = ()


@dataclass(frozen=True, slots=True)
class Condition:
    """A question, group or dimension between `min_level` and `max_level` (inclusive).

    Subject "count": at least `at_least` of the questions in `refs` are in that range
    (e.g. two or more channels at level 3: a count, where an average would hide them).
    """

    subject: str  # "question" | "group" | "dimension" | "count"
    ref: str  # for "count": the first question (for messages); all of them in `refs`
    min_level: float | None = None
    max_level: float | None = None
    refs: tuple[str, ...] = ()
    at_least: int = 1

    def holds(self, level: float) -> bool:
        if self.min_level is not None and level < self.min_level:
            return False
        return self.max_level is None or level <= self.max_level


@dataclass(frozen=True, slots=True)
class Trigger:
    """When a measure is recommended: a question, group or dimension below a level, or a rule."""

    subject: str  # "question" | "group" | "dimension" | "rule"
    ref: str
    below: int | None = None


class Track(Enum):
    PLAN = "plan"  # the roadmap: scheduled by dependencies within a capacity
    QUICK_WIN = "quick_win"  # containment in the first weeks, beside the plan


@dataclass(frozen=True, slots=True)
class Measure:
    id: str
    dimension_id: str
    title: Text
    description: Text
    triggers: tuple[Trigger, ...]
    requires_measures: tuple[str, ...]
    requires_conditions: tuple[Condition, ...]
    effort: Effort
    impact: Effort
    duration_weeks: int
    kpis: tuple[Text, ...] = ()
    level_from: int = 1  # the level it builds from: its triggers fire only at this level or above
    level_to: int = 3  # the level it builds (to at most the target)
    track: Track = Track.PLAN


class RuleKind(Enum):
    DIMENSION_GAP = "dimension_gap"
    PATTERN = "pattern"


@dataclass(frozen=True, slots=True)
class Rule:
    """An isolated-solution rule: one capability far ahead of what it depends on."""

    id: str
    kind: RuleKind
    message: Text
    ahead: str | None = None
    behind: str | None = None
    min_gap: float | None = None
    conditions: tuple[Condition, ...] = ()


@dataclass(frozen=True, slots=True)
class ScoringSettings:
    min_coverage: float = 0.6
    max_na_share: float = 0.5


@dataclass(frozen=True, slots=True)
class QuestionnaireRef:
    """Exactly one questionnaire: where it comes from, id, version and the hash of its text.

    The only key of every cache of questionnaire-derived things and of an
    assessment's pin: two workspaces may use the same id and version with
    different texts, and neither may ever see the other's.
    """

    workspace_id: int | None  # None: shipped with the installation; else the workspace that uploaded it
    id: str
    version: str
    digest: str  # sha256 of the questionnaire's file text

    @property
    def shipped(self) -> bool:
        return self.workspace_id is None


@dataclass(frozen=True, slots=True)
class Questionnaire:
    id: str
    version: str
    languages: tuple[str, ...]
    title: Text
    description: Text
    dimensions: tuple[Dimension, ...]
    measures: tuple[Measure, ...] = ()
    rules: tuple[Rule, ...] = ()
    scoring: ScoringSettings = ScoringSettings()
    estimated_minutes: int | None = None
    source: str = ""
    digest: str = ""  # sha256 of the file text it was built from
    workspace_id: int | None = None  # None: shipped; else the workspace whose own questionnaire this is
    _questions: Mapping[str, Question] = field(init=False, repr=False, compare=False)
    _dimensions: Mapping[str, Dimension] = field(init=False, repr=False, compare=False)
    _measures: Mapping[str, Measure] = field(init=False, repr=False, compare=False)
    _groups: Mapping[str, Group] = field(init=False, repr=False, compare=False)
    _triggered: Mapping[tuple[str, str], tuple[int, ...]] = field(init=False, repr=False, compare=False)
    _position: Mapping[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        questions = {q.id: q for d in self.dimensions for q in d.questions}
        object.__setattr__(self, "_questions", MappingProxyType(questions))
        object.__setattr__(self, "_dimensions", MappingProxyType({d.id: d for d in self.dimensions}))
        object.__setattr__(self, "_measures", MappingProxyType({m.id: m for m in self.measures}))
        object.__setattr__(self, "_groups", MappingProxyType({g.id: g for d in self.dimensions for g in d.groups}))
        object.__setattr__(self, "_position", MappingProxyType({m.id: i for i, m in enumerate(self.measures)}))
        triggered: dict[tuple[str, str], list[int]] = {}
        for index, measure in enumerate(self.measures):
            for subject_ref in dict.fromkeys((t.subject, t.ref) for t in measure.triggers):
                triggered.setdefault(subject_ref, []).append(index)
        object.__setattr__(self, "_triggered", MappingProxyType({k: tuple(v) for k, v in triggered.items()}))

    @property
    def key(self) -> tuple[str, str]:
        return (self.id, self.version)

    @property
    def ref(self) -> QuestionnaireRef:
        return QuestionnaireRef(self.workspace_id, self.id, self.version, self.digest)

    def language(self, asked: str | None) -> str:
        """`asked` if the questionnaire has texts in it, else its first language (the one fallback rule)."""
        return asked if asked in self.languages else self.languages[0]

    def questions(self) -> Iterator[Question]:
        """Iterate over all questions in questionnaire order."""
        for dimension in self.dimensions:
            yield from dimension.questions

    def question(self, question_id: str) -> Question:
        return self._questions[question_id]

    def has_question(self, question_id: str) -> bool:
        return question_id in self._questions

    def dimension(self, dimension_id: str) -> Dimension:
        return self._dimensions[dimension_id]

    def measure(self, measure_id: str) -> Measure:
        return self._measures[measure_id]

    def in_catalog_order(self, measure_ids: Iterable[str]) -> list[str]:
        """`measure_ids` (of this questionnaire) in the order its catalogue lists them."""
        return sorted(measure_ids, key=self._position.__getitem__)

    def measures_triggered_by(self, subjects: Iterable[tuple[str, str]]) -> list[Measure]:
        """The measures with a trigger on any of `subjects` ((subject, ref) pairs), in catalog order."""
        found = {index for subject_ref in subjects for index in self._triggered.get(subject_ref, ())}
        return [self.measures[index] for index in sorted(found)]

    def group(self, group_id: str) -> Group:
        return self._groups[group_id]

    @property
    def groups(self) -> tuple[Group, ...]:
        return tuple(self._groups.values())

    def rule(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)

    @property
    def question_count(self) -> int:
        return len(self._questions)

    def asked(self, role: str | None, *, short: bool = False) -> frozenset[str]:
        """The ids of the questions a respondent in `role` answers, in the short check or the full questionnaire."""
        return frozenset(q.id for q in self.questions() if q.asked_of(role, short=short))

    @property
    def has_short_check(self) -> bool:
        return any(q.short for q in self.questions())
