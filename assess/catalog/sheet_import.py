"""Read a questionnaire spreadsheet back into the data its YAML file would hold, and check it as YAML is checked.

Every problem names its sheet and cell ("Fragen!D14"): each cell read is noted under the data path its
value goes to, so the YAML checks (schema, shape, checks) place their problems exactly as they do lines.
The workbook is looked at before openpyxl parses it: a small upload must not unpack into gigabytes.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path as FilePath
from typing import Any

import yaml
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from pydantic import ValidationError

from assess.catalog import QuestionnaireError, parse_questionnaire
from assess.catalog.checks import semantic_problems
from assess.catalog.schema import QuestionnaireSpec
from assess.catalog.shape import shape_problems
from assess.catalog.sheet_layout import META, META_ROWS, NOTE, SHEET_NAMES, SHEETS, Column, Sheet, normalise, parse_heading
from assess.catalog.source import Path, Problem, SourceMap
from assess.domain.questionnaire import Questionnaire
from assess.domain.text import is_storable

MAX_UNCOMPRESSED = 10_000_000  # bytes unpacked; the default questionnaire's workbook unpacks to well under 1 MB
MAX_PARTS = 300
MAX_ROWS = 5_000  # per sheet
MAX_COLUMNS = 120
MAX_CELLS = 200_000  # in the whole workbook; the default questionnaire's has about 5,000
_TRUE, _FALSE = {"true", "wahr", "yes", "ja", "x", "1"}, {"false", "falsch", "no", "nein", "0"}
_INTEGER, _DECIMAL = re.compile(r"^[+-]?\d{1,30}$"), re.compile(r"^[+-]?\d{1,30}([.,]\d{1,30})?$")
_OWNERS = {"dimensions": "dimension", "measures": "measure", "rules": "rule", "compares_with": "version"}
_OWNER_SHEETS = {s.key: s.name for s in SHEETS if not s.owner}


class _CellProblem(Exception):
    def __init__(self, message: str, code: str, params: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(message)
        self.code, self.params = code, params


class Places:
    """Where each value of the data came from: a data path -> an ordinal that sorts like the sheets, rows and cells."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.source = SourceMap(file)
        self.cells: dict[int, tuple[str, int]] = {}

    def ordinal(self, sheet: str, row: int, column: int) -> int:
        index = SHEET_NAMES.index(sheet) if sheet in SHEET_NAMES else len(SHEET_NAMES)
        ordinal = (index * 100_000 + row) * 1000 + column
        self.cells[ordinal] = (f"{sheet}!{get_column_letter(column)}{row}", row)
        return ordinal

    def put(self, path: Path, sheet: str, row: int, column: int) -> None:
        self.source.lines.setdefault(path, self.ordinal(sheet, row, column))

    def problem(self, sheet: str, row: int, column: int, message: str, code: str,
                params: tuple[tuple[str, str], ...] = ()) -> Problem:
        return Problem(self.file, self.ordinal(sheet, row, column), "", message, code, params)

    def relocated(self, problems: Sequence[Problem]) -> list[Problem]:
        """Problems found in the YAML made from the workbook (a shipped version, say) at the cells they stand for."""
        return self.placed([dataclasses.replace(p, line=self.source.line((p.path,) if p.path else ()))
                            for p in problems])

    def placed(self, problems: Sequence[Problem]) -> list[Problem]:
        """`problems` in sheet, row and cell order, each with its cell and row."""
        unique = sorted(dict.fromkeys(problems), key=lambda p: p.line)
        return [dataclasses.replace(p, line=self.cells.get(p.line, ("", 1))[1], cell=self.cells.get(p.line, ("",))[0])
                for p in unique]


def _refused(file: str, message: str, code: str, params: tuple[tuple[str, str], ...] = ()) -> QuestionnaireError:
    return QuestionnaireError([Problem(file, 1, "", message, code, params)])


