"""What a consultant relies on in the workspace (issue 16, item 11): renaming a client and an assessment,
inviting a pasted list of respondents at once, each respondent's last activity."""

from __future__ import annotations

import csv
import io
import re
import urllib.parse

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from assess.db.models import AnswerRow, Assessment, AuditEntry, Organisation, Respondent
from tests.web.conftest import csrf_of
from tests.web.workspace_data import Seeded, login, seed_workspace


def _session(app: Flask) -> Session:
    return Session(app.extensions["assess.engine"])


def _post(client: FlaskClient, page: str, url: str, data: dict[str, str]) -> tuple[int, str]:
    response = client.post(url, data={"csrf_token": csrf_of(client.get(page).data), **data})
    return response.status_code, response.get_data(as_text=True)


def _audit(app: Flask, workspace_id: int) -> list[tuple[str, str, int | None]]:
    with _session(app) as session:
        rows = session.exec(select(AuditEntry).where(AuditEntry.workspace_id == workspace_id).order_by(col(AuditEntry.id)))
        return [(r.action, r.object_type, r.object_id) for r in rows]


def _respondents(app: Flask, assessment_id: int) -> list[Respondent]:
    with _session(app) as session:
        return list(session.exec(select(Respondent).where(Respondent.assessment_id == assessment_id)
                                 .order_by(col(Respondent.id))))


def _signed_in(app: Flask, client: FlaskClient, name: str = "Alpha") -> Seeded:
    seeded = seed_workspace(app, name)
    login(client, seeded.email)
    return seeded


# --- rename --------------------------------------------------------------------------------------------------------

def test_a_consultant_renames_a_client(app: Flask, client: FlaskClient) -> None:
    seeded = _signed_in(app, client)
    page = f"/w/org/{seeded.organisation_id}"
    assert 'value="Alpha Kunde GmbH"' in client.get(page).get_data(as_text=True)  # the form starts with the name
    status, _body = _post(client, page, f"{page}/rename", {"name": "  Autohaus Müller & Söhne KG  "})
    assert status == 302
    body = client.get(page).get_data(as_text=True)
    assert "Der Kunde heißt jetzt Autohaus Müller &amp; Söhne KG." in body
    assert "<h1>Autohaus Müller &amp; Söhne KG</h1>" in body
    assert "Autohaus Müller &amp; Söhne KG" in client.get("/w/").get_data(as_text=True)
    assert ("rename", "organisation", seeded.organisation_id) in _audit(app, seeded.workspace_id)


def test_a_client_name_must_be_given_and_fit(app: Flask, client: FlaskClient) -> None:
    seeded = _signed_in(app, client)
    page = f"/w/org/{seeded.organisation_id}"
    status, body = _post(client, page, f"{page}/rename", {"name": "   "})
    assert status == 400 and "Bitte füllen Sie dieses Feld aus." in body
    status, body = _post(client, page, f"{page}/rename", {"name": "x" * 201})
    assert status == 400 and "Bitte geben Sie höchstens 200 Zeichen ein." in body
    status, body = _post(client, page, f"{page}/rename", {"name": "Neu\x00"})
    assert status == 400 and "nicht gespeichert werden" in body
    with _session(app) as session:
        assert session.get(Organisation, seeded.organisation_id).name == "Alpha Kunde GmbH"  # type: ignore[union-attr]
    assert not [e for e in _audit(app, seeded.workspace_id) if e[0] == "rename"]


