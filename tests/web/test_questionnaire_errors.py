"""Questionnaire upload problems in the consultant's language (issue 16, item 8): the file, the line, what is wrong
and how to fix it, never pydantic's or PyYAML's English ("Input should be less than or equal to 5")."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import FIXTURES
from tests.web.conftest import csrf_of
from tests.web.workspace_data import login, seed_workspace

MINI = (FIXTURES / "mini.yaml").read_text(encoding="utf-8").replace("id: mini", "id: own-q")
PAGE = "/w/settings/questionnaires"


def _upload(client: FlaskClient, text: str) -> str:
    response = client.post(PAGE, data={"csrf_token": csrf_of(client.get(PAGE).data), "text": text})
    assert response.status_code == 422
    return response.get_data(as_text=True)


def _line_of(text: str, needle: str) -> int:
    return text.splitlines().index(next(line for line in text.splitlines() if needle in line)) + 1


CASES = [
    ("out of range", MINI.replace("    target: 3\n", "    target: 7\n"), "    target: 7",
     "7 ist hier zu groß: höchstens 5 ist erlaubt.", "dimensions[1].target"),
    ("missing key", MINI.replace("    title: {de: Prozesse, en: Processes}\n", ""), "  - id: processes",
     "Die Pflichtangabe „title“ fehlt. Bitte ergänzen.", "dimensions[1]"),
    ("wrong type", MINI.replace("        weight: 2\n", "        weight: viel\n", 1), "weight: viel",
     "Erwartet wird hier eine Zahl, gefunden wurde „viel“.", "weight"),
    ("not allowed", MINI.replace("effort: low", "effort: gering", 1), "effort: gering",
     "„gering“ ist hier nicht erlaubt. Erlaubt sind: low, medium, high.", "effort"),
    ("unknown key", MINI.replace("default_target: 4\n", "default_target: 4\nziel: 4\n"), "ziel: 4",
     "„ziel“ ist hier kein bekannter Schlüssel.", "ziel"),
    ("YAML syntax", MINI.replace('        text: {de: "Chat?", en: "Chat?"}\n', "        text: Chat: ja?\n"),
     "text: Chat: ja?", "Kein gültiges YAML (Spalte", ""),
    ("mapping to an unknown question", MINI + '\ncompares_with:\n  - version: "0.9"\n    questions:\n'
     "      - {kind: same, old: ch.booking, new: ch.bookings}\n", "ch.bookings",
     "Diese Version hat keine Frage „ch.bookings“. Prüfen Sie die Schreibweise.", "compares_with[0]"),
    ("mapping from its own version", MINI + '\ncompares_with:\n  - version: "1.0"\n', '  - version: "1.0"',
     "Version 1.0 ist die Version dieser Datei selbst.", "compares_with[0].version"),
]


@pytest.mark.parametrize(("text", "needle", "expected", "place"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_an_upload_problem_says_where_and_how_to_fix_it_in_german(
        app: Flask, client: FlaskClient, text: str, needle: str, expected: str, place: str) -> None:
    seeded = seed_workspace(app, "Alpha", answers=[])
    login(client, seeded.email)
    body = _upload(client, text)
    assert expected in body, body[body.find("problems"):][:1500]
    assert f"upload.yaml, Zeile {_line_of(text, needle)}" in body
    assert place in body
    for english in ("Input should", "not valid YAML", "missing required key", "got ", "expected <"):
        assert english not in body


def test_a_yaml_syntax_problem_names_its_likely_cause(app: Flask, client: FlaskClient) -> None:
    seeded = seed_workspace(app, "Alpha", answers=[])
    login(client, seeded.email)
    body = _upload(client, MINI.replace('        text: {de: "Chat?", en: "Chat?"}\n', "        text: Chat: ja?\n"))
    assert "ein Doppelpunkt in einem Text; setzen Sie den Text in Anführungszeichen" in body
    body = _upload(client, MINI.replace("  - id: processes\n", "    - id: processes\n"))
    assert "Kein gültiges YAML" in body and "Einrückung" in body


def test_in_english_the_same_problem_reads_in_english(app: Flask, client: FlaskClient) -> None:
    seeded = seed_workspace(app, "Alpha", answers=[])
    login(client, seeded.email)
    client.get("/lang/en")
    body = _upload(client, MINI.replace("    target: 3\n", "    target: 7\n"))
    assert "upload.yaml, line 30 (dimensions[1].target): 7 is too large here: at most 5 is allowed." in body
