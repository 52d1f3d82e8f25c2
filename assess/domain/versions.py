"""What two versions of a questionnaire have in common: which questions and dimensions can be compared, and how.

A newer questionnaire keeps a mapping from an older version (`compares_with` in its file, built by the
catalog into a `VersionMapping`). `compare_versions` turns the two questionnaires and that mapping into
facts: per question whether it is comparable (same, renamed, split, merged) or not (new, dropped, level
meaning changed), per dimension whether its score can be compared. The rule for what the mapping does not
name: an id in both versions is the same question (or dimension); an id only in the old one is dropped,
one only in the new one is new.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType

from assess.domain.questionnaire import Dimension, Questionnaire


class LinkKind(Enum):
    """How a mapping entry links old questions to new ones (as written in the file)."""

    SAME = "same"  # one to one: the same question, perhaps renamed or reworded; its levels mean the same
    SPLIT = "split"  # one old question became several new ones
    MERGED = "merged"  # several old questions became one new one
    CHANGED = "changed"  # one to one, but the levels mean something else now: not comparable
    NEW = "new"  # new questions without a predecessor
    DROPPED = "dropped"  # old questions without a successor


@dataclass(frozen=True, slots=True)
class QuestionLink:
    kind: LinkKind
    old: tuple[str, ...] = ()
    new: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class VersionMapping:
    """The mapping a questionnaire keeps from one of its older versions."""

    version: str  # the older version
    questions: tuple[QuestionLink, ...] = ()
    dimensions: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # old id -> new id


class Match(Enum):
    """How one question (or a few) of the new version compares with the old one."""

    SAME = "same"
    RENAMED = "renamed"
    SPLIT = "split"
    MERGED = "merged"
    CHANGED = "changed"  # level meaning changed
    NEW = "new"
    DROPPED = "dropped"

    @property
    def comparable(self) -> bool:
        return self in _COMPARABLE


_COMPARABLE = frozenset({Match.SAME, Match.RENAMED, Match.SPLIT, Match.MERGED})


@dataclass(frozen=True, slots=True)
class QuestionMatch:
    match: Match
    old: tuple[str, ...]  # question ids of the old version (none for a new question)
    new: tuple[str, ...]  # question ids of the new version (none for a dropped question)

    @property
    def comparable(self) -> bool:
        return self.match.comparable


class DimensionStatus(Enum):
    COMPARABLE = "comparable"  # every question on either side is comparable
    CHANGED = "changed"  # most are: the score is compared, and the change says which are not
    NOT_COMPARABLE = "not_comparable"  # the questions changed substantially: no score change is given
    NEW = "new"
    DROPPED = "dropped"

    @property
    def comparable(self) -> bool:
        return self in (DimensionStatus.COMPARABLE, DimensionStatus.CHANGED)


# Below this share of a dimension's question weight comparable (on the weaker side) its questions changed
# substantially, and its score is not compared: a quarter of new content moves a mean further than a real change.
COMPARABLE_SHARE = 0.75


@dataclass(frozen=True, slots=True)
class DimensionMatch:
    status: DimensionStatus
    old: str | None  # the dimension id in the old version
    new: str | None  # in the new version
    share: float  # the comparable share of the question weight, the lower of both sides (0 for new, dropped)
    not_comparable: tuple[QuestionMatch, ...] = ()  # the matches of its questions that are not comparable


@dataclass(frozen=True, slots=True)
class VersionComparison:
    old_version: str
    new_version: str
    questions: tuple[QuestionMatch, ...]
    dimensions: tuple[DimensionMatch, ...]
    mapped: bool  # the new questionnaire has a mapping from the old version (else only the rule for unnamed ids)

    @property
    def identical(self) -> bool:
        """The same version: everything compares one to one."""
        return self.old_version == self.new_version

    @property
    def overall_comparable(self) -> bool:
        """Whether the overall index can be compared: every dimension on either side is comparable."""
        return all(d.status.comparable for d in self.dimensions)

    @property
    def not_comparable(self) -> tuple[QuestionMatch, ...]:
        return tuple(q for q in self.questions if not q.comparable)

    def dimension(self, new_id: str) -> DimensionMatch | None:
        return next((d for d in self.dimensions if d.new == new_id), None)


def _matches(old: Questionnaire, new: Questionnaire, mapping: VersionMapping | None) -> list[QuestionMatch]:
    """Every question of both versions in exactly one match; links naming unknown ids keep only the known ones."""
    named_old: set[str] = set()
    named_new: set[str] = set()
    out: list[QuestionMatch] = []
    for link in mapping.questions if mapping else ():
        olds = tuple(q for q in link.old if old.has_question(q) and q not in named_old)
        news = tuple(q for q in link.new if new.has_question(q) and q not in named_new)
        named_old.update(olds)
        named_new.update(news)
        out += _link_matches(link.kind, olds, news)
    for question in new.questions():
        if question.id in named_new:
            continue
        if old.has_question(question.id) and question.id not in named_old:
            named_old.add(question.id)
            out.append(QuestionMatch(Match.SAME, (question.id,), (question.id,)))
        else:
            out.append(QuestionMatch(Match.NEW, (), (question.id,)))
    out += [QuestionMatch(Match.DROPPED, (q.id,), ()) for q in old.questions() if q.id not in named_old]
    return out


def _link_matches(kind: LinkKind, olds: tuple[str, ...], news: tuple[str, ...]) -> list[QuestionMatch]:
    if kind in (LinkKind.NEW, LinkKind.DROPPED) or not olds or not news:
        return [*(QuestionMatch(Match.DROPPED, (q,), ()) for q in olds), *(QuestionMatch(Match.NEW, (), (q,)) for q in news)]
    if kind is LinkKind.CHANGED:
        return [QuestionMatch(Match.CHANGED, olds, news)]
    if len(olds) == 1 and len(news) == 1:
        return [QuestionMatch(Match.SAME if olds == news else Match.RENAMED, olds, news)]
    return [QuestionMatch(Match.SPLIT if len(olds) == 1 else Match.MERGED, olds, news)]


def _weight(dimension: Dimension, ids: set[str]) -> float:
    return sum(q.weight for q in dimension.questions if q.id in ids)


def _dimension_match(old: Questionnaire, new: Questionnaire, old_id: str, new_id: str,
                     matches: list[QuestionMatch]) -> DimensionMatch:
    before, now = old.dimension(old_id), new.dimension(new_id)
    old_own = {q.id for q in before.questions}
    new_own = {q.id for q in now.questions}
    comparable_old: set[str] = set()
    comparable_new: set[str] = set()
    touching = []
    for m in matches:
        if not (old_own.intersection(m.old) or new_own.intersection(m.new)):
            continue
        # a question that moved to another dimension is comparable as a question, not as part of this score
        if m.comparable and old_own.issuperset(m.old) and new_own.issuperset(m.new):
            comparable_old.update(m.old)
            comparable_new.update(m.new)
        else:
            touching.append(m)
    share = min(_weight(before, comparable_old) / sum(q.weight for q in before.questions),
                _weight(now, comparable_new) / sum(q.weight for q in now.questions))
    if not touching:
        status = DimensionStatus.COMPARABLE
    else:
        status = DimensionStatus.CHANGED if share >= COMPARABLE_SHARE else DimensionStatus.NOT_COMPARABLE
    return DimensionMatch(status, old_id, new_id, round(share, 3), tuple(touching))


def compare_versions(old: Questionnaire, new: Questionnaire, mapping: VersionMapping | None = None) -> VersionComparison:
    """What an assessment on `new` can compare with one on `old`, per question and per dimension.

    `mapping` is `new`'s mapping from `old`'s version (None: none is kept; ids present in both then count as
    the same question, which is what two versions with unchanged questions need).
    """
    matches = _matches(old, new, mapping)
    renamed = dict(mapping.dimensions) if mapping else {}
    successor = {d.id: renamed.get(d.id, d.id) for d in old.dimensions}
    successor = {o: n for o, n in successor.items() if any(d.id == n for d in new.dimensions)}
    predecessor = {n: o for o, n in successor.items()}
    dimensions = []
    for dimension in new.dimensions:
        old_id = predecessor.get(dimension.id)
        if old_id is None:
            dimensions.append(DimensionMatch(DimensionStatus.NEW, None, dimension.id, 0.0))
        else:
            dimensions.append(_dimension_match(old, new, old_id, dimension.id, matches))
    dimensions += [DimensionMatch(DimensionStatus.DROPPED, d.id, None, 0.0) for d in old.dimensions
                   if d.id not in successor]
    return VersionComparison(old.version, new.version, tuple(matches), tuple(dimensions), mapping is not None)
