"""Several respondents, by role: the perception gap, "don't know" findings and the workshop agenda at their
boundaries (tests/fixtures/engine/engine.yaml: every channel question weighs 1; data has four questions)."""

from __future__ import annotations

from assess.domain.answers import Answer, Response
from assess.domain.evaluation import Evaluation, evaluate
from assess.domain.stats import is_split
from tests.domain.test_roadmap import ALL_FIVE, ENGINE


def respondent(role: str, **values: int | str) -> Response:
    return Response({q: Answer(v) for q, v in {**ALL_FIVE, **{k.replace("_", "."): v for k, v in values.items()}}.items()},
                    role=role)


def run(*responses: Response) -> Evaluation:
    return evaluate(ENGINE, list(responses))


def test_answers_two_levels_apart_are_two_camps() -> None:
    assert is_split([1, 3]) and is_split([4, 1]) and is_split([1, 2, 5])
    assert not is_split([1, 2]) and not is_split([2, 3, 4]) and not is_split([3, 3])


def test_a_third_of_dont_know_is_a_finding_at_exactly_thirty_percent() -> None:
    """Two service staff, five channel questions each: three "don't know" of ten is 30 %, the threshold."""
    exactly = run(respondent("service_staff", c_web="dont_know", c_chat="dont_know"),
                  respondent("service_staff", c_video="dont_know"), respondent("executive"))
    assert ("service_staff", "chan") in {(f.role, f.dimension_id) for f in exactly.findings}
    [finding] = [f for f in exactly.findings if f.dimension_id == "chan"]
    assert abs(finding.share - 0.3) < 1e-9
    below = run(respondent("service_staff", c_web="dont_know", c_chat="dont_know"), respondent("service_staff"),
                respondent("executive"))
    assert not [f for f in below.findings if f.dimension_id == "chan"]


def test_management_above_in_one_dimension_and_below_in_another_is_a_gap_in_both() -> None:
    """The index is the mean distance: +50 in channels and -50 in data do not cancel out to "no gap"."""
    ev = run(respondent("executive", **{f"c_{q}": 5 for q in ("web", "chat", "video", "phone", "visible")},
                        **{f"d_{q}": 1 for q in ("master", "owner", "basis", "contracts")}),
             respondent("service_staff", **{f"c_{q}": 3 for q in ("web", "chat", "video", "phone", "visible")},
                        **{f"d_{q}": 3 for q in ("master", "owner", "basis", "contracts")}))
    gap = ev.perception
    assert gap is not None
    assert gap.gaps["chan"] == 50.0 and gap.gaps["data"] == -50.0
    assert gap.index == 100.0 / len(gap.gaps)


def test_on_a_smaller_spread_the_question_the_roadmap_rests_on_comes_first() -> None:
    """Video 1 and 4 (the video measure rests on it) before web 1 and 5 (nothing in the plan does): the roadmap
    counts one and a half times, so 3 x 1.5 outranks 4."""
    ev = run(respondent("executive", c_video=4, c_web=5), respondent("service_staff", c_video=1, c_web=1))
    order = [item.question_id for item in ev.agenda]
    assert order.index("c.video") < order.index("c.web")
    agenda = {item.question_id: item for item in ev.agenda}
    assert agenda["c.video"].in_roadmap and not agenda["c.web"].in_roadmap
    assert agenda["c.web"].spread > agenda["c.video"].spread
