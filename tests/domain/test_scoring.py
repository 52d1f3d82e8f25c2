"""Scoring: levels to 0-100, exclusions, coverage, balance, several respondents."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assess.domain.answers import Answer, Response
from assess.domain.levels import reached_level
from assess.domain.scoring import score_responses


def response(role: str | None = None, **values: int | str) -> Response:
    return Response({k.replace("_", "."): Answer(v) for k, v in values.items()}, role=role)


def answers(**values: int | str) -> dict[str, Answer]:
    return {k: Answer(v) for k, v in values.items()}


def test_levels_map_to_0_100_with_weighted_means(mini) -> None:
    card = score_responses(mini, [Response(answers(**{"ch.booking": 5, "ch.chat": 2}))])
    channels = card.dimension("channels")
    assert channels.score == pytest.approx((100 * 2 + 25 * 1) / 3)
    assert channels.level == pytest.approx(1 + channels.score / 25)
    assert [(c.question_id, c.weight, round(c.share, 3)) for c in channels.contributions] == [
        ("ch.booking", 2, 0.667), ("ch.chat", 1, 0.333)]


def test_dont_know_and_na_are_excluded_not_zero(mini) -> None:
    card = score_responses(mini, [Response({"ch.booking": Answer(4), "ch.chat": Answer("na", reason="no chat")})])
    channels = card.dimension("channels")
    assert channels.score == 75.0  # only the answered question counts
    assert channels.na_share == pytest.approx(1 / 3)
    assert channels.coverage == 1.0  # n/a leaves the applicable weight
    card = score_responses(mini, [Response(answers(**{"ch.booking": 4, "ch.chat": "dont_know"}))])
    channels = card.dimension("channels")
    assert channels.score == 75.0
    assert channels.coverage == pytest.approx(2 / 3)
    assert channels.dont_know_share == pytest.approx(1 / 3)


def test_too_little_coverage_gives_no_number(mini) -> None:
    card = score_responses(mini, [Response(answers(**{"ch.booking": "dont_know", "ch.chat": 5}))])
    channels = card.dimension("channels")
    assert channels.coverage == pytest.approx(1 / 3)
    assert not channels.reliable and channels.score is None and channels.level is None
    assert channels.computed_score == 100.0  # still explainable
    assert "channels" in card.overall.excluded


def test_too_many_not_applicable_is_not_reliable(mini, tmp_path) -> None:
    card = score_responses(mini, [Response({"ch.booking": Answer(3), "ch.chat": Answer("na")})])
    assert card.dimension("channels").reliable  # 1/3 n/a is within 50 %
    from assess.catalog import parse_questionnaire
    from tests.conftest import FIXTURES
    strict = parse_questionnaire(
        (FIXTURES / "mini.yaml").read_text().replace("default_target: 4", "default_target: 4\nscoring: {max_na_share: 0.2}"),
        "strict.yaml")
    card = score_responses(strict, [Response({"ch.booking": Answer(3), "ch.chat": Answer("na")})])
    assert not card.dimension("channels").reliable


def test_overall_is_weighted_mean_of_reliable_dimensions(mini) -> None:
    card = score_responses(mini, [Response(answers(**{
        "ch.booking": 5, "ch.chat": 5, "proc.handover": 1, "proc.map": 1, "data.master": 3}))])
    # channels 100 (w1), processes 0 (w2), data 50 (w1)
    assert card.overall.score == pytest.approx((100 + 0 + 50) / 4)
    assert card.overall.reached_level == 2
    assert card.overall.coverage == 1.0


def test_balance_separates_one_shining_dimension_from_even_maturity(mini) -> None:
    even = score_responses(mini, [Response(answers(**{
        "ch.booking": 3, "ch.chat": 3, "proc.handover": 3, "proc.map": 3, "data.master": 3}))])
    lopsided = score_responses(mini, [Response(answers(**{
        "ch.booking": 5, "ch.chat": 5, "proc.handover": 1, "proc.map": 2, "data.master": 2}))])
    assert even.overall.balance == 100.0
    assert lopsided.overall.balance is not None and lopsided.overall.balance < 40
    assert lopsided.overall.score == pytest.approx((100 + 12.5 * 2 + 25) / 4)


def test_reached_level_does_not_round_up() -> None:
    assert reached_level(49.0) == 2
    assert reached_level(50.0) == 3
    assert reached_level(100.0) == 5
    assert reached_level(0.0) == 1


def test_several_respondents_give_spread_and_disagreements(mini) -> None:
    responses = [
        Response(answers(**{"ch.booking": 1, "ch.chat": 3}), role="executive"),
        Response(answers(**{"ch.booking": 4, "ch.chat": 3}), role="service_staff"),
        Response(answers(**{"ch.booking": 2, "ch.chat": "dont_know"}), role="it"),
    ]
    card = score_responses(mini, responses)
    booking = card.questions["ch.booking"]
    assert booking.level == pytest.approx(7 / 3)
    assert (booking.stats.min, booking.stats.max, booking.stats.median, booking.stats.spread) == (1, 4, 2, 3)
    assert booking.disagreement
    assert not card.questions["ch.chat"].disagreement
    assert [q.question_id for q in card.disagreements] == ["ch.booking"]
    assert card.dimension("channels").respondent_scores.n == 3
    assert card.questions["ch.chat"].answered_share == pytest.approx(2 / 3)


def test_consensus_replaces_the_mean_but_keeps_the_distribution(mini) -> None:
    responses = [Response(answers(**{"ch.booking": 1})), Response(answers(**{"ch.booking": 5}))]
    card = score_responses(mini, responses, consensus={"ch.booking": 2})
    booking = card.questions["ch.booking"]
    assert booking.level == 2 and booking.consensus and booking.stats.spread == 4


def test_targets_override_the_questionnaire(mini) -> None:
    card = score_responses(mini, [], targets={"channels": 5})
    assert card.dimension("channels").target == 5
    assert card.dimension("processes").target == 3


# -- properties ------------------------------------------------------------

VALUES = st.sampled_from([1, 2, 3, 4, 5, "dont_know", "na"])
QUESTIONS = ["ch.booking", "ch.chat", "proc.handover", "proc.map", "data.master"]


def _valid(mini, values: dict[str, int | str]) -> dict[str, Answer]:
    return {q: Answer(v) for q, v in values.items() if v != "na" or mini.question(q).allow_na}


answer_sets = st.dictionaries(st.sampled_from(QUESTIONS), VALUES)


def _numbers(card) -> list[float]:
    out = [d.score for d in card.dimensions if d.score is not None]
    out += [q.score for q in card.questions.values() if q.score is not None]
    return out + ([card.overall.score] if card.overall.score is not None else [])


@settings(max_examples=150, deadline=None)
@given(st.lists(answer_sets, min_size=1, max_size=6))
def test_scores_stay_in_range(mini, sets) -> None:
    card = score_responses(mini, [Response(_valid(mini, s)) for s in sets])
    assert all(0 <= n <= 100 for n in _numbers(card))
    assert card.overall.balance is None or 0 <= card.overall.balance <= 100
    assert all(0 <= d.coverage <= 1 and 0 <= d.na_share <= 1 for d in card.dimensions)


@settings(max_examples=150, deadline=None)
@given(st.lists(answer_sets, min_size=1, max_size=4), st.data())
def test_raising_one_answer_never_lowers_any_score(mini, sets, data) -> None:
    responses = [Response(_valid(mini, s)) for s in sets]
    who = data.draw(st.integers(0, len(responses) - 1))
    raisable = [q for q, a in responses[who].answers.items() if a.level is not None and a.level < 5]
    if not raisable:
        return
    question = data.draw(st.sampled_from(sorted(raisable)))
    new_level = data.draw(st.integers(responses[who].answers[question].level + 1, 5))
    raised = list(responses)
    raised[who] = Response({**responses[who].answers, question: Answer(new_level)})
    before, after = score_responses(mini, responses), score_responses(mini, raised)
    for b, a in zip(before.dimensions, after.dimensions, strict=True):
        assert (b.score is None) == (a.score is None)
        assert b.score is None or a.score >= b.score - 1e-9
    assert before.overall.score is None or after.overall.score >= before.overall.score - 1e-9
    for qid, b in before.questions.items():
        assert b.level is None or after.questions[qid].level >= b.level


@settings(max_examples=100, deadline=None)
@given(st.lists(answer_sets, min_size=2, max_size=6), st.randoms(use_true_random=False))
def test_order_of_respondents_does_not_matter(mini, sets, random) -> None:
    responses = [Response(_valid(mini, s)) for s in sets]
    shuffled = list(responses)
    random.shuffle(shuffled)
    assert score_responses(mini, responses) == score_responses(mini, shuffled)


def test_the_balance_index_weighs_dimensions_as_the_overall_index_does(mini) -> None:
    """Channels 100 (weight 1), processes 50 (weight 2), data 100 (weight 1): the weighted mean is 75 and the
    weighted standard deviation 25, so the balance is 50 (the unweighted spread would give 52.9)."""
    card = score_responses(mini, [Response(answers(**{
        "ch.booking": 5, "ch.chat": 5, "proc.handover": 3, "proc.map": 3, "data.master": 5}))])
    assert card.overall.score == pytest.approx(75.0)
    assert card.overall.balance == pytest.approx(50.0)


def test_a_dimension_at_exactly_the_minimum_coverage_is_scored() -> None:
    """min_coverage 0.6: answering the question of weight 3 of 3 + 2 covers exactly 60 %, which is enough."""
    from tests.domain.test_roadmap import ENGINE

    at_limit = score_responses(ENGINE, [Response(answers(**{"s.sponsor": 4}))])
    assert at_limit.dimension("strat").coverage == pytest.approx(0.6)
    assert at_limit.dimension("strat").reliable and at_limit.dimension("strat").score == 75.0
    below = score_responses(ENGINE, [Response(answers(**{"s.plan": 4}))])  # 40 %
    assert not below.dimension("strat").reliable


def test_two_levels_apart_is_a_disagreement_one_is_not(mini) -> None:
    two = score_responses(mini, [Response(answers(**{"ch.booking": 2})), Response(answers(**{"ch.booking": 4}))])
    one = score_responses(mini, [Response(answers(**{"ch.booking": 2})), Response(answers(**{"ch.booking": 3}))])
    assert two.questions["ch.booking"].disagreement and [q.question_id for q in two.disagreements] == ["ch.booking"]
    assert not one.questions["ch.booking"].disagreement and one.disagreements == []


def test_two_camps_are_a_split_not_a_middle(mini) -> None:
    split = score_responses(mini, [Response(answers(**{"ch.booking": 4})), Response(answers(**{"ch.booking": 1}))])
    assert split.questions["ch.booking"].split and split.questions["ch.booking"].level == 2.5
    spread = score_responses(mini, [Response(answers(**{"ch.booking": v})) for v in (2, 3, 4)])
    assert not spread.questions["ch.booking"].split  # a spread of views, no camps


def test_half_not_applicable_is_still_reliable_more_is_not() -> None:
    """Data has four questions: two "not applicable" is exactly the 50 % a dimension may have; three is too many."""
    from tests.domain.test_roadmap import ALL_FIVE, ENGINE

    half = score_responses(ENGINE, [Response({**{q: Answer(v) for q, v in ALL_FIVE.items()},
                                              "d.basis": Answer("na"), "d.contracts": Answer("na")})])
    assert half.dimension("data").reliable
    more = score_responses(ENGINE, [Response({**{q: Answer(v) for q, v in ALL_FIVE.items()},
                                              "d.basis": Answer("na"), "d.contracts": Answer("na"),
                                              "d.owner": Answer("na")})])
    assert not more.dimension("data").reliable