def test_a_consultant_renames_an_assessment(app: Flask, client: FlaskClient) -> None:
    seeded = _signed_in(app, client)
    page = f"/w/assessment/{seeded.assessment_id}"
    status, _body = _post(client, page, f"{page}/rename", {"title": "Service-Check Frühjahr 2027"})
    assert status == 302
    body = client.get(page).get_data(as_text=True)
    assert "<h1>Service-Check Frühjahr 2027</h1>" in body
    assert "Service-Check Frühjahr 2027" in client.get(f"/w/org/{seeded.organisation_id}").get_data(as_text=True)
    assert ("rename", "assessment", seeded.assessment_id) in _audit(app, seeded.workspace_id)
    status, body = _post(client, page, f"{page}/rename", {"title": ""})
    assert status == 400 and "Bitte füllen Sie dieses Feld aus." in body
    with _session(app) as session:
        assert session.get(Assessment, seeded.assessment_id).title == "Service-Check Frühjahr 2027"  # type: ignore[union-attr]


def test_renaming_needs_the_csrf_token(app: Flask, client: FlaskClient) -> None:
    seeded = _signed_in(app, client)
    assert client.post(f"/w/org/{seeded.organisation_id}/rename", data={"name": "Neu"}).status_code == 400
    assert client.post(f"/w/assessment/{seeded.assessment_id}/rename", data={"title": "Neu"}).status_code == 400
    with _session(app) as session:
        assert session.get(Organisation, seeded.organisation_id).name == "Alpha Kunde GmbH"  # type: ignore[union-attr]


def test_another_workspaces_client_and_assessment_cannot_be_renamed(app: Flask, client: FlaskClient) -> None:
    alpha = seed_workspace(app, "Alpha")
    beta = _signed_in(app, client, "Beta")
    own = f"/w/org/{beta.organisation_id}"
    for url, field in ((f"/w/org/{alpha.organisation_id}/rename", "name"),
                       (f"/w/assessment/{alpha.assessment_id}/rename", "title"),
                       (f"/w/assessment/{alpha.assessment_id}/invite-list", "bulk-lines")):
        status, body = _post(client, own, url, {field: "IT; Übernommen"})
        assert status == 404 and "Alpha" not in body
    with _session(app) as session:
        assert session.get(Organisation, alpha.organisation_id).name == "Alpha Kunde GmbH"  # type: ignore[union-attr]
        assert session.get(Assessment, alpha.assessment_id).title != "IT; Übernommen"  # type: ignore[union-attr]
    assert len(_respondents(app, alpha.assessment_id)) == 3
    assert not [e for e in _audit(app, beta.workspace_id) if e[0] in ("rename", "invite")]


# --- invitations from a list ---------------------------------------------------------------------------------------

LIST = ("Rolle;Name;E-Mail\n"
        "Geschäftsführung; Erika Muster; erika@example.com\n"
        "IT\tMax Mustermann\tmax@example.com\t\t\n"  # pasted from Excel, with its empty columns
        "\n"
        "service_staff, Kim Service\n"
        "Mitarbeitende im Kundenservice;;\n")


def test_a_pasted_list_invites_everyone_and_shows_their_links_once(app: Flask, client: FlaskClient) -> None:
    seeded = _signed_in(app, client)
    page = f"/w/assessment/{seeded.assessment_id}"
    status, body = _post(client, page, f"{page}/invite-list", {"bulk-lines": LIST, "bulk-language": "en"})
    assert status == 200, body
    assert "4 persönliche Links erstellt" in body
    new = _respondents(app, seeded.assessment_id)[3:]
    assert [(r.role, r.name, r.email, r.language) for r in new] == [
        ("executive", "Erika Muster", "erika@example.com", "en"), ("it", "Max Mustermann", "max@example.com", "en"),
        ("service_staff", "Kim Service", None, "en"), ("service_staff", None, None, "en")]
    links = re.findall(r"<code>(http://localhost/r/[^<]+)</code>", body)
    assert len(links) == 4 and len(set(links)) == 4
    for link in links:  # each link opens its respondent's questionnaire
        assert client.get(link.removeprefix("http://localhost")).status_code in (200, 302)
    # The download holds the same links, in a spreadsheet's columns.
    href = re.search(r'href="data:text/csv;charset=utf-8,([^"]+)"', body)
    assert href
    rows = list(csv.reader(io.StringIO(urllib.parse.unquote(href.group(1).replace("&amp;", "&")).lstrip("\ufeff")),
                           delimiter=";"))
    assert rows[0] == ["Rolle", "Name", "E-Mail", "Persönlicher Link"]
    assert [r[1] for r in rows[1:]] == ["Erika Muster", "Max Mustermann", "Kim Service", ""]
    assert [r[3] for r in rows[1:]] == links
    assert 'name="bulk-lines"' in body and "erika@example.com;" not in body.split('name="bulk-lines"')[1][:300]
    invited = [e for e in _audit(app, seeded.workspace_id) if e[0] == "invite"]
    assert invited == [("invite", "respondent", r.id) for r in new]
    # The list is not stored anywhere: the assessment page shows the new respondents, without links.
    later = client.get(page).get_data(as_text=True)
    assert "Erika Muster" in later and not any(link in later for link in links)


