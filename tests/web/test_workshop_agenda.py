"""The workshop walks its agenda in order: each item agreed or deferred, who gave which level, agreed marks."""

from __future__ import annotations

import json
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from assess.db.models import Assessment, AuditEntry, Consensus, Organisation
from assess.services import reports, workshop
from tests.web.conftest import csrf_of
from tests.web.workspace_data import Seeded, login, seed_workspace

# Four questions two levels or more apart (the seed agrees ch.booking at 3, and here everybody gave it 3).
ANSWERS: list[dict[str, int | str]] = [
    {"ch.booking": 3, "ch.chat": 1, "proc.handover": 1, "proc.map": 4, "data.master": 1},
    {"ch.booking": 3, "ch.chat": 3, "proc.handover": 3, "proc.map": 2, "data.master": 3},
    {"ch.booking": 3, "ch.chat": 4, "proc.handover": 1, "proc.map": 1, "data.master": 3},
]
TEXTS = {"ch.chat": "Chat?", "proc.handover": "Übergabe der Buchung?", "proc.map": "Prozesslandkarte?",
         "data.master": "Stammdaten?"}


def _seeded(app: Flask, client: FlaskClient) -> tuple[Seeded, str]:
    seeded = seed_workspace(app, "Alpha", answers=ANSWERS)
    login(client, seeded.email)
    return seeded, f"/w/assessment/{seeded.assessment_id}"


def _agenda(html: str) -> list[tuple[int, str, str]]:
    """The agenda as the page lists it: (position, status, question text) in the page's order."""
    listed = html.split('data-testid="agenda"', 1)[1].split("</ol>", 1)[0]
    return [(int(n), status, text) for status, n, text in
            re.findall(r'<li data-status="(\w+)".*?/agenda/(\d+)">([^<]+)</a>', listed, re.S)]


def _post(client: FlaskClient, url: str, **data: str) -> str:
    page = client.get(url)
    response = client.post(url, data={"csrf_token": csrf_of(page.data), **data})
    assert response.status_code == 302, response.data[:800]
    return response.headers["Location"]


def _consensus(app: Flask, assessment_id: int) -> dict[str, int]:
    with Session(app.extensions["assess.engine"]) as session:
        return {c.question_id: c.level for c in session.exec(select(Consensus).where(
            Consensus.assessment_id == assessment_id))}


def _audit(app: Flask, workspace_id: int) -> list[str]:
    with Session(app.extensions["assess.engine"]) as session:
        return [e.action for e in session.exec(select(AuditEntry).where(AuditEntry.workspace_id == workspace_id)
                                               .order_by(AuditEntry.id))]  # type: ignore[arg-type]


