"""Questions put to some respondents only (a role's questions, the short check) and the honest length
(issue 17, items 2 and 3): a question nobody was asked neither scores nor counts against coverage."""

from __future__ import annotations

from assess.catalog import parse_questionnaire
from assess.domain.answers import Answer, Response
from assess.domain.reading import reading_minutes, reading_words
from assess.domain.scoring import score_responses
from tests.conftest import FIXTURES

MINI = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")
# ch.booking: the short check; proc.handover: asked of IT only; data.master: short and for executives only
MARKED = (MINI.replace('text: {de: "Online-Buchung?", en: "Online booking?"}',
                       'text: {de: "Online-Buchung?", en: "Online booking?"}\n        short: true')
          .replace('text: {de: "Übergabe der Buchung?", en: "Booking handover?"}',
                   'text: {de: "Übergabe der Buchung?", en: "Booking handover?"}\n        roles: [it]'))
QUESTIONNAIRE = parse_questionnaire(MARKED, "mini-marked.yaml")


def _response(levels: dict[str, int], role: str, asked: frozenset[str] | None) -> Response:
    return Response({q: Answer(v) for q, v in levels.items()}, role=role, asked=asked)


def test_who_is_asked_what() -> None:
    q = QUESTIONNAIRE
    everything = {x.id for x in q.questions()}
    assert q.asked("executive") == everything - {"proc.handover"}
    assert q.asked("it") == everything
    assert q.asked("executive", short=True) == {"ch.booking"}
    assert q.has_short_check
    assert not parse_questionnaire(MINI, "mini.yaml").has_short_check


def test_a_dimension_answered_in_full_for_the_questions_asked_is_reliably_scored() -> None:
    """An executive is not asked the handover question: their process score rests on the process map alone,
    with full coverage, instead of being "not reliably scored" for a question they never saw."""
    asked = QUESTIONNAIRE.asked("executive")
    card = score_responses(QUESTIONNAIRE, [_response({"ch.booking": 3, "ch.chat": 3, "proc.map": 4, "data.master": 2},
                                                     "executive", asked)])
    processes = card.dimension("processes")
    assert processes.reliable and processes.coverage == 1.0
    assert processes.score == 75.0  # level 4 of the map: the handover never counts as missing
    assert processes.questions == 1


def test_the_same_answers_without_the_role_rule_leave_the_dimension_half_covered() -> None:
    card = score_responses(QUESTIONNAIRE, [_response({"ch.booking": 3, "ch.chat": 3, "proc.map": 4, "data.master": 2},
                                                     "executive", None)])
    assert card.dimension("processes").coverage < 1.0  # the control: asked everything, one question unanswered


def test_a_question_counts_the_respondents_asked_it() -> None:
    it = _response({"proc.handover": 1, "proc.map": 2}, "it", QUESTIONNAIRE.asked("it"))
    boss = _response({"proc.map": 4}, "executive", QUESTIONNAIRE.asked("executive"))
    card = score_responses(QUESTIONNAIRE, [it, boss])
    handover = card.questions["proc.handover"]
    assert handover.respondents == 1 and handover.answered_share == 1.0
    assert card.questions["proc.map"].respondents == 2


def test_the_short_check_scores_what_it_asks() -> None:
    short = _response({"ch.booking": 2}, "executive", QUESTIONNAIRE.asked("executive", short=True))
    card = score_responses(QUESTIONNAIRE, [short])
    channels = card.dimension("channels")
    assert channels.reliable and channels.questions == 1 and channels.score == 25.0
    assert not card.dimension("processes").reliable  # nothing asked there: no score rather than a guess


def test_the_length_comes_from_the_text_read() -> None:
    everything = reading_words(QUESTIONNAIRE, "de")
    assert reading_words(QUESTIONNAIRE, "de", QUESTIONNAIRE.asked("executive", short=True)) < everything
    longer = parse_questionnaire(MARKED.replace("[keine, Formular, definiert, integriert, führend]",
                                                "[" + ", ".join(["sehr lange Beschreibung " * 40] * 5) + "]"), "long.yaml")
    assert reading_words(longer, "de") >= everything + 5 * 120 - 5  # 120 words per level replace one each
    assert reading_minutes(longer, "de") > reading_minutes(QUESTIONNAIRE, "de")
    assert reading_minutes(QUESTIONNAIRE, "de", frozenset()) == 0


def test_the_perception_gap_compares_the_questions_both_sides_were_asked() -> None:
    """Management alone is asked the handover (a management-only question); management and the front line agree
    on the process map (level 3). The gap in processes is 0, not management's extra question against nothing."""
    from assess.domain.evaluation import evaluate

    only_management = parse_questionnaire(MINI.replace(
        'text: {de: "Übergabe der Buchung?", en: "Booking handover?"}',
        'text: {de: "Übergabe der Buchung?", en: "Booking handover?"}\n        roles: [executive, management]'),
        "mini-management.yaml")
    levels = {"ch.booking": 3, "ch.chat": 3, "proc.map": 3, "data.master": 3}
    boss = _response({**levels, "proc.handover": 5}, "executive", only_management.asked("executive"))
    staff = _response(levels, "service_staff", only_management.asked("service_staff"))
    ev = evaluate(only_management, [boss, staff])
    by_role = {r.role: r for r in ev.roles}
    assert by_role["executive"].scores["processes"] > by_role["service_staff"].scores["processes"]  # each as scored
    assert ev.perception is not None and ev.perception.gaps["processes"] == 0.0
    assert ev.perception.index == 0.0


def test_the_perception_gap_leaves_out_what_the_short_check_did_not_ask() -> None:
    """Management answered the whole questionnaire, the front line the short check (booking only): they agree on the
    booking, so the channels gap is 0, whatever management said about the chat nobody on the front line saw."""
    from assess.domain.evaluation import evaluate

    boss = _response({"ch.booking": 3, "ch.chat": 5, "proc.map": 3, "data.master": 3}, "executive",
                     QUESTIONNAIRE.asked("executive"))
    staff = _response({"ch.booking": 3}, "service_staff", QUESTIONNAIRE.asked("service_staff", short=True))
    ev = evaluate(QUESTIONNAIRE, [boss, staff])
    assert ev.perception is not None and ev.perception.gaps == {"channels": 0.0}


def test_no_question_put_to_both_sides_means_no_perception_gap_and_no_error() -> None:
    from assess.domain.evaluation import evaluate

    only_management = parse_questionnaire(MINI.replace(
        "      - id: ", "      - roles: [executive, management]\n        id: "), "mini-all-management.yaml")
    assert all(q.roles for q in only_management.questions())
    levels = {"ch.booking": 3, "ch.chat": 3, "proc.map": 3, "data.master": 3}
    boss = _response(levels, "executive", only_management.asked("executive"))
    staff = _response({}, "service_staff", only_management.asked("service_staff"))
    ev = evaluate(only_management, [boss, staff])
    assert ev.perception is None
