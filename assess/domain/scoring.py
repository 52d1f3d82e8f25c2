"""Scoring: answers -> question, dimension and overall results with their reasons.

The method, in plain words (also shown in the report):

* A level 1..5 maps onto 0..100 (1 -> 0, 2 -> 25, ... 5 -> 100). "Don't know"
  and "not applicable" are left out, never counted as zero.
* With several respondents a question's level is the mean of the levels given;
  a consensus level agreed in a workshop replaces that mean.
* A dimension's score is the weighted mean of its answered questions.
  Coverage is the answered share of the applicable question weight; a dimension
  below the questionnaire's minimum coverage, or with too many "not applicable"
  answers, is marked not reliably scored and gets no number.
* The overall index is the weighted mean of the reliably scored dimensions.
* The balance index is 100 - 2 x the weighted standard deviation of the
  dimension scores (floored at 0): 100 when all dimensions are equally mature,
  lower the further they drift apart.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

from assess.domain.answers import Response
from assess.domain.levels import MAX_LEVEL, level_to_score, reached_level, score_to_level
from assess.domain.questionnaire import Dimension, Questionnaire
from assess.domain.stats import Stats, is_split, summarize

DISAGREEMENT_LEVELS = 2  # respondents this many levels apart disagree


@dataclass(frozen=True, slots=True)
class QuestionResult:
    question_id: str
    dimension_id: str
    weight: float
    level: float | None  # mean level (or consensus), None when nobody gave one
    respondents: int
    levels_given: int
    dont_know: int
    not_applicable: int
    stats: Stats | None
    consensus: bool = False
    split: bool = False  # the levels given form two camps (see stats.is_split): show them, not the mean

    @property
    def score(self) -> float | None:
        return None if self.level is None else level_to_score(self.level)

    @property
    def answered_share(self) -> float:
        """Share of the respondents to whom the question applies who gave a level."""
        applicable = self.respondents - self.not_applicable
        if self.consensus:
            return 1.0
        return self.levels_given / applicable if applicable else 0.0

    @property
    def na_share(self) -> float:
        return self.not_applicable / self.respondents if self.respondents else 0.0

    @property
    def disagreement(self) -> bool:
        return self.stats is not None and self.stats.spread >= DISAGREEMENT_LEVELS


@dataclass(frozen=True, slots=True)
class Contribution:
    """One answered question's part in a dimension score ("why this score")."""

    question_id: str
    level: float
    score: float
    weight: float
    share: float  # weight / total answered weight of the dimension


@dataclass(frozen=True, slots=True)
class DimensionResult:
    dimension_id: str
    weight: float
    target: int
    score: float | None  # None when not reliably scored
    computed_score: float | None  # the weighted mean even when unreliable, for "why"
    coverage: float
    na_share: float
    dont_know_share: float
    reliable: bool
    answered: int
    questions: int
    contributions: tuple[Contribution, ...]
    respondent_scores: Stats | None  # spread of per-respondent dimension scores

    @property
    def level(self) -> float | None:
        return None if self.score is None else score_to_level(self.score)

    @property
    def reached_level(self) -> int | None:
        return None if self.score is None else reached_level(self.score)

    @property
    def gap(self) -> float | None:
        """Levels missing to the target (0 when reached)."""
        level = self.level
        return None if level is None else max(0.0, self.target - level)


@dataclass(frozen=True, slots=True)
class GroupResult:
    """A named group of questions inside a dimension, scored like a small dimension."""

    group_id: str
    dimension_id: str
    level: float | None  # weighted mean of the answered questions' levels; None when below the coverage minimum
    coverage: float
    weakest: tuple[str, ...]  # the group's questions at its lowest answered level


@dataclass(frozen=True, slots=True)
class OverallResult:
    score: float | None
    balance: float | None
    coverage: float  # share of dimension weight that is reliably scored
    na_share: float
    excluded: tuple[str, ...]  # dimensions left out as not reliably scored

    @property
    def level(self) -> float | None:
        return None if self.score is None else score_to_level(self.score)

    @property
    def reached_level(self) -> int | None:
        return None if self.score is None else reached_level(self.score)


