"""Backups: a consistent, versioned dump; a restore into an empty database gives identical pages, scores and PDFs."""

from __future__ import annotations

import io
import json
import os
import re
import stat
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy.engine import Engine
from sqlmodel import Session

from assess import create_app
from assess.cli import main
from assess.db.models import Brand, Organisation
from assess.db.session import make_engine
from assess.services.backup import FORMAT, SCOPE, BackupError, restore_backup, write_backup
from tests.conftest import FIXTURES, new_database
from tests.trust.conftest import all_rows, rows_of
from tests.web.conftest import csrf_of, page_form, start
from tests.web.workspace_data import Seeded, login, seed_workspace


def _app(database_url: str) -> Flask:
    return create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": database_url,
                       "QUESTIONNAIRE_DIR": str(FIXTURES), "DEFAULT_QUESTIONNAIRE": "mini"})


@pytest.fixture
def fresh_url(tmp_path: Path) -> Iterator[str]:
    """A second database with nothing in it, not even tables (SQLite file or PostgreSQL database)."""
    directory = tmp_path / "restored"
    directory.mkdir()
    with new_database(directory, migrated=False) as url:
        yield url


def _without_csrf(html: str) -> str:
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]*|(value=")[^"]*("[^>]*name="csrf_token")', r"\1\2\3", html)


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def _snapshot(client: FlaskClient, seeded: Seeded, public_token: str, assessment_ids: list[int], *,
              pdf: bool) -> dict[str, str]:
    """What users see: result JSON of every assessment, result pages, respondent pages, (the PDF's text)."""
    seen = {}
    for assessment_id in assessment_ids:
        seen[f"json {assessment_id}"] = client.get(f"/w/assessment/{assessment_id}/export.json").get_data(as_text=True)
        seen[f"csv {assessment_id}"] = client.get(f"/w/assessment/{assessment_id}/export.csv").get_data(as_text=True)
    seen["results"] = _without_csrf(client.get(f"/w/assessment/{seeded.assessment_id}/results").get_data(as_text=True))
    for token in [*seeded.tokens, public_token]:
        seen[f"result {token}"] = client.get(f"/r/{token}/result").get_data(as_text=True)
        seen[f"answers {token}"] = re.sub(r'"exported_at": "[^"]*"', "", client.get(f"/r/{token}/my-answers.json")
                                          .get_data(as_text=True))
    if pdf:
        response = client.get(f"/w/assessment/{seeded.assessment_id}/report.pdf")
        assert response.status_code == 200
        seen["pdf"] = _pdf_text(response.data)
        assert "Nordlicht Beratung" in seen["pdf"]  # the brand came along
    return seen


def test_backup_and_restore_give_identical_pages_scores_and_pdf(
        app: Flask, client: FlaskClient, seeded: Seeded, database_url: str, fresh_url: str, tmp_path: Path) -> None:
    public = start(client, organisation="Selbst GmbH")
    form = page_form(client, public, 1)
    client.post(f"/r/{public}/page/1", data={**form, "q-ch.booking": "4", "c-ch.booking": "Umlaute äöü ß", "nav": "next"})
    review = client.get(f"/r/{public}/review")
    client.post(f"/r/{public}/review", data={"csrf_token": csrf_of(review.data)})
    other = seed_workspace(app, "Sued")
    with Session(app.extensions["assess.engine"]) as session:  # a brand, its logo bytes included
        session.add(Brand(workspace_id=seeded.workspace_id, name="Nordlicht Beratung", colour="#7a1f3d",
                          logo=b"\x89PNG\r\n\x1a\n\x00\xff binary"))
        session.commit()
    login(client, seeded.email)
    before_snapshot = _snapshot(client, seeded, public, [seeded.assessment_id], pdf=True)
    before_rows = all_rows(app)

    backup_file = tmp_path / "assess-backup.jsonl.gz"
    runner = CliRunner()
    result = runner.invoke(main, ["backup", str(backup_file)], env={"DATABASE_URL": database_url})
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(backup_file).st_mode) == 0o600  # personal data: readable by the owner only
    result = runner.invoke(main, ["restore", str(backup_file)], env={"DATABASE_URL": fresh_url})
    assert result.exit_code == 0, result.output
    assert "restored" in result.output

    restored = _app(fresh_url)
    try:
        assert all_rows(restored) == before_rows
        other_client = restored.test_client()
        login(other_client, seeded.email)  # password hashes came along
        assert _snapshot(other_client, seeded, public, [seeded.assessment_id], pdf=True) == before_snapshot
        login(other_client, other.email)
        assert other_client.get(f"/w/assessment/{other.assessment_id}/export.json").status_code == 200
        # New rows get new ids after the restored ones (PostgreSQL sequences were moved on).
        with Session(restored.extensions["assess.engine"]) as session:
            row = Organisation(name="Neu", industry="retail", size="1-49")
            session.add(row)
            session.commit()
            assert (row.id or 0) > max(o["id"] for o in before_rows["organisation"])
        again = runner.invoke(main, ["restore", str(backup_file)], env={"DATABASE_URL": fresh_url})
        assert again.exit_code == 1 and "not empty" in again.output  # never into a database with data
    finally:
        restored.extensions["assess.engine"].dispose()


