"""Write a questionnaire's data (as its YAML holds it) into an XLSX workbook, one sheet per part."""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from assess.catalog.sheet_layout import (
    FIRST_DATA_ROW,
    INSTRUCTIONS,
    META,
    META_ROWS,
    NOTE,
    OWNER_KEYS,
    SHEETS,
    Column,
    Sheet,
    covered_keys,
    nested_get,
)

_BOLD = Font(bold=True)
_NOTE_FONT = Font(italic=True, color="555555")
_HEAD_FILL = PatternFill("solid", fgColor="DDE5F0")
_WRAP = Alignment(wrap_text=True, vertical="top")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TOP_ROWS = 1000  # how far down the drop-downs reach


class NotExportable(ValueError):
    """The data holds a key the spreadsheet has no column for (the layout must learn it first)."""


def _put(page: Worksheet, row: int, column: int, value: Any, *, wrap: bool = False) -> None:
    cell = page.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = value
        # openpyxl makes "=..." a formula: keep every text a text, and tell Excel to keep it one when edited
        # (a leading apostrophe as in assess.services.exports would change the text on the way back).
        if value.startswith(_FORMULA_START):
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value
    if wrap:
        cell.alignment = _WRAP


def _value(column: Column, value: Any) -> Any:
    if column.kind in ("list", "ids") and isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


def _cells(column: Column, item: Mapping[str, Any], languages: list[str]) -> Iterator[Any]:
    """This column's values in an item, one per heading."""
    value = item if column.kind == "text" and column.key == "kpi" else nested_get(dict(item), column.path)
    for _heading, lang, level in column.headers(languages):
        if column.kind == "text":
            yield value.get(lang) if isinstance(value, dict) else None
        elif column.kind == "levels":
            texts = value.get(lang) if isinstance(value, dict) else None
            yield texts[level - 1] if isinstance(texts, list) and level is not None and level <= len(texts) else None
        else:
            yield _value(column, value)


def _check_covered(item: Mapping[str, Any], sheet: Sheet | None, where: str) -> None:
    covered = set(covered_keys(sheet))
    for key, value in item.items():
        nested = isinstance(value, dict) and any(len(p) > 1 and p[0] == key for p in covered)
        keys = [(key, inner) for inner in value] if nested else [(key,)]
        for path in keys:
            if path not in covered:
                raise NotExportable(f"{where}: the spreadsheet has no column for '{'.'.join(path)}'")


def _headings(page: Worksheet, sheet: Sheet, languages: list[str]) -> list[Column]:
    """Write the two heading rows; return the column of each cell."""
    heads: list[tuple[str, str, Column]] = []
    if sheet.parent:
        owner = {"dimensions": ("Dimension (Kennung)", "dimension (id)"), "measures": ("Maßnahme (Kennung)", "measure (id)"),
                 "rules": ("Regel (Kennung)", "rule (id)"), "compares_with": ("ältere Version", "older version")}[sheet.owner]
        heads.append((sheet.parent, f"{owner[0]} · {owner[1]}", Column(sheet.parent, "str", *owner)))
    for column in sheet.columns:
        for heading, lang, level in column.headers(languages):
            detail = f" {level}" if level else ""
            detail += f" ({lang})" if lang else ""
            heads.append((heading, f"{column.de}{detail} · {column.en}{detail}", column))
    for index, (heading, note, column) in enumerate(heads, start=1):
        _put(page, 1, index, heading)
        _put(page, 2, index, (f"{NOTE} " if index == 1 else "") + note, wrap=True)
        page.cell(row=1, column=index).font = _BOLD
        page.cell(row=1, column=index).fill = _HEAD_FILL
        page.cell(row=2, column=index).font = _NOTE_FONT
        page.column_dimensions[get_column_letter(index)].width = column.width
        if column.choices:
            letter = get_column_letter(index)
            offered = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True)
            offered.add(f"{letter}{FIRST_DATA_ROW}:{letter}{_TOP_ROWS}")
            page.add_data_validation(offered)
    page.freeze_panes = page.cell(row=FIRST_DATA_ROW, column=sheet.frozen_columns + 1)
    return [column for _h, _n, column in heads]


def _rows(data: Mapping[str, Any], sheet: Sheet) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(owner id, item) of every row of `sheet`, in the file's order."""
    if not sheet.owner:
        for item in data.get(sheet.key) or []:
            yield "", item
        return
    for owner in data.get(sheet.owner) or []:
        for item in owner.get(sheet.key) or []:
            yield str(owner.get(OWNER_KEYS[sheet.owner], "")), item


def _write_sheet(page: Worksheet, data: Mapping[str, Any], sheet: Sheet, languages: list[str]) -> None:
    columns = _headings(page, sheet, languages)
    for number, (owner, item) in enumerate(_rows(data, sheet), start=FIRST_DATA_ROW):
        if not sheet.item_is_text:
            _check_covered(item, sheet, f"{sheet.name} row {number}")
        values: list[Any] = [owner] if sheet.parent else []
        for column in sheet.columns:
            values += list(_cells(column, item, languages))
        for index, (value, column) in enumerate(zip(values, columns, strict=True), start=1):
            _put(page, number, index, value, wrap=column.kind in ("text", "levels"))