@dataclass(frozen=True, slots=True)
class ScoreCard:
    questionnaire_id: str
    questionnaire_version: str
    respondents: int
    overall: OverallResult
    dimensions: tuple[DimensionResult, ...]
    questions: Mapping[str, QuestionResult]
    groups: Mapping[str, GroupResult] = field(default_factory=dict)

    def dimension(self, dimension_id: str) -> DimensionResult:
        return next(d for d in self.dimensions if d.dimension_id == dimension_id)

    def group_level(self, group_id: str) -> float | None:
        result = self.groups.get(group_id)
        return None if result is None else result.level

    def question_level(self, question_id: str) -> float | None:
        result = self.questions.get(question_id)
        return None if result is None else result.level

    def dimension_level(self, dimension_id: str) -> float | None:
        return self.dimension(dimension_id).level

    @property
    def disagreements(self) -> list[QuestionResult]:
        """Questions where respondents are two levels or more apart, widest first."""
        found = [q for q in self.questions.values() if q.disagreement]
        return sorted(found, key=lambda q: (-(q.stats.spread if q.stats else 0), q.question_id))


def _weighted_mean(pairs: Sequence[tuple[float, float]]) -> float | None:
    total = math.fsum(w for _, w in pairs)
    return math.fsum(v * w for v, w in pairs) / total if total else None


@dataclass(slots=True)
class _Counts:
    """What the respondents gave for one question: levels, "don't know" and "not applicable"."""

    levels: list[int] = field(default_factory=list)
    dont_know: int = 0
    na: int = 0
    asked: int | None = None  # respondents asked this question (None: every respondent counted)


@dataclass(slots=True)
class Tally:
    """One pass over every answer: counts per question, for everyone and per role, and each respondent's
    dimension scores (the spread between respondents). Scoring and the role results read only this."""

    respondents: int
    counts: dict[str, _Counts]
    by_role: dict[str, tuple[int, dict[str, _Counts]]]  # role -> (respondents, counts)
    respondent_scores: dict[str, list[float]]  # dimension id -> one score per respondent who answered it


def _count_asked(asked: frozenset[str], index: Mapping[str, int], respondents: list[int], counts: list[int]) -> None:
    """One respondent asked only the questions `asked`: counted apart (respondents[1]) and per question."""
    respondents[1] += 1
    for question_id in asked:
        if (i := index.get(question_id)) is not None:
            counts[i] += 1


def tally(questionnaire: Questionnaire, responses: Sequence[Response]) -> Tally:
    """Count every answer once (order-independent: sums are exact, see stats.summarize).

    The hot loop of a large assessment: counts are kept per role only (the totals are their sum), and each
    question's weighted score per level is looked up, not computed.
    """
    questions = list(questionnaire.questions())
    index = {q.id: i for i, q in enumerate(questions)}
    dimension_of = [q.dimension_id for q in questions]
    weighted = [tuple(level_to_score(level) * q.weight for level in range(MAX_LEVEL + 1)) for q in questions]
    weights = [q.weight for q in questions]
    # per role: respondents, levels, don't know, n/a, and how many respondents asked only some questions were
    # asked each one (a role's or the short check's questions: see Response.asked)
    roles: dict[str, tuple[list[int], list[list[int]], list[int], list[int], list[int]]] = {}
    spread: dict[str, list[float]] = {d.id: [] for d in questionnaire.dimensions}
    partly = False
    for response in responses:
        role = response.role or "other"
        found = roles.get(role)
        if found is None:
            found = roles[role] = ([0, 0], [[] for _ in questions], [0] * len(questions), [0] * len(questions),
                                   [0] * len(questions))
        found[0][0] += 1
        if response.asked is not None:
            partly = True
            _count_asked(response.asked, index, found[0], found[4])
        levels, dont_know, na = found[1], found[2], found[3]
        terms: dict[str, tuple[list[float], list[float]]] = {}
        asked = response.asked
        for question_id, answer in response.answers.items():
            i = index.get(question_id)
            if i is None or (asked is not None and question_id not in asked):
                continue  # not in the questionnaire, or never put to this respondent
            value = answer.value
            if value.__class__ is int:
                levels[i].append(value)
                scores, weight_list = terms.get(dimension_of[i]) or terms.setdefault(dimension_of[i], ([], []))
                scores.append(weighted[i][value])
                weight_list.append(weights[i])
            elif value == "dont_know":
                dont_know[i] += 1
            else:
                na[i] += 1
        for dimension, (scores, weight_list) in terms.items():
            spread[dimension].append(math.fsum(scores) / math.fsum(weight_list))
    by_role = {role: (n[0], {q.id: _Counts(levels[i], dk[i], na[i], n[0] - n[1] + asked[i] if partly else None)
                             for i, q in enumerate(questions)})
               for role, (n, levels, dk, na, asked) in roles.items()}
    counts = {q.id: _Counts([level for _n, c in by_role.values() for level in c[q.id].levels],
                            sum(c[q.id].dont_know for _n, c in by_role.values()),
                            sum(c[q.id].na for _n, c in by_role.values()),
                            sum(c[q.id].asked or 0 for _n, c in by_role.values()) if partly else None)
              for q in questions}
    return Tally(len(responses), counts, by_role, spread)


