"""The questionnaire spreadsheet (issue 17, item 5): export and import give back the same questionnaire, and every
problem in a workbook names its sheet and cell."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from assess.catalog import QuestionnaireError, default_directory, load_questionnaire, parse_questionnaire
from assess.catalog import schema as spec
from assess.catalog.sheet_export import write_workbook
from assess.catalog.sheet_import import MAX_ROWS, parse_spreadsheet, read_spreadsheet, spreadsheet_to_yaml
from assess.catalog.sheet_layout import META, META_ROWS, SHEETS, TEMPLATE, covered_keys
from assess.catalog.source import Problem, read_yaml
from assess.domain.questionnaire import Questionnaire
from tests.conftest import FIXTURES

FILES = [FIXTURES / "mini.yaml", *sorted((FIXTURES / "versions").glob("*.yaml")), *sorted(default_directory().glob("*.yaml"))]


def _data(path: Path) -> dict:
    data, _source, problems = read_yaml(path.read_text(encoding="utf-8"), str(path), trusted=True)
    assert not problems
    return data


def _as_read(value: object, key: object = None) -> object:
    """`value` as the spreadsheet gives it back: without keys holding [] (every list's default), and a version
    mapping's list of one id as that id (the format takes either)."""
    if isinstance(value, dict):
        return {k: _as_read(v, k) for k, v in value.items() if v != []}
    if isinstance(value, list) and len(value) == 1 and key in ("old", "new"):
        return value[0]
    return [_as_read(v) for v in value] if isinstance(value, list) else value


def _plain(questionnaire: Questionnaire) -> Questionnaire:
    return dataclasses.replace(questionnaire, source="", digest="")


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_export_then_import_gives_back_the_questionnaire(path: Path) -> None:
    content = write_workbook(_data(path))
    data, _places, problems = read_spreadsheet(content, "back.xlsx")
    assert problems == []
    assert data == _as_read(_data(path))  # the same data as the YAML, key for key
    assert _plain(parse_spreadsheet(content, "back.xlsx")) == _plain(load_questionnaire(path))


def test_the_default_questionnaire_fits_the_upload_limit() -> None:
    from assess.web.workspace.admin_views import MAX_QUESTIONNAIRE_BYTES

    assert len(write_workbook(_data(default_directory() / "digital-readiness.yaml"))) < MAX_QUESTIONNAIRE_BYTES


def test_the_template_is_a_valid_questionnaire() -> None:
    questionnaire = parse_spreadsheet(write_workbook(TEMPLATE), "template.xlsx")
    assert (questionnaire.id, questionnaire.question_count, len(questionnaire.measures)) == ("my-questionnaire", 2, 1)


def _spec_keys(model: type) -> set[tuple[str, ...]]:
    keys = set()
    for name, field in model.model_fields.items():  # type: ignore[attr-defined]
        keys.add((field.alias or name,))
    return keys


@pytest.mark.parametrize(("model", "sheet"), [
    (spec.QuestionnaireSpec, None), (spec.DimensionSpec, "Dimensionen"), (spec.QuestionSpec, "Fragen"),
    (spec.GroupSpec, "Gruppen"), (spec.MeasureSpec, "Maßnahmen"), (spec.TriggerSpec, "Auslöser"),
    (spec.PrerequisiteSpec, "Voraussetzungen"), (spec.RuleSpec, "Regeln"), (spec.ConditionSpec, "Bedingungen"),
    (spec.ComparisonSpec, "Vergleiche"), (spec.LinkSpec, "Fragenvergleich"), (spec.DimensionLinkSpec, "Dimensionsvergleich"),
])
def test_every_key_of_the_format_has_a_column(model: type, sheet: str | None) -> None:
    """A key added to the format (schema.py) needs its column in sheet_layout, or the export would lose it."""
    layout = next((s for s in SHEETS if s.name == sheet), None)
    covered = {path[0] for path in covered_keys(layout)}
    assert _spec_keys(model) - {(k,) for k in covered} == set()
    for nested, inner in (("scoring", spec.ScoringSpec), ("builds", spec.BuildsSpec)):
        if nested in model.model_fields:  # type: ignore[attr-defined]
            paths = set(covered_keys(layout))
            assert {(nested, *k) for k in _spec_keys(inner)} <= paths


def test_a_text_that_looks_like_a_formula_stays_a_text() -> None:
    data = _data(FIXTURES / "mini.yaml")
    data["dimensions"][0]["questions"][0]["text"]["de"] = '=HYPERLINK("http://evil.example","klick")'
    content = write_workbook(data)
    book = openpyxl.load_workbook(io.BytesIO(content))
    cell = next(c for row in book["Fragen"].iter_rows() for c in row if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s" and cell.quotePrefix
    assert read_spreadsheet(content, "x.xlsx")[0] == data


# --- problems, each with its sheet and cell -------------------------------------------------------------------


def _edited(change: Callable[[openpyxl.Workbook], None]) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(write_workbook(_data(FIXTURES / "mini.yaml"))))
    change(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(page: Worksheet, heading: str, row_id: str) -> str:
    """The coordinate of `heading`'s cell in the row whose first two cells hold `row_id`."""
    column = next(c.column_letter for c in page[1] if c.value == heading)
    row = next(r[0].row for r in page.iter_rows(min_row=3) if row_id in (r[0].value, r[1].value))
    return f"{column}{row}"


def _problems(content: bytes) -> list[Problem]:
    with pytest.raises(QuestionnaireError) as error:
        spreadsheet_to_yaml(content, "own.xlsx")
    return error.value.problems


def _set(sheet: str, heading: str, row_id: str, value: object) -> Callable[[openpyxl.Workbook], None]:
    def change(book: openpyxl.Workbook) -> None:
        page = book[sheet]
        page[_cell(page, heading, row_id)] = value
    return change


def _where(sheet: str, heading: str, row_id: str) -> str:
    book = openpyxl.load_workbook(io.BytesIO(write_workbook(_data(FIXTURES / "mini.yaml"))))
    return f"{sheet}!{_cell(book[sheet], heading, row_id)}"


@pytest.mark.parametrize(("sheet", "heading", "row_id", "value", "code"), [
    ("Fragen", "weight", "ch.booking", "viel", "wrong_type"),
    ("Fragen", "level 3 (en)", "ch.chat", None, ""),
    ("Fragen", "text (de)", "proc.map", None, ""),
    ("Dimensionen", "target", "processes", 7, "too_large"),
    ("Maßnahmen", "effort", "m.map", "gering", "not_allowed"),
    ("Auslöser", "question", "m.map", "proc.unknown", ""),
    ("Fragen", "dimension", "ch.chat", "kanäle", "unknown_owner"),
    ("Fragen", "allow_na", "ch.booking", "vielleicht", "wrong_type"),
])
def test_a_problem_names_its_sheet_and_cell(sheet: str, heading: str, row_id: str, value: object, code: str) -> None:
    problems = _problems(_edited(_set(sheet, heading, row_id, value)))
    assert problems[0].cell == _where(sheet, heading, row_id), problems
    assert problems[0].code == code
    assert len(problems) == 1 or code == "unknown_owner"  # (a row left out: its question is unknown to measures)
    assert str(problems[0]).startswith(f"own.xlsx:{problems[0].cell}: ")


def test_values_are_read_as_a_spreadsheet_writes_them() -> None:
    def change(book: openpyxl.Workbook) -> None:
        _set("Fragen", "weight", "ch.chat", "1,5")(book)
        _set("Fragen", "allow_na", "ch.booking", "WAHR")(book)
        page = book[META]
        next(r for r in page.iter_rows() if r[0].value == "version")[1].value = 2  # typed as a number
    questionnaire = parse_spreadsheet(_edited(change), "own.xlsx")
    assert questionnaire.question("ch.chat").weight == 1.5
    assert questionnaire.question("ch.booking").allow_na
    assert questionnaire.version == "2"


def test_a_renamed_heading_is_named() -> None:
    def rename(book: openpyxl.Workbook) -> None:
        next(c for c in book["Fragen"][1] if c.value == "text (en)").value = "txt (en)"
    problems = _problems(_edited(rename))
    assert problems[0].code == "unknown_heading" and problems[0].cell.startswith("Fragen!") and problems[0].line == 1
    assert "txt (en)" in problems[0].message


def test_a_missing_sheet_and_an_unknown_one_are_named() -> None:
    def drop(book: openpyxl.Workbook) -> None:
        del book["Fragen"]
    assert [p.code for p in _problems(_edited(drop))] == ["missing_sheet"]

    def extra(book: openpyxl.Workbook) -> None:
        book.create_sheet("Notizen")["A1"] = "meine Notizen"
    problems = _problems(_edited(extra))
    assert [(p.code, p.cell) for p in problems] == [("unknown_sheet", "Notizen!A1")]


def test_a_date_is_refused_where_it_is() -> None:
    import datetime

    def change(book: openpyxl.Workbook) -> None:
        next(r for r in book[META].iter_rows() if r[0].value == "version")[1].value = datetime.date(2024, 10, 1)
    problems = _problems(_edited(change))
    assert problems[0].code == "date_cell" and problems[0].cell.startswith(f"{META}!B")
    assert {p.cell for p in problems} == {problems[0].cell}  # (and so the version is missing there)


def test_meta_rows_cover_the_questionnaire_sheet() -> None:
    assert {c.key.split(".")[0] for c in META_ROWS} >= {"id", "version", "languages", "title", "scoring"}


@pytest.mark.parametrize(("content", "code"), [
    (b"format: 1\nid: x\n", "not_xlsx"),
    (b"PK\x03\x04 broken", "not_xlsx"),
])
def test_what_is_no_workbook_is_refused(content: bytes, code: str) -> None:
    assert [p.code for p in _problems(content)] == [code]


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    bomb = _zip({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b" " * 50_000_000})
    assert len(bomb) < 200_000
    assert [p.code for p in _problems(bomb)] == ["xlsx_too_large"]


def test_xml_entities_are_refused() -> None:
    content = write_workbook(_data(FIXTURES / "mini.yaml"))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/sharedStrings.xml"] = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><sst/>'
    assert [p.code for p in _problems(_zip(parts))] == ["xlsx_unsafe"]


def test_too_many_rows_are_refused() -> None:
    def grow(book: openpyxl.Workbook) -> None:
        book["KPIs"].cell(row=MAX_ROWS + 5, column=1, value="m.map")
    assert [p.code for p in _problems(_edited(grow))] == ["too_many_rows"]


def test_the_yaml_of_a_workbook_is_the_questionnaire() -> None:
    text = spreadsheet_to_yaml(write_workbook(_data(FIXTURES / "mini.yaml")), "mini.xlsx")
    assert _plain(parse_questionnaire(text, "mini.yaml")) == _plain(load_questionnaire(FIXTURES / "mini.yaml"))
