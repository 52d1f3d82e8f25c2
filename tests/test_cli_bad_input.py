"""Hostile or broken input files: the documented message (FILE:LINE: ... or error: ...), never a traceback.

Python refuses int() of more than 4300 digits; PyYAML and json both call it, so a
number that long used to surface as a ValueError traceback (and a 500 on upload).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from assess.cli import main
from assess.db.models import StoredQuestionnaire, Workspace
from assess.db.session import make_engine
from tests.conftest import FIXTURES
from tests.web.conftest import app, client, csrf_of  # noqa: F401  (the web fixtures, for the upload)
from tests.web.workspace_data import login, seed_workspace

MINI = str(FIXTURES / "mini.yaml")
MINI_TEXT = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")
WEIGHT_LINE = MINI_TEXT.splitlines().index("        weight: 2") + 1  # the first question's weight
HUGE = "1" * 100_000


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def write(tmp_path: Path, text: str, name: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def with_weight(weight: str, questionnaire_id: str = "mini") -> str:
    """The mini questionnaire with the first question's weight written as `weight`."""
    text = MINI_TEXT.replace("        weight: 2\n", f"        weight: {weight}\n", 1)
    return text.replace("id: mini\n", f"id: {questionnaire_id}\n", 1)


def assert_problem_lines(result: Result, file: str, line: int, message: str) -> None:
    """Exit code 1 and exactly one problem line on stdout: FILE:LINE: message."""
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, ValueError)
    assert result.stdout.strip().splitlines() == [result.stdout.strip()]
    assert result.stdout.startswith(f"{file}:{line}: ") and message in result.stdout
    assert "Traceback" not in result.output