def test_a_list_with_a_bad_line_invites_nobody_and_names_every_line(app: Flask, client: FlaskClient) -> None:
    seeded = _signed_in(app, client)
    page = f"/w/assessment/{seeded.assessment_id}"
    bad = ("IT; Max; max@example.com\n"
           "Praktikant; Paul\n"
           "; Ohne Rolle\n"
           "Management; Anna; anna(at)example.com\n"
           "Management; Anna 2; MAX@example.com\n"
           "IT; a; b@example.com; noch etwas\n")
    status, body = _post(client, page, f"{page}/invite-list", {"bulk-lines": bad, "bulk-language": "de"})
    assert status == 400
    assert "Zeile 2: „Praktikant“ ist keine Rolle. Erlaubt sind: Geschäftsführung / Inhaber" in body
    assert "Zeile 3 enthält keine Rolle" in body
    assert "Zeile 4: „anna(at)example.com“ ist keine E-Mail-Adresse" in body
    assert "Zeile 5: MAX@example.com steht zweimal in der Liste" in body
    assert "Zeile 6 hat mehr als drei Felder" in body
    assert "Zeile 1" not in body
    assert "Praktikant; Paul" in body  # the list is shown again to correct it
    assert len(_respondents(app, seeded.assessment_id)) == 3
    # In English, the roles are named in English.
    client.get("/lang/en")
    status, body = _post(client, page, f"{page}/invite-list", {"bulk-lines": "Intern; Paul", "bulk-language": "de"})
    assert status == 400 and "Line 1: “Intern” is not a role. Use one of: Executive / owner, Management" in body


def test_an_address_invited_already_is_refused(app: Flask, client: FlaskClient) -> None:
    seeded = _signed_in(app, client)
    page = f"/w/assessment/{seeded.assessment_id}"
    assert _post(client, page, f"{page}/invite-list", {"bulk-lines": "IT; Max; max@example.com",
                                                         "bulk-language": "de"})[0] == 200
    status, body = _post(client, page, f"{page}/invite-list", {"bulk-lines": "Other; Eva\nIT; Max; Max@Example.com",
                                                                "bulk-language": "de"})
    assert status == 400 and "Zeile 2: Max@Example.com ist zu diesem Assessment schon eingeladen" in body
    assert len(_respondents(app, seeded.assessment_id)) == 4


def test_a_list_is_capped(app: Flask, client: FlaskClient) -> None:
    seeded = _signed_in(app, client)
    page = f"/w/assessment/{seeded.assessment_id}"
    status, body = _post(client, page, f"{page}/invite-list", {"bulk-lines": "IT; Person\n" * 201,
                                                                "bulk-language": "de"})
    assert status == 400 and "Die Liste hat 201 Zeilen; höchstens 200 Personen" in body
    status, body = _post(client, page, f"{page}/invite-list", {"bulk-lines": "Rolle; Name; E-Mail\n",
                                                                "bulk-language": "de"})
    assert status == 400 and "Die Liste enthält niemanden" in body
    status, body = _post(client, page, f"{page}/invite-list", {"bulk-lines": "  ", "bulk-language": "de"})
    assert status == 400 and "Bitte füllen Sie dieses Feld aus." in body
    assert len(_respondents(app, seeded.assessment_id)) == 3
    status, body = _post(client, page, f"{page}/invite-list", {"bulk-lines": "IT; Person\n" * 200,
                                                                "bulk-language": "de"})
    assert status == 200 and len(_respondents(app, seeded.assessment_id)) == 203


