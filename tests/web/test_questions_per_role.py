"""Questions per role (issue 17, item 3): front-line staff are not asked about budgets. Respondents see only
their questions, cannot answer another role's, and their coverage counts only what they were asked."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from assess.db.models import Assessment
from assess.services import clients
from tests.conftest import FIXTURES
from tests.web.conftest import csrf_of, page_form
from tests.web.workspace_data import login, seed_workspace

# proc.handover is a question for IT only; the rest is for everyone
ROLE_MINI = ((FIXTURES / "mini.yaml").read_text(encoding="utf-8")
             .replace("id: mini", "id: roles-q").replace('version: "1.0"', 'version: "1.0.0"')
             .replace('text: {de: "Übergabe der Buchung?", en: "Booking handover?"}',
                      'text: {de: "Übergabe der Buchung?", en: "Booking handover?"}\n        roles: [it]'))


def _open(client: FlaskClient, token: str) -> None:
    notice = client.get(f"/r/{token}/privacy")
    client.post(f"/r/{token}/privacy", data={"csrf_token": csrf_of(notice.data), "accept": "yes"})


def test_each_role_sees_only_its_questions_and_cannot_answer_others(app: Flask) -> None:
    seeded = seed_workspace(app, "Alpha", answers=[], own_questionnaire=ROLE_MINI)
    with Session(app.extensions["assess.engine"]) as session:
        assessment = session.get(Assessment, seeded.assessment_id)
        assert assessment is not None
        boss = clients.invite(session, assessment, role="executive", name="Chefin").token
        admin = clients.invite(session, assessment, role="it", name="Admin").token
        session.commit()
    client = app.test_client()
    _open(client, boss)
    page = client.get(f"/r/{boss}/page/2").get_data(as_text=True)
    assert "Prozesslandkarte?" in page and "Übergabe der Buchung?" not in page
    assert "von 4 Fragen beantwortet" in page  # four questions are put to an executive, not five
    forged = client.post(f"/r/{boss}/page/2", data={**page_form(client, boss, 2), "q-proc.handover": "5"})
    assert forged.status_code == 400
    it = app.test_client()
    _open(it, admin)
    assert "Übergabe der Buchung?" in it.get(f"/r/{admin}/page/2").get_data(as_text=True)
    # the executive answers everything put to them: the review says so, and the processes dimension is scored
    for number, levels in ((1, {"q-ch.booking": "4", "q-ch.chat": "3"}), (2, {"q-proc.map": "2"}),
                           (3, {"q-data.master": "3"})):
        assert client.post(f"/r/{boss}/page/{number}", data={**page_form(client, boss, number), **levels}).status_code == 302
    review = client.get(f"/r/{boss}/review").get_data(as_text=True)
    assert "Alle Fragen sind beantwortet." in review
    client.post(f"/r/{boss}/review", data={"csrf_token": csrf_of(review)})
    result = client.get(f"/r/{boss}/result").get_data(as_text=True)
    assert "nicht verlässlich bewertet" not in result.split('id="h-dims"')[1].split("</table>")[0]
    consultant = app.test_client()
    login(consultant, seeded.email)
    progress = consultant.get(f"/w/assessment/{seeded.assessment_id}").get_data(as_text=True)
    assert "<td>4 / 4</td>" in progress  # the progress counts the questions put to the executive


def test_a_dimension_with_no_question_for_the_role_is_passed_over(app: Flask) -> None:
    only_it = ROLE_MINI.replace('text: {de: "Stammdaten?", en: "Master data?"}',
                                'text: {de: "Stammdaten?", en: "Master data?"}\n        roles: [it]')
    seeded = seed_workspace(app, "Beta", answers=[], own_questionnaire=only_it)
    with Session(app.extensions["assess.engine"]) as session:
        assessment = session.get(Assessment, seeded.assessment_id)
        assert assessment is not None
        boss = clients.invite(session, assessment, role="executive").token
        session.commit()
    client = app.test_client()
    _open(client, boss)
    response = client.post(f"/r/{boss}/page/2", data={**page_form(client, boss, 2), "q-proc.map": "3"})
    assert response.headers["Location"].endswith(f"/r/{boss}/review")  # the data page has nothing for an executive
    assert client.get(f"/r/{boss}/page/3").headers["Location"].endswith(f"/r/{boss}/review")
