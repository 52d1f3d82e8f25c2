"""`assess questionnaire export --format xlsx`, and `validate` and `questionnaire import` of the workbook (issue 17,
item 5)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from tests.test_cli import MINI, invoke


def test_export_writes_a_workbook_that_validates(tmp_path: Path) -> None:
    out = tmp_path / "dr.xlsx"
    code, _, err = invoke("questionnaire", "export", "digital-readiness", "--format", "xlsx", "-o", str(out))
    assert code == 0 and "digital-readiness" in err
    assert openpyxl.load_workbook(out, read_only=True).sheetnames[:3] == ["Anleitung", "Fragebogen", "Dimensionen"]
    code, _, err = invoke("validate", str(out))
    assert code == 0 and "ok (digital-readiness" in err


def test_export_of_a_file_and_of_an_older_version(tmp_path: Path) -> None:
    code, _, _ = invoke("questionnaire", "export", MINI, "-o", str(tmp_path / "mini.xlsx"))
    assert code == 0
    code, _, err = invoke("questionnaire", "export", "digital-readiness", "--version", "1.0.0", "-o", str(tmp_path / "x.xlsx"))
    assert code == 0 and "1.0.0" in err
    code, _, err = invoke("questionnaire", "export", "digital-readiness", "--version", "9.9", "-o", str(tmp_path / "y.xlsx"))
    assert code == 2 and "error:" in err and not (tmp_path / "y.xlsx").exists()
    code, _, err = invoke("questionnaire", "export", "nope", "-o", str(tmp_path / "z.xlsx"))
    assert code == 2 and "unknown questionnaire 'nope'" in err


def _broken(tmp_path: Path) -> Path:
    invoke("questionnaire", "export", MINI, "-o", str(tmp_path / "mini.xlsx"))
    book = openpyxl.load_workbook(tmp_path / "mini.xlsx")
    page = book["Fragen"]
    weight = next(c.column_letter for c in page[1] if c.value == "weight")
    page[f"{weight}3"] = "viel"
    path = tmp_path / "broken.xlsx"
    book.save(path)
    return path


def test_validate_names_sheet_and_cell(tmp_path: Path) -> None:
    path = _broken(tmp_path)
    code, out, _ = invoke("validate", str(path))
    assert code == 1
    weight = next(c.column_letter for c in openpyxl.load_workbook(path)["Fragen"][1] if c.value == "weight")
    assert out.startswith(f"{path}:Fragen!{weight}3: dimensions[0].questions[0].weight: weight must be a positive number")


def test_validate_refuses_what_is_no_workbook(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"format: 1\n")
    code, out, _ = invoke("validate", str(path))
    assert code == 1 and out.startswith(f"{path}:1: not an XLSX workbook")


def test_import_of_a_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    from sqlmodel import Session, select

    from assess.db.models import StoredQuestionnaire, Workspace
    from assess.db.session import make_engine

    monkeypatch.setenv("DATABASE_URL", database_url)
    engine = make_engine(database_url)
    with Session(engine) as session:
        session.add(Workspace(name="Nord"))
        session.commit()
    code, out, _ = invoke("questionnaire", "import", str(_broken(tmp_path)))
    assert code == 1 and "Fragen!" in out
    book = openpyxl.load_workbook(io.BytesIO((tmp_path / "mini.xlsx").read_bytes()))
    next(r for r in book["Fragebogen"].iter_rows() if r[0].value == "id")[1].value = "own"
    book.save(tmp_path / "own.xlsx")
    code, _, err = invoke("questionnaire", "import", str(tmp_path / "own.xlsx"))
    assert code == 0 and "imported own 1.0 into workspace 'Nord'" in err, err
    code, _, _ = invoke("questionnaire", "import", str(tmp_path / "own.xlsx"))
    assert code == 0  # the same workbook again: nothing to do
    with Session(engine) as session:
        stored = list(session.exec(select(StoredQuestionnaire)))
        assert [(r.questionnaire_id, r.version) for r in stored] == [("own", "1.0")]
        assert "id: own" in stored[0].source  # stored as the YAML it stands for
    engine.dispose()


def test_a_shipped_version_is_refused_at_its_cell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  database_url: str) -> None:
    from sqlmodel import Session

    from assess.db.models import Workspace
    from assess.db.session import make_engine

    monkeypatch.setenv("DATABASE_URL", database_url)
    engine = make_engine(database_url)
    with Session(engine) as session:
        session.add(Workspace(name="Nord"))
        session.commit()
    engine.dispose()
    out = tmp_path / "dr.xlsx"
    invoke("questionnaire", "export", "digital-readiness", "-o", str(out))
    code, printed, _ = invoke("questionnaire", "import", str(out))
    assert code == 1 and f"{out}:Fragebogen!B5: version: 'digital-readiness' version" in printed, printed