def test_the_single_invitation_is_audited_too(app: Flask, client: FlaskClient) -> None:
    seeded = _signed_in(app, client)
    page = f"/w/assessment/{seeded.assessment_id}"
    status, _body = _post(client, page, f"{page}/invite", {"role": "it", "name": "Solo", "language": "de"})
    assert status == 302
    new = _respondents(app, seeded.assessment_id)[-1]
    assert ("invite", "respondent", new.id) in _audit(app, seeded.workspace_id)


# --- last activity -------------------------------------------------------------------------------------------------

def test_each_respondent_shows_when_they_last_saved_an_answer(app: Flask, client: FlaskClient) -> None:
    import datetime as dt

    seeded = _signed_in(app, client)
    page = f"/w/assessment/{seeded.assessment_id}"
    with _session(app) as session:
        for row in session.exec(select(AnswerRow).where(AnswerRow.respondent_id == seeded.respondent_ids[0])):
            row.updated_at = dt.datetime(2026, 12, 3, 9, 30, tzinfo=dt.UTC)
            session.add(row)
        session.commit()
    _post(client, page, f"{page}/invite", {"role": "it", "name": "Neu", "language": "de"})
    body = client.get(page).get_data(as_text=True)
    assert "Letzte Aktivität" in body
    cells = re.findall(r'<td data-testid="activity">([^<]*)</td>', body)
    assert cells[0] == "3. Dezember 2026"
    assert cells[-1] == "noch nicht"  # invited, nothing saved yet
    client.get("/lang/en")
    cells = re.findall(r'<td data-testid="activity">([^<]*)</td>', client.get(page).get_data(as_text=True))
    assert cells[0] in ("3 December 2026", "December 3, 2026") and cells[-1] == "not yet"


def test_sending_the_same_list_again_invites_nobody_twice(app: Flask, client: FlaskClient) -> None:
    """A reload of the page that shows the new links sends the form again: nobody is invited twice."""
    seeded = _signed_in(app, client)
    page = f"/w/assessment/{seeded.assessment_id}"
    html = client.get(page).get_data(as_text=True)
    batch = re.search(r'name="bulk-batch" type="hidden" value="([^"]+)"|type="hidden" name="bulk-batch" value="([^"]+)"',
                      html) or re.search(r'id="bulk-batch" name="bulk-batch" type="hidden" value="([^"]+)"', html)
    assert batch, "the list's form carries its batch"
    data = {"csrf_token": csrf_of(html), "bulk-lines": "IT; Ohne Adresse", "bulk-language": "de",
            "bulk-batch": next(g for g in batch.groups() if g)}
    first = client.post(f"{page}/invite-list", data=data)
    assert first.status_code == 200
    again = client.post(f"{page}/invite-list", data=data)
    assert again.status_code == 302
    assert [r.name for r in _respondents(app, seeded.assessment_id)].count("Ohne Adresse") == 1
    assert "erneutes Senden lädt niemanden doppelt ein" in client.get(page).get_data(as_text=True)


def test_a_list_whose_first_line_holds_only_separators_is_read(app: Flask, client: FlaskClient) -> None:
    seeded = _signed_in(app, client)
    page = f"/w/assessment/{seeded.assessment_id}"
    status, body = _post(client, page, f"{page}/invite-list", {"bulk-lines": ";;\nIT; Max", "bulk-language": "de"})
    assert status == 400, body[:300]  # the line of separators is a line without a role: named, never a 500