def test_the_walk_follows_the_agenda_and_defers_to_the_end(app: Flask, client: FlaskClient) -> None:
    seeded, base = _seeded(app, client)
    overview = client.get(base + "/agenda").get_data(as_text=True)
    before = _agenda(overview)
    assert [p for p, _s, _t in before] == [1, 2, 3, 4] and {t for _p, _s, t in before} == set(TEXTS.values())
    assert {s for _p, s, _t in before} == {"open"} and "Workshop beginnen" in overview

    first = client.get(base + "/agenda/1").get_data(as_text=True)
    assert "Punkt 1 von 4" in first and f"<h1>{before[0][2]}</h1>" in first  # not "question 14 of 45" alone
    assert 'value="defer"' in first and "Zurückstellen" in first and "Speichern und nächster Punkt" in first

    # "save and next" goes to the next agenda item, not to the next question of the questionnaire
    assert _post(client, base + "/agenda/1", level="2", note="Chat nur im Pilot", nav="next") == base + "/agenda/2"
    assert _post(client, base + "/agenda/2", level="", note="", nav="defer") == base + "/agenda/3"
    assert _post(client, base + "/agenda/3", level="3", note="", nav="next") == base + "/agenda/4"
    # the last item agreed: nothing open is left, so the walk ends on the agenda, which says so and lists the deferral
    assert _post(client, base + "/agenda/4", level="1", note="", nav="next") == base + "/agenda"
    done = client.get(base + "/agenda").get_data(as_text=True)
    after = _agenda(done)
    assert [t for _p, _s, t in after] == [t for _p, _s, t in before]  # agreeing neither reorders nor drops items
    assert [s for _p, s, _t in after] == ["agreed", "deferred", "agreed", "agreed"]
    assert 'data-testid="agenda-done"' in done and "die zurückgestellten Punkte sind noch zu vereinbaren" in done
    assert "3 von 4 Punkten vereinbart, 1 zurückgestellt, 0 offen." in done
    assert f'href="{base}/agenda/2">Zurückgestellte Punkte besprechen' in done
    assert "im Workshop vereinbart: Stufe 2" in done

    deferred = client.get(base + "/agenda/2").get_data(as_text=True)
    assert "Punkt 2 von 4" in deferred and 'data-testid="item-status">zurückgestellt' in deferred
    assert _post(client, base + "/agenda/2", level="4", note="", nav="next") == base + "/agenda"
    final = client.get(base + "/agenda").get_data(as_text=True)
    assert "Die Agenda ist durchgesprochen: Jeder Punkt ist vereinbart." in final
    assert f'href="{base}/results"' in final

    questions = {text: qid for qid, text in TEXTS.items()}
    posted = {questions[before[0][2]]: 2, questions[before[1][2]]: 4, questions[before[2][2]]: 3,
              questions[before[3][2]]: 1}
    assert _consensus(app, seeded.assessment_id) == {"ch.booking": 3, **posted}
    with Session(app.extensions["assess.engine"]) as session:
        row = session.get(Assessment, seeded.assessment_id)
        assert row is not None and not row.workshop_deferred  # agreed at last: no longer deferred
    actions = _audit(app, seeded.workspace_id)
    assert actions.count("workshop_agree") == 4 and actions.count("workshop_defer") == 1


def test_deferring_twice_in_the_round_of_deferred_items_ends_on_the_agenda(app: Flask, client: FlaskClient) -> None:
    _, base = _seeded(app, client)
    for n in (1, 2, 3, 4):
        _post(client, base + f"/agenda/{n}", level="", note="", nav="defer")
    overview = client.get(base + "/agenda").get_data(as_text=True)
    assert [s for _p, s, _t in _agenda(overview)] == ["deferred"] * 4 and 'data-testid="agenda-done"' in overview
    # the round of deferred items goes through them in order, then back to the agenda (never round and round)
    assert _post(client, base + "/agenda/1", level="", note="", nav="defer") == base + "/agenda/2"
    assert _post(client, base + "/agenda/4", level="", note="", nav="defer") == base + "/agenda"
    assert _post(client, base + "/agenda/3", level="", note="", nav="back") == base + "/agenda/2"


def test_an_open_item_skipped_comes_round_again(app: Flask, client: FlaskClient) -> None:
    _, base = _seeded(app, client)
    # saved without a level ("no consensus yet"): the item stays open and the walk comes back to it at the end
    assert _post(client, base + "/agenda/1", level="", note="", nav="next") == base + "/agenda/2"
    for n in (2, 3):
        _post(client, base + f"/agenda/{n}", level="3", note="", nav="next")
    assert _post(client, base + "/agenda/4", level="3", note="", nav="next") == base + "/agenda/1"


def test_each_item_shows_who_gave_which_level_by_role_without_names(app: Flask, client: FlaskClient) -> None:
    _, base = _seeded(app, client)
    overview = client.get(base + "/agenda").get_data(as_text=True)
    position = next(p for p, _s, t in _agenda(overview) if t == "Chat?")
    html = client.get(base + f"/agenda/{position}").get_data(as_text=True)
    table = html.split('class="data by-role"', 1)[1].split("</table>", 1)[0]
    rows = {re.sub(r"<[^>]+>", "", row.split("</th>", 1)[0]).strip(): re.findall(r'<td class="n">([^<]*)</td>', row)
            for row in table.split("<tr>")[2:]}
    # columns 1..5, don't know, n/a: the executive gave 1, the service staff 3, IT 4
    assert rows == {"Geschäftsführung / Inhaber/in (1)": ["1", "·", "·", "·", "·", "·", "·"],
                    "Mitarbeitende im Kundenservice (1)": ["·", "·", "1", "·", "·", "·", "·"],
                    "IT (1)": ["·", "·", "·", "1", "·", "·", "·"]}
    assert "ohne Namen" in table
    for name in ("Person 1", "Person 2", "Person 3"):  # nobody agreed to be named: no names anywhere
        assert name not in html