def _question_results(questionnaire: Questionnaire, counts: Mapping[str, _Counts], respondents: int,
                      consensus: Mapping[str, int], *, with_stats: bool = True) -> dict[str, QuestionResult]:
    results: dict[str, QuestionResult] = {}
    for question in questionnaire.questions():
        found = counts[question.id]
        agreed = consensus.get(question.id)
        if with_stats:
            stats = summarize(found.levels)
            mean = stats.mean if stats else None
        else:  # the role results need the level, not the spread
            stats, mean = None, (math.fsum(found.levels) / len(found.levels) if found.levels else None)
        level = float(agreed) if agreed is not None else mean
        asked = respondents if found.asked is None else found.asked
        results[question.id] = QuestionResult(
            question.id, question.dimension_id, question.weight, level, asked, len(found.levels),
            found.dont_know, found.na, stats, consensus=agreed is not None,
            split=with_stats and is_split(found.levels),
        )
    return results


def _asked(results: list[QuestionResult]) -> list[QuestionResult]:
    """The questions somebody was asked (or the room agreed on): one nobody was asked neither counts for the
    score nor against its coverage. All of them when nobody was asked anything (no answers yet)."""
    asked = [r for r in results if r.respondents or r.consensus]
    return asked or results


def _dimension_result(
    questionnaire: Questionnaire,
    dimension: Dimension,
    questions: Mapping[str, QuestionResult],
    spread: Sequence[float] | None,
    target: int,
) -> DimensionResult:
    results = _asked([questions[q.id] for q in dimension.questions])
    total_weight = math.fsum(r.weight for r in results)
    applicable = math.fsum(r.weight * (1 - r.na_share) for r in results)
    covered = math.fsum(r.weight * r.answered_share * (1 - r.na_share) for r in results)
    dont_know = math.fsum(
        r.weight * (r.dont_know / r.respondents if r.respondents else 0) for r in results
    )
    answered = [r for r in results if r.level is not None]
    answered_weight = math.fsum(r.weight for r in answered)
    contributions = tuple(
        Contribution(r.question_id, r.level, level_to_score(r.level), r.weight, r.weight / answered_weight)
        for r in answered
        if r.level is not None
    )
    computed = _weighted_mean([(c.score, c.weight) for c in contributions])
    coverage = covered / applicable if applicable else 0.0
    na_share = math.fsum(r.weight * r.na_share for r in results) / total_weight
    settings = questionnaire.scoring
    # A tiny tolerance so 0.6 computed as 0.59999999 still counts as 60 %.
    reliable = (
        computed is not None
        and coverage + 1e-9 >= settings.min_coverage
        and na_share <= settings.max_na_share + 1e-9
    )
    return DimensionResult(
        dimension.id, dimension.weight, target, computed if reliable else None, computed,
        coverage, na_share, dont_know / total_weight, reliable, len(answered), len(results),
        contributions, summarize(spread) if spread is not None else None,
    )


