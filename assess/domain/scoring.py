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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assess.domain.answers import Response
from assess.domain.levels import level_to_score, reached_level, score_to_level
from assess.domain.questionnaire import Dimension, Questionnaire
from assess.domain.stats import Stats, summarize

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

    def dimension(self, dimension_id: str) -> DimensionResult:
        return next(d for d in self.dimensions if d.dimension_id == dimension_id)

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


def _question_results(
    questionnaire: Questionnaire,
    responses: Sequence[Response],
    consensus: Mapping[str, int],
) -> dict[str, QuestionResult]:
    results: dict[str, QuestionResult] = {}
    n = len(responses)
    for question in questionnaire.questions():
        levels: list[float] = []
        dont_know = na = 0
        for response in responses:
            answer = response.answers.get(question.id)
            if answer is None:
                continue
            if answer.is_na:
                na += 1
            elif answer.is_dont_know:
                dont_know += 1
            else:
                levels.append(answer.value)  # type: ignore[arg-type]
        stats = summarize(levels)
        agreed = consensus.get(question.id)
        level = float(agreed) if agreed is not None else (stats.mean if stats else None)
        results[question.id] = QuestionResult(
            question.id, question.dimension_id, question.weight, level, n,
            len(levels), dont_know, na, stats, consensus=agreed is not None,
        )
    return results


def _respondent_dimension_scores(dimension: Dimension, responses: Sequence[Response]) -> Stats | None:
    if len(responses) < 2:
        return None
    scores = []
    for response in responses:
        pairs = [
            (level_to_score(a.value), q.weight)  # type: ignore[arg-type]
            for q in dimension.questions
            if (a := response.answers.get(q.id)) is not None and a.level is not None
        ]
        mean = _weighted_mean(pairs)
        if mean is not None:
            scores.append(mean)
    return summarize(scores)


def _dimension_result(
    questionnaire: Questionnaire,
    dimension: Dimension,
    questions: Mapping[str, QuestionResult],
    responses: Sequence[Response],
    target: int,
) -> DimensionResult:
    results = [questions[q.id] for q in dimension.questions]
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
        contributions, _respondent_dimension_scores(dimension, responses),
    )


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
        coverage=math.fsum(w for _, w in scored) / total_weight,
        na_share=math.fsum(d.na_share * d.weight for d in dimensions) / total_weight,
        excluded=tuple(d.dimension_id for d in dimensions if d.score is None),
    )


def score_responses(
    questionnaire: Questionnaire,
    responses: Sequence[Response],
    *,
    targets: Mapping[str, int] | None = None,
    consensus: Mapping[str, int] | None = None,
) -> ScoreCard:
    """Score one or several respondents' answers against `questionnaire`."""
    targets = targets or {}
    questions = _question_results(questionnaire, responses, consensus or {})
    dimensions = tuple(
        _dimension_result(questionnaire, d, questions, responses, targets.get(d.id, d.target))
        for d in questionnaire.dimensions
    )
    return ScoreCard(
        questionnaire.id, questionnaire.version, len(responses),
        _overall(questionnaire, dimensions), dimensions, questions,
    )