def test_agreed_levels_are_marked_on_the_results_page_and_in_the_json(app: Flask, client: FlaskClient) -> None:
    _, base = _seeded(app, client)
    overview = client.get(base + "/agenda").get_data(as_text=True)
    position = next(p for p, _s, t in _agenda(overview) if t == "Prozesslandkarte?")
    _post(client, base + f"/agenda/{position}", level="2", note="nach Diskussion", nav="next")
    other = next(p for p, _s, t in _agenda(overview) if t == "Stammdaten?")
    _post(client, base + f"/agenda/{other}", level="", note="", nav="defer")

    html = client.get(base + "/results").get_data(as_text=True)
    agreed = html.split('data-testid="agreed-levels"', 1)[1].split("</section>", 1)[0]
    assert "Im Workshop vereinbarte Stufen" in agreed
    rows = agreed.split("<tbody>", 1)[1].split("<tr>")[1:]
    assert len(rows) == 2 and "Online-Buchung?" in rows[0] and "Prozesslandkarte?" in rows[1]  # questionnaire order
    assert "<strong>2</strong>" in rows[1] and "im Workshop vereinbart" in rows[1] and "nach Diskussion" in rows[1]
    assert "2,3" in rows[1]  # what the respondents had said: the mean of 4, 2 and 1
    statuses = {t: s for _p, s, t in _agenda(html)}
    assert statuses == {"Chat?": "open", "Übergabe der Buchung?": "open", "Prozesslandkarte?": "agreed",
                        "Stammdaten?": "deferred"}
    assert f'href="{base}/agenda"' in html

    data = json.loads(client.get(base + "/export.json").data)
    assert next(q for q in data["questions"] if q["id"] == "proc.map")["consensus"] is True
    workshop = data["workshop"]
    assert [(a["question"], a["level"]) for a in workshop["agreed"]] == [("ch.booking", 3), ("proc.map", 2)]
    assert workshop["agreed"][1]["note"] == "nach Diskussion" and workshop["agreed"][1]["respondents_mean"] == 2.33
    assert {a["question"]: a["status"] for a in workshop["agenda"]} == {
        "ch.chat": "open", "proc.handover": "open", "proc.map": "agreed", "data.master": "deferred"}


def test_the_workshop_page_of_any_question_still_walks_the_questionnaire(app: Flask, client: FlaskClient) -> None:
    _, base = _seeded(app, client)
    html = client.get(base + "/workshop/2").get_data(as_text=True)
    assert "Frage 2 von 5" in html and "der Workshop-Agenda" in html  # and says where it is on the agenda
    assert _post(client, base + "/workshop/2", level="3", note="", nav="next") == base + "/workshop/3"
    assert _post(client, base + "/workshop/5", level="3", note="", nav="next") == base + "/results"


def test_forged_or_unknown_input_is_refused_and_changes_nothing(app: Flask, client: FlaskClient) -> None:
    seeded, base = _seeded(app, client)
    page = client.get(base + "/agenda/1")
    token = csrf_of(page.data)
    for data in ({"level": "7", "nav": "next"}, {"level": "3", "nav": "skip"}, {"level": "3", "extra": "x"}):
        assert client.post(base + "/agenda/1", data={"csrf_token": token, **data}).status_code == 400
    assert client.post(base + "/agenda/1", data={"level": "3", "nav": "next"}).status_code == 400  # no CSRF token
    assert client.get(base + "/agenda/5").status_code == 404 and client.get(base + "/agenda/0").status_code == 404
    assert _consensus(app, seeded.assessment_id) == {"ch.booking": 3}
    long = client.post(base + "/agenda/1", data={"csrf_token": token, "level": "3", "note": "x" * 2001, "nav": "next"})
    assert long.status_code == 400 and "Nothing was saved" not in long.get_data(as_text=True)  # said in German
    assert _consensus(app, seeded.assessment_id) == {"ch.booking": 3}