def assert_error_lines(result: Result, *messages: str) -> list[str]:
    """Exit code 2, nothing on stdout, one `error:` line per problem on stderr."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines and all(line.startswith("error: ") for line in lines), result.stderr
    for message in messages:
        assert any(message in line for line in lines), (message, lines)
    return lines


# ---- questionnaire files ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "line", "message"), [
    (HUGE, WEIGHT_LINE, "number too large (100000 digits)"),
    ("-" + "9" * 5000, WEIGHT_LINE, "number too large"),
    ("2024-13-45", WEIGHT_LINE, "cannot read '2024-13-45': month must be in 1..12"),
    ("1\x00", WEIGHT_LINE, "character #x0000 is not allowed"),
    ('"1\\x00"', WEIGHT_LINE, "text with a NUL"),  # the YAML escape: the file itself is clean
    ('"\\ud800"', WEIGHT_LINE, "text with a NUL, a control character or a lone surrogate"),
])
def test_validate_reports_an_unreadable_value_on_its_line(tmp_path: Path, value: str, line: int, message: str) -> None:
    path = write(tmp_path, with_weight(value), "big.yaml")
    assert_problem_lines(invoke("validate", path), path, line, message)


def test_validate_goes_on_with_the_next_file(tmp_path: Path) -> None:
    path = write(tmp_path, with_weight(HUGE), "big.yaml")
    result = invoke("validate", path, MINI)
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{path}:{WEIGHT_LINE}: ") and f"{MINI}: ok" in result.stderr


def test_the_operators_own_files_are_read_as_strictly(tmp_path: Path) -> None:
    from assess.catalog import QuestionnaireError, load_questionnaire

    path = write(tmp_path, with_weight(HUGE), "big.yaml")
    with pytest.raises(QuestionnaireError) as raised:
        load_questionnaire(path, trusted=True)  # the libyaml parser, as for the catalog directory
    assert [str(p) for p in raised.value.problems] == [f"{path}:{WEIGHT_LINE}: number too large (100000 digits); "
                                                       "a questionnaire's numbers have a few"]


def test_questionnaire_import_reports_the_line_and_stores_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   database_url: str) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            session.add(Workspace(name="Nord"))
            session.commit()
        path = write(tmp_path, with_weight(HUGE, "own"), "own.yaml")
        assert_problem_lines(invoke("questionnaire", "import", path), path, WEIGHT_LINE, "number too large")
        latin1 = tmp_path / "latin1.yaml"
        latin1.write_bytes(with_weight("2", "own").replace("Kanäle", "Kan\xe4le").encode("latin-1"))
        assert_problem_lines(invoke("questionnaire", "import", str(latin1)), str(latin1), 1, "cannot read the file")
        with Session(engine) as session:
            assert list(session.exec(select(StoredQuestionnaire))) == []
    finally:
        engine.dispose()


VERSION_LINE = MINI_TEXT.splitlines().index('version: "1.0"') + 1


@pytest.mark.parametrize(("text", "line", "message"), [  # in the consultant's language (German by default)
    (with_weight(HUGE, "own"), WEIGHT_LINE, "Diese Zahl ist zu groß"),
    (with_weight("2", "own").replace('version: "1.0"', 'version: "1.0\\x00"'), VERSION_LINE, "Dieser Text enthält ein NUL"),
])
def test_an_upload_is_a_problem_list_not_a_500(app: Flask, client: FlaskClient,  # noqa: F811
                                              text: str, line: int, message: str) -> None:
    seeded = seed_workspace(app, "Alpha", answers=[])
    login(client, seeded.email)
    page = client.get("/w/settings/questionnaires")
    response = client.post("/w/settings/questionnaires", data={
        "csrf_token": csrf_of(page.data), "file": (io.BytesIO(text.encode()), "own.yaml")},
        content_type="multipart/form-data")
    assert response.status_code == 422
    assert f"own.yaml, Zeile {line}: {message}" in response.get_data(as_text=True)
    with Session(app.extensions["assess.engine"]) as session:
        assert list(session.exec(select(StoredQuestionnaire))) == []


# ---- answers files ----------------------------------------------------------------------------------------------

HUGE_LEVEL = '{"questionnaire": "mini", "answers": {"ch.booking": 1' + "0" * 5000 + "}}"


def test_score_refuses_a_level_of_5000_digits_with_one_error_line(tmp_path: Path) -> None:
    path = write(tmp_path, HUGE_LEVEL, "answers.json")
    lines = assert_error_lines(invoke("score", path, "--questionnaire", MINI), f"error: {path}: ", "5001 digits")
    assert len(lines) == 1


def test_report_refuses_it_too_and_writes_no_pdf(tmp_path: Path) -> None:
    path = write(tmp_path, HUGE_LEVEL, "answers.json")
    out = tmp_path / "report.pdf"
    lines = assert_error_lines(invoke("report", path, "-o", str(out), "--questionnaire", MINI), "5001 digits")
    assert len(lines) == 1 and not out.exists()


@pytest.mark.parametrize("where", ["targets", "consensus"])
def test_target_and_consensus_levels_follow_the_one_level_rule(tmp_path: Path, where: str) -> None:
    key = {"targets": "processes", "consensus": "proc.map"}[where]
    for bad in (0, 6, 3.5, True, "03", "x", None, [3]):
        path = write(tmp_path, json.dumps({"questionnaire": "mini", "answers": {"ch.booking": 3}, where: {key: bad}}),
                     "answers.json")
        assert_error_lines(invoke("score", path, "--questionnaire", MINI), f"{where}.{key}: ", "is not a level 1-5")
    path = write(tmp_path, json.dumps({"questionnaire": "mini", "answers": {"ch.booking": 3}, where: {key: "4"}}),
                 "answers.json")
    result = invoke("score", path, "--questionnaire", MINI, "--lang", "en")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("content", "field"), [
    ({"answers": {"ch.booking": {"value": 3, "comment": "nul\x00"}}}, "answers.ch.booking.comment"),
    ({"answers": {"ch.chat": {"value": "na", "reason": "bell\x07"}}}, "answers.ch.chat.reason"),
    ({"answers": {"ch.booking": {"value": 3, "comment": "half \ud800"}}}, "answers.ch.booking.comment"),
    ({"respondents": [{"name": "Esc\x1b[31m", "answers": {"ch.booking": 3}}]}, "respondents[0].name"),
    ({"organisation": "A\x00G", "answers": {"ch.booking": 3}}, "organisation"),
    ({"answers": {"ch.booking\x00": 3}}, "answers: the key 'ch.booking\\x00'"),
])
def test_text_with_nul_or_control_characters_is_refused(tmp_path: Path, content: dict[str, object],
                                                        field: str) -> None:
    path = write(tmp_path, json.dumps({"questionnaire": "mini", **content}), "answers.json")
    for command in (["score", path], ["report", path, "-o", str(tmp_path / "r.pdf")]):
        lines = assert_error_lines(invoke(*command, "--questionnaire", MINI), f"error: {path}: {field}")
        assert len(lines) == 1 and "NUL" in lines[0]
    assert not (tmp_path / "r.pdf").exists()


def test_tabs_and_line_breaks_in_comments_are_fine(tmp_path: Path) -> None:
    path = write(tmp_path, json.dumps({"questionnaire": "mini", "answers": {
        "ch.booking": {"value": 3, "comment": "two\nlines\tand a tab\r\n"}}}), "answers.json")
    assert invoke("score", path, "--questionnaire", MINI).exit_code == 0