def test_the_backup_is_versioned_json_lines_with_an_end_line(app: Flask, seeded: Seeded) -> None:
    out = io.StringIO()
    counts = write_backup(app.extensions["assess.engine"], out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    header, end = lines[0], lines[-1]
    assert header["format"] == FORMAT and header["format_version"] == 1 and header["schema_revision"]
    assert header["workspace"] is None and "answer" in header["tables"]
    assert end == {"end": True, "counts": dict(counts)} and counts["answer"] == 15
    rows = [line for line in lines[1:-1]]
    assert all(set(line) == {"table", "row"} for line in rows)
    created = next(line["row"]["created_at"] for line in rows if line["table"] == "organisation")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00", created)  # ISO 8601, UTC


def test_one_workspace_alone_is_backed_up_and_restored(app: Flask, client: FlaskClient, seeded: Seeded,
                                                       fresh_url: str) -> None:
    other = seed_workspace(app, "Sued")
    start(client, organisation="Selbst GmbH")  # a public self-assessment belongs to no workspace
    out = io.StringIO()
    counts = write_backup(app.extensions["assess.engine"], out, workspace_id=other.workspace_id)
    text = out.getvalue()
    assert "Sued Kunde GmbH" in text and "Nord Kunde GmbH" not in text and "Selbst GmbH" not in text
    assert counts["workspace"] == 1 and counts["respondent"] == 3 and counts["api_token"] == 1
    engine = _engine(fresh_url)
    try:
        assert restore_backup(engine, io.StringIO(text)) == +counts
    finally:
        engine.dispose()
    with pytest.raises(BackupError, match="no workspace 999"):
        write_backup(app.extensions["assess.engine"], io.StringIO(), workspace_id=999)


def _engine(url: str) -> Engine:
    return make_engine(url)


def test_every_table_has_a_workspace_scope() -> None:
    from assess.db.schema import target_metadata

    assert set(SCOPE) == set(target_metadata().tables)


def test_a_damaged_or_foreign_file_is_refused_and_nothing_is_restored(app: Flask, seeded: Seeded, fresh_url: str) -> None:
    out = io.StringIO()
    write_backup(app.extensions["assess.engine"], out)
    lines = out.getvalue().splitlines(keepends=True)
    engine = _engine(fresh_url)
    try:
        for damaged, message in ((lines[:-1], "incomplete"), ([lines[0], "{not json\n", *lines[1:]], "not valid JSON"),
                                 (["hello\n"], "not an assess backup"), ([], "not an assess backup"),
                                 ([lines[0].replace('"format_version":1', '"format_version":99'), *lines[1:]], "newer"),
                                 ([lines[0], '{"table": "nope", "row": {}}\n', lines[-1]], "not a row of a known table")):
            with pytest.raises(BackupError, match=message):
                restore_backup(engine, damaged)
            assert sum(len(rows) for rows in rows_of(engine).values()) == 0
    finally:
        engine.dispose()


def test_the_backup_is_one_consistent_snapshot(app: Flask, seeded: Seeded) -> None:
    """A row written while the backup runs is not in it (and no half of a change is)."""
    engine = app.extensions["assess.engine"]

    class WriteDuringBackup(io.StringIO):
        written = False

        def write(self, text: str) -> int:
            if not self.written:
                self.written = True
                with Session(engine) as session:  # another connection from the pool
                    session.add(Organisation(name="Während des Backups", industry="retail", size="1-49"))
                    session.commit()
            return super().write(text)

    out = WriteDuringBackup()
    counts = write_backup(engine, out)
    assert "Während des Backups" not in out.getvalue() and counts["organisation"] == 1
    assert len(all_rows(app)["organisation"]) == 2



def _write_lines(path: Path, lines: list[str]) -> str:
    path.write_text("".join(lines), encoding="utf-8")
    return str(path)


def _row_line(lines: list[str], table: str) -> int:
    """The index of the first row of `table` (its line number is one more)."""
    return next(i for i, line in enumerate(lines) if json.loads(line).get("table") == table)


def _changed(lines: list[str], index: int, **values: object) -> list[str]:
    item = json.loads(lines[index])
    item["row"].update(values)
    return [*lines[:index], json.dumps(item) + "\n", *lines[index + 1:]]


def test_anything_after_the_end_line_or_an_unknown_column_is_refused(app: Flask, seeded: Seeded, fresh_url: str,
                                                                       tmp_path: Path) -> None:
    out = io.StringIO()
    write_backup(app.extensions["assess.engine"], out)
    lines = out.getvalue().splitlines(keepends=True)
    org, assessment = _row_line(lines, "organisation"), _row_line(lines, "assessment")
    after_end = len(lines) + 1
    cases = [
        ([*lines, lines[org]], f"line {after_end}: more after the end line"),
        ([*lines, "\n"], f"line {after_end}: more after the end line"),
        ([*lines, lines[-1]], f"line {after_end}: more after the end line"),
        (_changed(lines, org, tampered=True), f"line {org + 1}: table organisation has no column 'tampered'"),
        (_changed(lines, org, name="Nord\x00GmbH"), f"line {org + 1}: organisation.name holds text with a NUL"),
        (_changed(lines, org, name="Nord\ud800"), f"line {org + 1}: organisation.name holds text with a NUL"),
        (_changed(lines, assessment, targets={"channels\x00": 3}), f"line {assessment + 1}: assessment.targets holds"),
        (_changed(lines, org, id=2**40), f"line {org + 1}: organisation.id has a value of the wrong type or out of range"),
        (_changed(lines, org, id=True), f"line {org + 1}: organisation.id has a value of the wrong type"),
        (_changed(lines, org, name=5), f"line {org + 1}: organisation.name has a value of the wrong type"),
        ([*lines[:org], lines[org].replace('"id":', '"id":1' + "0" * 5000 + ',"x":', 1), *lines[org + 1:]],
         f"line {org + 1}: not valid JSON"),
    ]
    engine = _engine(fresh_url)
    try:
        for damaged, message in cases:
            with pytest.raises(BackupError, match=re.escape(message)):
                restore_backup(engine, damaged)
            assert sum(len(rows) for rows in rows_of(engine).values()) == 0, message
    finally:
        engine.dispose()
    result = CliRunner().invoke(main, ["restore", _write_lines(tmp_path / "appended.jsonl", [*lines, lines[org]])],
                                env={"DATABASE_URL": fresh_url})
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    assert result.output.strip() == (f"error: line {after_end}: more after the end line (was something appended "
                                     "to the file?): nothing was restored")
    engine = _engine(fresh_url)
    try:
        assert sum(len(rows) for rows in rows_of(engine).values()) == 0
        assert restore_backup(engine, lines)["answer"] == 15  # the undamaged file restores
    finally:
        engine.dispose()


def _gzip_with_a_bad_block(text: str, at: int) -> bytes:
    """`text` gzipped, with a deflate block of the reserved type 3 ("invalid block type") before character `at`."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: the gzip container
    head = compressor.compress(text[:at].encode()) + compressor.flush(zlib.Z_FULL_FLUSH)  # ends on a byte boundary
    return head + b"\x07" + compressor.compress(text[at:].encode()) + compressor.flush()


def test_a_gzip_file_damaged_in_the_middle_is_an_error_line_and_restores_nothing(
        app: Flask, seeded: Seeded, fresh_url: str, tmp_path: Path) -> None:
    with Session(app.extensions["assess.engine"]) as session:  # enough rows for several batches before the damage
        session.add_all(Organisation(name=f"Kunde {i}", industry="retail", size="1-49") for i in range(3000))
        session.commit()
    out = io.StringIO()
    write_backup(app.extensions["assess.engine"], out)
    text = out.getvalue()
    damaged = tmp_path / "damaged.jsonl.gz"
    damaged.write_bytes(_gzip_with_a_bad_block(text, text.index('"name":"Kunde 2000"')))
    result = CliRunner().invoke(main, ["restore", str(damaged)], env={"DATABASE_URL": fresh_url})
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    assert result.output == "error: the file is damaged: its compressed data cannot be read: nothing was restored\n"
    engine = _engine(fresh_url)
    try:
        assert sum(len(rows) for rows in rows_of(engine).values()) == 0
    finally:
        engine.dispose()