def _inspect(content: bytes, file: str) -> None:
    """Refuse what is no workbook, unpacks too large, or declares XML entities (which no spreadsheet needs)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise _refused(file, "not an XLSX workbook; save it as .xlsx (Excel, LibreOffice) or upload a YAML file",
                       "not_xlsx") from None
    with archive:
        if "xl/workbook.xml" not in archive.namelist():
            raise _refused(file, "not an XLSX workbook (no xl/workbook.xml); save it as .xlsx", "not_xlsx")
        if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > MAX_UNCOMPRESSED:
            raise _refused(file, f"the workbook unpacks to more than {MAX_UNCOMPRESSED // 1_000_000} MB or "
                                 f"{MAX_PARTS} parts; a questionnaire needs far less", "xlsx_too_large",
                           (("limit", str(MAX_UNCOMPRESSED // 1_000_000)),))
        for part in parts:
            if part.filename.endswith((".xml", ".rels", ".vml")):
                try:
                    head = archive.read(part)
                except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError):  # damaged, encrypted
                    raise _refused(file, "the workbook is damaged or encrypted; save it again as .xlsx",
                                   "not_xlsx") from None
                if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
                    raise _refused(file, "the workbook declares XML entities, which a spreadsheet never needs; "
                                         "save it again as .xlsx", "xlsx_unsafe")


def _kept(file: str, sheet: str, number: int, row: tuple[Any, ...]) -> tuple[Any, ...]:
    """Row `number` of `sheet` as kept: within the limits, without its empty cells at the end (a row costs what it
    holds, not the sheet's width)."""
    if number > MAX_ROWS:
        raise _refused(file, f"sheet {sheet} has more than {MAX_ROWS} rows", "too_many_rows",
                       (("sheet", sheet), ("limit", str(MAX_ROWS))))
    if len(row) > MAX_COLUMNS and row[MAX_COLUMNS] not in (None, ""):
        raise _refused(file, f"sheet {sheet} has more than {MAX_COLUMNS} columns", "too_many_columns",
                       (("sheet", sheet), ("limit", str(MAX_COLUMNS))))
    kept = list(row[:MAX_COLUMNS])
    while kept and kept[-1] in (None, ""):
        kept.pop()
    return tuple(kept)


def _grid(content: bytes, file: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every worksheet's rows (values only), by sheet name."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises whatever its parts do (KeyError, ValueError, lxml's errors, ...)
        raise _refused(file, f"cannot read the workbook ({type(error).__name__}); save it again as .xlsx",
                       "not_xlsx") from None
    grid: dict[str, list[tuple[Any, ...]]] = {}
    cells = 0
    try:
        for page in book.worksheets:
            rows: list[tuple[Any, ...]] = []
            grid[page.title] = rows
            if page.title not in SHEET_NAMES:
                continue  # reported as an unknown sheet; its rows are never read
            for number, row in enumerate(page.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True), start=1):
                kept = _kept(file, page.title, number, row)
                cells += len(kept)
                if cells > MAX_CELLS:
                    raise _refused(file, f"the workbook holds more than {MAX_CELLS} cells; a questionnaire needs far "
                                         "less", "xlsx_too_large", (("limit", str(MAX_UNCOMPRESSED // 1_000_000)),))
                rows.append(kept)
    except QuestionnaireError:
        raise
    except Exception as error:  # a damaged sheet shows only while its rows are read
        raise _refused(file, f"cannot read the workbook ({type(error).__name__}); save it again as .xlsx",
                       "not_xlsx") from None
    finally:
        book.close()
    return grid


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number_text(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value) if isinstance(value, int | float) else value


def _as_int(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER.match(value.strip()):
        return int(value.strip())
    return value


def _as_number(value: Any) -> Any:
    if isinstance(value, str) and _DECIMAL.match(value.strip()):
        text = value.strip().replace(",", ".")
        return float(text) if "." in text else int(text)
    return value


def _as_bool(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    return value


def _as_list(value: Any) -> Any:
    text = _number_text(value)
    return [part.strip() for part in re.split(r"[,;\n]", text) if part.strip()] if isinstance(text, str) else text


def _as_ids(value: Any) -> Any:
    """One id, or a list when the cell holds several."""
    parts = _as_list(value)
    return parts[0] if isinstance(parts, list) and len(parts) == 1 else parts


# column kind -> the cell's value as YAML would hold it (what cannot be converted stays, for the checks to name)
_CONVERT = {"str": lambda v: _number_text(v).strip() if isinstance(_number_text(v), str) else v,
            "text": _number_text, "levels": _number_text, "int": _as_int, "number": _as_number, "bool": _as_bool,
            "list": _as_list, "ids": _as_ids}


def _cell_value(column: Column, value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.time | datetime.timedelta):
        raise _CellProblem("a date or time here; format the cell as text and type the value again", "date_cell")
    converted = _CONVERT[column.kind](value)
    texts = converted if isinstance(converted, list) else [converted]
    if any(isinstance(t, str) and not is_storable(t) for t in texts):
        raise _CellProblem("text with a NUL, a control character or a lone surrogate; remove it", "unstorable_text")
    return converted


def _set(item: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        inner = item.get(part)
        item = item.setdefault(part, {}) if not isinstance(inner, dict) else inner
    item[path[-1]] = value


Cell = tuple[int, int, Column, str | None, int | None, Any]  # row, column, what it holds, language, level, value


def _note(row: tuple[Any, ...]) -> bool:
    return bool(row) and isinstance(row[0], str) and row[0].lstrip().startswith(NOTE)


def _fill(sheet: str, base: Path, cells: list[Cell], places: Places, problems: list[Problem], *,
          item_is_text: bool = False) -> Any:
    """The item these cells make (a KPI: the text itself), each cell noted under its data path."""
    item: dict[str, Any] = {}
    texts: dict[tuple[str, ...], dict[str, list[tuple[int, int, int | None, Any]]]] = {}
    for row, col, column, lang, level, raw in cells:
        path = () if item_is_text else column.path
        if column.kind in ("text", "levels") and lang is not None:
            texts.setdefault(path, {}).setdefault(lang, []).append((row, col, level, raw))
            places.put((*base, *path, lang) if level is None else (*base, *path, lang, level - 1), sheet, row, col)
            continue
        places.put((*base, *path), sheet, row, col)
        if _blank(raw):
            continue
        try:
            _set(item, path, _cell_value(column, raw))
        except _CellProblem as error:
            problems.append(places.problem(sheet, row, col, str(error), error.code, error.params))
    for path, by_language in texts.items():
        values = _texts(sheet, (*base, *path), by_language, places, problems)
        if item_is_text:
            return values
        if values:
            _set(item, path, values)
    return {} if item_is_text else item


_TEXT = Column("", "text", "", "")


def _texts(sheet: str, path: Path, by_language: dict[str, list[tuple[int, int, int | None, Any]]], places: Places,
           problems: list[Problem]) -> dict[str, Any]:
    """A text (or a question's levels) per language; an empty one is placed where it is empty."""
    values: dict[str, Any] = {}
    for lang, found in by_language.items():
        empty = [(row, col) for row, col, _level, raw in found if _blank(raw)]
        if empty and len(empty) < len(found):
            places.source.lines[(*path, lang)] = places.ordinal(sheet, *empty[0])
        for row, col, level, raw in found:
            if _blank(raw):
                continue
            try:
                value = _cell_value(_TEXT, raw)
            except _CellProblem as error:
                problems.append(places.problem(sheet, row, col, str(error), error.code, error.params))
                continue
            if level is None:
                values[lang] = value
            else:
                values.setdefault(lang, [""] * max(len(found), 5))[level - 1] = value
    missing = [found[0][:2] for lang, found in by_language.items() if lang not in values]
    first = next(iter(by_language.values()))[0]
    places.put(path, sheet, *(missing[0] if missing else first[:2]))
    return values


def _meta(rows: list[tuple[Any, ...]], data: dict[str, Any], places: Places, problems: list[Problem]) -> None:
    by_heading = {column.key: column for column in META_ROWS}  # "title (xx)": the language comes from the heading
    cells: list[Cell] = []
    seen: dict[str, int] = {}
    for row, values in enumerate(rows, start=1):
        if row == 1 or _note(values) or all(_blank(v) for v in values):
            continue
        heading = normalise(values[0]) if values else ""
        match = re.match(r"^(?P<key>.+?)\s*\((?P<lang>[a-z]{2})\)$", heading)
        key, lang = (match["key"], match["lang"]) if match else (heading, None)
        found = by_heading.get(key)
        if found is None or (found.kind == "text") != (lang is not None):
            known = ", ".join(c.key + (" (de)" if c.kind == "text" else "") for c in META_ROWS)
            problems.append(places.problem(META, row, 1, f"unknown key '{heading}'; keys on this sheet: {known}",
                                           "unknown_heading", (("heading", heading), ("allowed", known))))
            continue
        if heading in seen:
            problems.append(places.problem(META, row, 1, f"key given twice (first in row {seen[heading]}); keep one",
                                           "duplicate_key", (("first", str(seen[heading])),)))
            continue
        seen[heading] = row
        cells.append((row, 2, found, lang, None, values[1] if len(values) > 1 else None))
    data.update(_fill(META, (), cells, places, problems))


def _headings(sheet: Sheet, header: tuple[Any, ...], places: Places,
              problems: list[Problem]) -> tuple[dict[int, tuple[Column, str | None, int | None]], int | None]:
    """Each column's meaning by its heading, and the column naming the owner."""
    known: dict[int, tuple[Column, str | None, int | None]] = {}
    parent: int | None = None
    seen: dict[str, int] = {}
    for col, raw in enumerate(header, start=1):
        heading = normalise(raw)
        if not heading:
            continue
        if heading in seen:
            problems.append(places.problem(sheet.name, 1, col, f"column given twice (first in column "
                                           f"{get_column_letter(seen[heading])}); keep one", "duplicate_column",
                                           (("first", get_column_letter(seen[heading])),)))
            continue
        seen[heading] = col
        meaning = parse_heading(sheet, heading)
        if sheet.parent and heading == sheet.parent:
            parent = col
        elif meaning is None:
            allowed = ", ".join(dict.fromkeys(h for c in sheet.columns for h, _l, _n in c.headers(["de"])))
            allowed = ", ".join(x for x in (sheet.parent, allowed) if x)
            problems.append(places.problem(sheet.name, 1, col, f"unknown heading '{heading}'; headings on this sheet: "
                                           f"{allowed} (a text's language in brackets)", "unknown_heading",
                                           (("heading", heading), ("allowed", allowed))))
        else:
            known[col] = meaning
    needed = ([sheet.parent] if sheet.parent and parent is None else []) + [
        c.key for c in sheet.columns[:1] if c.key == "id" and not any(m[0] is c for m in known.values())]
    for heading in needed:
        problems.append(places.problem(sheet.name, 1, 1, f"the column '{heading}' is missing; add it with this heading",
                                       "missing_heading", (("heading", heading),)))
    return known, parent


def _rows(sheet: Sheet, rows: list[tuple[Any, ...]], data: dict[str, Any], owners: dict[str, dict[str, int]],
          places: Places, problems: list[Problem]) -> None:
    known, parent = _headings(sheet, rows[0] if rows else (), places, problems)
    if sheet.parent and parent is None:
        return
    ids: dict[str, int] = owners.setdefault(sheet.key, {}) if not sheet.owner else {}
    for row, values in enumerate(rows[1:], start=2):
        if _note(values) or all(_blank(v) for v in values):
            continue
        for col, raw in enumerate(values, start=1):
            if col not in known and col != parent and not _blank(raw):
                problems.append(places.problem(sheet.name, row, col, "a value in a column without a known heading; "
                                               "give the column its heading or clear it", "no_heading"))
        if sheet.owner:
            owner = _number_text(values[parent - 1]) if parent is not None and parent <= len(values) else None
            owner = owner.strip() if isinstance(owner, str) else owner
            index = owners.get(sheet.owner, {}).get(owner) if isinstance(owner, str) else None
            if index is None:
                problems.append(_owner_problem(sheet, row, parent or 1, owner, owners, places))
                continue
            target = data[sheet.owner][index].setdefault(sheet.key, [])
            base: Path = (sheet.owner, index, sheet.key, len(target))
        else:
            target = data.setdefault(sheet.key, [])
            base = (sheet.key, len(target))
        places.put(base, sheet.name, row, parent or 1)
        cells = [(row, col, *meaning, values[col - 1] if col <= len(values) else None)
                 for col, meaning in sorted(known.items())]
        item = _fill(sheet.name, base, cells, places, problems, item_is_text=sheet.item_is_text)
        own_id = item.get(sheet.columns[0].key)
        if not sheet.owner and isinstance(own_id, str):
            ids.setdefault(own_id, len(target))
        target.append(item)


def _owner_problem(sheet: Sheet, row: int, col: int, owner: Any, owners: dict[str, dict[str, int]],
                   places: Places) -> Problem:
    kind, where = _OWNERS[sheet.owner], _OWNER_SHEETS[sheet.owner]
    if _blank(owner):
        return places.problem(sheet.name, row, col, f"name the {kind} this row belongs to (its id on sheet {where})",
                              "no_owner", (("owner", kind), ("sheet", where)))
    known = list(owners.get(sheet.owner, {}))
    shown = ", ".join(known[:8]) + (", ..." if len(known) > 8 else "")
    return places.problem(sheet.name, row, col, f"unknown {kind} '{owner}' (not on sheet {where}); known: {shown or 'none'}",
                          "unknown_owner", (("owner", kind), ("value", str(owner)), ("sheet", where),
                                            ("known", shown or "–")))


def read_spreadsheet(content: bytes, file: str) -> tuple[dict[str, Any], Places, list[Problem]]:
    """The questionnaire data a workbook holds, where each value came from, and the problems reading it."""
    _inspect(content, file)
    grid = _grid(content, file)
    problems: list[Problem] = []
    required = [META, *(s.name for s in SHEETS if s.required)]
    missing = [name for name in required if name not in grid]
    if missing:
        names = ", ".join(missing)
        raise _refused(file, f"the workbook has no sheet {names}; it needs the sheets {', '.join(required)} (start from "
                             "the template)", "missing_sheet", (("sheet", names), ("required", ", ".join(required))))
    places = Places(file)
    for name in grid:
        if name not in SHEET_NAMES:
            problems.append(places.problem(name, 1, 1, f"unknown sheet '{name}'; rename it to one of "
                                           f"{', '.join(SHEET_NAMES)} or remove it", "unknown_sheet",
                                           (("sheet", name), ("allowed", ", ".join(SHEET_NAMES)))))
    places.put((), META, 1, 1)
    data: dict[str, Any] = {}
    _meta(grid[META], data, places, problems)
    owners: dict[str, dict[str, int]] = {}
    for sheet in SHEETS:
        if sheet.name in grid:
            _rows(sheet, grid[sheet.name], data, owners, places, problems)
            if not sheet.owner:
                places.put((sheet.key,), sheet.name, 1, 1)
    return data, places, problems


def checked_spreadsheet(content: bytes, file: str) -> tuple[dict[str, Any], Places]:
    """The data of a valid questionnaire workbook and where each value came from; raise QuestionnaireError
    naming every problem's cell."""
    data, places, problems = read_spreadsheet(content, file)
    try:
        QuestionnaireSpec.model_validate(data)
    except ValidationError as error:
        problems += shape_problems(error, places.source)
    problems += semantic_problems(data, places.source)
    if problems:
        raise QuestionnaireError(places.placed(problems))
    return data, places


def to_yaml(data: dict[str, Any]) -> str:
    """Questionnaire data as the YAML file it stands for."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)


def spreadsheet_to_yaml(content: bytes, file: str) -> str:
    """The YAML text of a valid questionnaire workbook; raise QuestionnaireError naming every problem's cell."""
    return to_yaml(checked_spreadsheet(content, file)[0])


def parse_spreadsheet(content: bytes, file: str, *, workspace_id: int | None = None) -> Questionnaire:
    """Validate a questionnaire workbook and build the questionnaire (as its YAML text would build it)."""
    return parse_questionnaire(spreadsheet_to_yaml(content, file), file, workspace_id=workspace_id)


def load_spreadsheet(path: str | FilePath) -> Questionnaire:
    """Read, validate and build the questionnaire workbook at `path`."""
    try:
        content = FilePath(path).read_bytes()
    except OSError as error:
        raise QuestionnaireError([Problem(str(path), 1, "", f"cannot read the file: {error}")]) from None
    return parse_spreadsheet(content, str(path))


def is_spreadsheet(name: str, content: bytes = b"") -> bool:
    """Whether a file is a workbook (by its name, or by a ZIP's first bytes)."""
    return name.lower().endswith(".xlsx") or content.startswith(b"PK\x03\x04")
