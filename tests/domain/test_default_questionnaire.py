"""The shipped questionnaire: content requirements and the cases it must catch."""

from __future__ import annotations

import json

from assess.catalog import Catalog
from assess.domain.answers import Answer, Response
from assess.domain.evaluation import evaluate
from assess.domain.questionnaire import Track
from assess.services.answer_files import read_answer_file
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"


def test_content_requirements(default_questionnaire) -> None:
    q = default_questionnaire
    assert q.languages == ("de", "en")
    assert [d.id for d in q.dimensions] == ["strategy", "channels", "processes", "data", "leadership"]
    assert all(len(d.questions) >= 8 for d in q.dimensions)
    assert len(q.measures) >= 25
    assert len(q.rules) >= 4
    assert {"r.booking-island", "r.privacy-pretext"} <= {r.id for r in q.rules}
    for question in q.questions():
        for lang in q.languages:
            texts = question.levels[lang]
            assert len(texts) == 5 and len(set(texts)) == 5, question.id  # five distinct descriptions
    assert any("ü" in d.title.get("de") or "ä" in d.title.get("de") for d in q.dimensions)


def test_every_channel_measure_rests_on_a_foundation(default_questionnaire) -> None:
    q = default_questionnaire

    def foundations(measure_id: str, seen: set[str]) -> set[str]:
        measure = q.measure(measure_id)
        found = {q.question(c.ref).dimension_id for c in measure.requires_conditions if c.subject == "question"}
        for prerequisite in measure.requires_measures:
            if prerequisite not in seen:
                seen.add(prerequisite)
                found |= {q.measure(prerequisite).dimension_id} | foundations(prerequisite, seen)
        return found

    # Accessibility adds no channel: it makes the existing ones usable, a legal duty for consumer services since
    # 28 June 2025 (BFSG) that waits for no foundation.
    no_new_channel = {"m.accessibility-audit", "m.accessibility-release", "m.accessibility-user-tests"}
    assert no_new_channel <= {m.id for m in q.measures}
    for measure in q.measures:
        if measure.dimension_id == "channels" and measure.track is Track.PLAN and measure.id not in no_new_channel:
            assert foundations(measure.id, set()) & {"processes", "data"}, measure.id  # quick wins wait for nothing


def test_all_fives_give_no_flags_and_no_roadmap() -> None:
    parsed = read_answer_file(str(EXAMPLES / "all-fives.json"), Catalog())
    ev = evaluate(parsed.questionnaire, parsed.responses)
    assert ev.card.overall.score == 100.0 and ev.card.overall.balance == 100.0
    assert ev.flags == () and ev.roadmap.phases == ()


def test_strong_channels_weak_processes_flags_the_island_and_builds_foundations_first() -> None:
    parsed = read_answer_file(str(EXAMPLES / "strong-channels-weak-processes.json"), Catalog())
    ev = evaluate(parsed.questionnaire, parsed.responses)
    fired = {f.rule_id for f in ev.flags}
    assert {"r.booking-island", "r.channels-ahead-of-processes"} <= fired
    first = ev.roadmap.phases[0]
    assert any(m.measure.dimension_id == "processes" for m in first.measures)
    assert not any(m.measure.dimension_id == "channels" for m in first.measures)
    phase = {m.id: m.phase for m in ev.roadmap.measures}
    first_process = min(p for m, p in phase.items() if ev.questionnaire.measure(m).dimension_id == "processes")
    assert all(p > first_process for m, p in phase.items() if ev.questionnaire.measure(m).dimension_id == "channels")
    assert phase["m.booking-integration"] < phase.get("m.proactive-notifications", 99)
    assert ev.card.overall.balance is not None and ev.card.overall.balance < 60


def test_privacy_used_as_pretext_is_caught(default_questionnaire) -> None:
    q = default_questionnaire
    answers = {x.id: Answer(3) for x in q.questions()}
    answers["data.privacy-by-design"] = Answer(1)
    answers["ch.chat-messenger"] = Answer(1)
    ev = evaluate(q, [Response(answers)])
    flag = next(f for f in ev.flags if f.rule_id == "r.privacy-pretext")
    assert set(flag.questions) == {"data.privacy-by-design", "ch.chat-messenger"}
    assert "m.privacy-by-design" in {m.id for m in ev.roadmap.measures}


def test_workshop_example_reports_disagreements() -> None:
    data = json.loads((EXAMPLES / "workshop-five-respondents.json").read_text(encoding="utf-8"))
    assert len(data["respondents"]) == 5
    parsed = read_answer_file(str(EXAMPLES / "workshop-five-respondents.json"), Catalog())
    ev = evaluate(parsed.questionnaire, parsed.responses, targets=parsed.targets)
    assert ev.card.respondents == 5 and ev.card.disagreements
    assert ev.card.dimension("processes").target == 4


def test_every_condition_can_be_built_from_level_one(default_questionnaire) -> None:
    """A measure that needs "question X at level 4" must find work that takes X there band by band, or every
    company below it would only be told that the plan assumes it."""
    from assess.domain.scoring import score_responses
    from assess.domain.selection import building_chain

    q = default_questionnaire
    everything_at_one = score_responses(q, [Response({x.id: Answer(1) for x in q.questions()})])
    unreachable = []
    for measure in q.measures:
        for condition in measure.requires_conditions:
            _bands, reach = building_chain(q, everything_at_one, condition, measure.id)
            if condition.min_level is not None and (reach is None or reach < condition.min_level):
                unreachable.append((measure.id, condition.ref, condition.min_level, reach))
    assert not unreachable