def _group_results(questionnaire: Questionnaire, questions: Mapping[str, QuestionResult]) -> dict[str, GroupResult]:
    results = {}
    for group in questionnaire.groups:
        members = _asked([questions[q] for q in group.question_ids])
        applicable = math.fsum(r.weight * (1 - r.na_share) for r in members)
        covered = math.fsum(r.weight * r.answered_share * (1 - r.na_share) for r in members)
        coverage = covered / applicable if applicable else 0.0
        answered = [(r.level, r.weight) for r in members if r.level is not None]
        level = _weighted_mean(answered) if coverage + 1e-9 >= questionnaire.scoring.min_coverage else None
        lowest = min((lv for lv, _ in answered), default=None)
        weakest = tuple(r.question_id for r in members if lowest is not None and r.level == lowest)
        results[group.id] = GroupResult(group.id, group.dimension_id, level, coverage, weakest)
    return results


def _overall(questionnaire: Questionnaire, dimensions: Sequence[DimensionResult]) -> OverallResult:
    scored = [(d.score, d.weight) for d in dimensions if d.score is not None]
    total_weight = math.fsum(d.weight for d in dimensions)
    score = _weighted_mean(scored)
    balance = None
    if score is not None and len(scored) >= 2:
        variance = _weighted_mean([((s - score) ** 2, w) for s, w in scored]) or 0.0
        balance = max(0.0, 100.0 - 2.0 * math.sqrt(variance))
    return OverallResult(
        score=score,
        balance=balance,
        coverage=math.fsum(w for _, w in scored) / total_weight if total_weight else 0.0,
        na_share=math.fsum(d.na_share * d.weight for d in dimensions) / total_weight if total_weight else 0.0,
        excluded=tuple(d.dimension_id for d in dimensions if d.score is None),
    )


def score_responses(
    questionnaire: Questionnaire,
    responses: Sequence[Response],
    *,
    targets: Mapping[str, int] | None = None,
    consensus: Mapping[str, int] | None = None,
    counted: Tally | None = None,
) -> ScoreCard:
    """Score one or several respondents' answers against `questionnaire` (`counted`: their tally, if made already)."""
    counted = counted or tally(questionnaire, responses)
    targets = targets or {}
    questions = _question_results(questionnaire, counted.counts, counted.respondents, consensus or {})
    several = counted.respondents >= 2
    dimensions = tuple(
        _dimension_result(questionnaire, d, questions, counted.respondent_scores[d.id] if several else None,
                          targets.get(d.id, d.target))
        for d in questionnaire.dimensions
    )
    return ScoreCard(
        questionnaire.id, questionnaire.version, counted.respondents,
        _overall(questionnaire, dimensions), dimensions, questions, _group_results(questionnaire, questions),
    )


def score_roles(questionnaire: Questionnaire, counted: Tally, targets: Mapping[str, int],
                only: Collection[str] | None = None) -> dict[str, ScoreCard]:
    """Each role's respondents scored on their own (levels and dimensions; no spread, no groups); `only`: the
    dimensions scored on these questions alone (what several roles were all asked)."""
    cards = {}
    kept = questionnaire.dimensions if only is None else tuple(
        replace(d, questions=tuple(q for q in d.questions if q.id in only)) for d in questionnaire.dimensions)
    for role, (respondents, counts) in counted.by_role.items():
        questions = _question_results(questionnaire, counts, respondents, {}, with_stats=False)
        dimensions = tuple(_dimension_result(questionnaire, d, questions, None, targets.get(d.id, d.target))
                           for d in kept if d.questions)
        cards[role] = ScoreCard(questionnaire.id, questionnaire.version, respondents,
                                _overall(questionnaire, dimensions), dimensions, questions)
    return cards