def test_another_workspaces_agenda_is_a_404_and_stays_untouched(app: Flask, client: FlaskClient) -> None:
    alpha = seed_workspace(app, "Alpha", answers=ANSWERS)
    beta = seed_workspace(app, "Beta", answers=ANSWERS)
    login(client, beta.email)
    token = csrf_of(client.get(f"/w/assessment/{beta.assessment_id}/agenda/1").data)
    foreign = f"/w/assessment/{alpha.assessment_id}"
    assert client.get(foreign + "/agenda").status_code == 404
    assert client.get(foreign + "/agenda/1").status_code == 404
    for nav in ("next", "defer"):
        response = client.post(foreign + "/agenda/1", data={"csrf_token": token, "level": "1", "nav": nav})
        assert response.status_code == 404
    assert _consensus(app, alpha.assessment_id) == {"ch.booking": 3}
    with Session(app.extensions["assess.engine"]) as session:
        row = session.get(Assessment, alpha.assessment_id)
        assert row is not None and row.workshop_deferred is None
    assert "workshop_agree" not in _audit(app, alpha.workspace_id) + _audit(app, beta.workspace_id)


def _item(position: int, question_id: str, status: str) -> workshop.AgendaItem:
    return workshop.AgendaItem(position, question_id, position, question_id, "d", 2.0, False, False, {}, status, None)


def test_the_walk_goes_on_from_where_the_handled_item_is_now() -> None:
    # an agreement changed what the roadmap rests on, and the item just agreed moved from place 1 to place 3
    items = [_item(1, "b", "open"), _item(2, "c", "agreed"), _item(3, "a", "agreed"), _item(4, "d", "open")]
    assert workshop.next_item(items, "a", 1) == items[3]
    assert workshop.next_item(items[:3], "a", 1) == items[0]  # nothing after it open: round to the skipped one
    assert workshop.next_item(items, "gone", 3) == items[3]  # no longer on the agenda: on from its old place
    # it left the agenda from place 3: the item that moved up into place 3 is next, not the one after it
    moved = [_item(1, "a", "agreed"), _item(2, "b", "agreed"), _item(3, "d", "open"), _item(4, "e", "open")]
    assert workshop.next_item(moved, "c", 3) == moved[2]
    assert workshop.next_item(moved[:3], "c", 3) == moved[2]  # the last open item is not "done"
    deferred = [_item(1, "a", "deferred"), _item(2, "b", "agreed"), _item(3, "c", "deferred")]
    assert workshop.next_item(deferred, "a", 1) is None  # first round: done, the agenda page lists the deferred
    assert workshop.next_item(deferred, "a", 1, deferred_round=True) == deferred[2]
    assert workshop.next_item(deferred, "c", 3, deferred_round=True) is None


def test_the_report_says_which_levels_were_agreed(app: Flask) -> None:
    seeded = seed_workspace(app, "Alpha", answers=ANSWERS)
    catalog = app.extensions["assess.catalog"]
    with Session(app.extensions["assess.engine"]) as session:
        row = session.get(Assessment, seeded.assessment_id)
        organisation = session.get(Organisation, seeded.organisation_id)
        assert row is not None and organisation is not None
        workshop.agree(session, catalog, row, "proc.map", 2, "", seeded.user_id)
        context = reports.assessment_report(session, catalog, row, organisation, "de")
    details = {q["id"]: q for d in context["dimensions"] for q in d["question_details"]}
    assert {q for q, d in details.items() if d["consensus"]} == {"ch.booking", "proc.map"}
    assert details["proc.map"]["level"] == 2 and "2 Fragen im Workshop vereinbart" in context["basis"]