def _write_meta(page: Worksheet, data: Mapping[str, Any], languages: list[str]) -> None:
    for index, (heading, note) in enumerate((("key", f"{NOTE} Schlüssel · key"), ("value", "Wert · value"),
                                             ("note", "Erläuterung · explanation")), start=1):
        _put(page, 1, index, heading)
        _put(page, 2, index, note)
        page.cell(row=1, column=index).font = _BOLD
        page.cell(row=1, column=index).fill = _HEAD_FILL
        page.cell(row=2, column=index).font = _NOTE_FONT
    number = FIRST_DATA_ROW
    for column in META_ROWS:
        for (heading, lang, _level), value in zip(column.headers(languages), _cells(column, data, languages), strict=True):
            suffix = f" ({lang})" if lang else ""
            _put(page, number, 1, heading)
            _put(page, number, 2, value, wrap=column.kind == "text")
            _put(page, number, 3, f"{column.de}{suffix} · {column.en}{suffix}", wrap=True)
            page.cell(row=number, column=3).font = _NOTE_FONT
            number += 1
    for letter, width in (("A", 24), ("B", 60), ("C", 50)):
        page.column_dimensions[letter].width = width
    page.freeze_panes = "B3"


_ABOUT = (
    ("Fragebogen als Tabelle", "A questionnaire as a spreadsheet"),
    ("Jedes Blatt ist ein Teil des Fragebogens (questionnaires/README.md beschreibt jeden Schlüssel). Zeile 1 "
     "enthält die Schlüssel: nicht umbenennen. Zeile 2 erklärt jede Spalte; Zeilen, deren erste Zelle mit # beginnt, "
     "werden beim Hochladen übersprungen.",
     "Each sheet is one part of the questionnaire (questionnaires/README.md explains every key). Row 1 holds the "
     "keys: do not rename them. Row 2 explains each column; rows whose first cell starts with # are skipped on upload."),
    ("Texte stehen je Sprache in einer eigenen Spalte, z. B. text (de) und text (en); jede in languages genannte "
     "Sprache braucht jeden Text. Leere Zellen bedeuten: Vorgabe.",
     "Texts have a column per language, e.g. text (de) and text (en); every language listed in languages needs every "
     "text. An empty cell means: the default."),
    ("Zeilen in Fragen, Gruppen, Auslöser, Voraussetzungen, KPIs und Bedingungen nennen in der ersten Spalte, zu "
     "welcher Dimension, Maßnahme oder Regel sie gehören; die Reihenfolge der Zeilen bleibt erhalten.",
     "Rows of Fragen, Gruppen, Auslöser, Voraussetzungen, KPIs and Bedingungen name in their first column the "
     "dimension, measure or rule they belong to; the rows keep their order."),
    ("Beim Hochladen wird die Datei wie eine YAML-Datei geprüft; jedes Problem nennt Blatt und Zelle, "
     "z. B. Fragen!D14. Gespeichert wird nur eine fehlerfreie Datei.",
     "On upload the file is checked like a YAML file; every problem names its sheet and cell, e.g. Fragen!D14. "
     "Nothing is stored unless the file is valid."),
)


def _write_instructions(page: Worksheet) -> None:
    for number, (de, en) in enumerate(_ABOUT, start=1):
        _put(page, number, 1, de, wrap=True)
        _put(page, number, 2, en, wrap=True)
    page.cell(row=1, column=1).font = page.cell(row=1, column=2).font = Font(bold=True, size=14)
    number = len(_ABOUT) + 2
    for index, heading in enumerate(("Blatt · sheet", "Inhalt", "content"), start=1):
        _put(page, number, index, heading)
        page.cell(row=number, column=index).font = _BOLD
    for sheet in SHEETS:
        number += 1
        for index, value in enumerate((sheet.name, sheet.de, sheet.en), start=1):
            _put(page, number, index, value, wrap=True)
    page.column_dimensions["A"].width = 70
    page.column_dimensions["B"].width = 70
    page.column_dimensions["C"].width = 50


def write_workbook(data: Mapping[str, Any]) -> bytes:
    """The XLSX of questionnaire `data` (a validated questionnaire's YAML data, or TEMPLATE)."""
    _check_covered(data, None, META)
    languages = [str(x) for x in data.get("languages") or []]
    book = Workbook()
    _write_instructions(book.active)
    book.active.title = INSTRUCTIONS
    _write_meta(book.create_sheet(META), data, languages)
    for sheet in SHEETS:
        _write_sheet(book.create_sheet(sheet.name), data, sheet, languages)
    book.active = 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

