"""The questionnaire spreadsheet's layout: its sheets, their columns and what each column holds.

One layout serves the export (sheet_export) and the import (sheet_import), so a file written by
one reads back with the other. Sheet names and headings are fixed and language-neutral: the
headings are the format's own keys (questionnaires/README.md), a text's language in brackets
("text (de)", "level 3 (en)"), and the row under them explains each column in German and English.
A file exported in one UI language therefore imports in the other.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

# str: an id or a word; text: one column per language; levels: five per language; list: comma-separated words;
# ids: one word, or several comma-separated (a list)
Kind = Literal["str", "text", "levels", "int", "number", "bool", "list", "ids"]
INSTRUCTIONS = "Anleitung"
META = "Fragebogen"
NOTE = "#"  # a row whose first cell starts with this is a note (the explanations under the headings), never data
LEVELS = 5
FIRST_DATA_ROW = 3


@dataclass(frozen=True, slots=True)
class Column:
    """One key of an item, in one column (or one per language)."""

    key: str  # the format's key; "a.b" nests: builds.from, scoring.min_coverage
    kind: Kind
    de: str
    en: str
    choices: tuple[str, ...] = ()  # offered as a drop-down

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.key.split("."))

    def headers(self, languages: list[str]) -> list[tuple[str, str | None, int | None]]:
        """(heading, language, level) of each of this column's cells in a row."""
        if self.kind == "text":
            return [(f"{self.key} ({lang})", lang, None) for lang in languages]
        if self.kind == "levels":
            return [(f"level {n} ({lang})", lang, n) for n in range(1, LEVELS + 1) for lang in languages]
        return [(self.key, None, None)]

    @property
    def width(self) -> int:
        return {"text": 45, "levels": 38, "list": 30, "str": 22}.get(self.kind, 12)


@dataclass(frozen=True, slots=True)
class Sheet:
    """A sheet of rows, one item each: the items of a top-level list, or of a list inside each owner's item."""

    name: str
    key: str  # the list's key: "dimensions", or within the owner: "questions"
    columns: tuple[Column, ...]
    de: str
    en: str
    owner: str = ""  # the top-level list whose items own these rows ("dimensions", "measures", "rules")
    parent: str = ""  # heading of the column naming the owner by its id
    required: bool = False
    item_is_text: bool = False  # the row's one text column is the item itself (a KPI)

    @property
    def frozen_columns(self) -> int:
        return (1 if self.parent else 0) + (1 if self.columns[0].key in ("id", "version") else 0)


def _c(key: str, kind: Kind, de: str, en: str, choices: tuple[str, ...] = ()) -> Column:
    return Column(key, kind, de, en, choices)


_ID = _c("id", "str", "Kennung (Kleinbuchstaben, Ziffern, . - _)", "id (lowercase letters, digits, . - _)")
_LEVEL = ("Stufe 1–5", "level 1–5")
_SCALE = ("low", "medium", "high")

META_ROWS = (
    _c("format", "int", "Formatversion, immer 1", "format version, always 1"),
    _ID,
    _c("version", "str", "Inhaltsversion, z. B. 1.0.0 (Zelle als Text formatieren)",
       "content version, e.g. 1.0.0 (format the cell as text)"),
    _c("languages", "list", "Sprachen, durch Komma getrennt, die erste ist die Vorgabe",
       "languages, comma-separated, first is the default"),
    _c("title", "text", "Titel", "title"),
    _c("description", "text", "Beschreibung", "description"),
    _c("estimated_minutes", "int", "Dauer in Minuten (optional)", "minutes to answer (optional)"),
    _c("scoring.min_coverage", "number", "Mindestabdeckung 0–1 (Vorgabe 0,6)", "minimum coverage 0–1 (default 0.6)"),
    _c("scoring.max_na_share", "number", "Höchstanteil „nicht zutreffend“ 0–1 (Vorgabe 0,5)",
       "largest share of “not applicable” 0–1 (default 0.5)"),
    _c("default_target", "int", "Zielstufe 1–5 für Dimensionen ohne eigenes Ziel (Vorgabe 4)",
       "target level 1–5 for dimensions without their own (default 4)"),
)

SHEETS = (
    Sheet("Dimensionen", "dimensions", (
        _ID, _c("title", "text", "Titel", "title"), _c("description", "text", "Beschreibung", "description"),
        _c("weight", "number", "Gewicht (Vorgabe 1)", "weight (default 1)"),
        _c("target", "int", "Zielstufe 1–5 (optional)", "target level 1–5 (optional)"),
    ), "Die Dimensionen, je eine Zeile", "the dimensions, one per row", required=True),
    Sheet("Fragen", "questions", (
        _ID, _c("text", "text", "Fragetext", "question"), _c("help", "text", "Hilfetext (optional)", "help (optional)"),
        _c("levels", "levels", "Beschreibung der Stufe", "description of the level"),
        _c("weight", "number", "Gewicht in der Dimension (Vorgabe 1)", "weight within the dimension (default 1)"),
        _c("allow_na", "bool", "„nicht zutreffend“ anbieten: WAHR/FALSCH", "offer “not applicable”: TRUE/FALSE"),
        _c("roles", "list", "nur diese Rollen fragen (optional, durch Komma getrennt)",
           "ask only these roles (optional, comma-separated)"),
        _c("short", "bool", "Teil des Kurz-Checks: WAHR/FALSCH", "part of the short check: TRUE/FALSE"),
    ), "Die Fragen, je eine Zeile, in der Reihenfolge ihrer Dimension", "the questions, one per row, in order",
        owner="dimensions", parent="dimension", required=True),
    Sheet("Gruppen", "groups", (
        _ID, _c("title", "text", "Titel", "title"),
        _c("questions", "list", "Fragen der Gruppe (Kennungen, durch Komma getrennt)", "its questions (ids, comma-separated)"),
    ), "Gruppen von Fragen einer Dimension (optional)", "groups of a dimension's questions (optional)",
        owner="dimensions", parent="dimension"),
    Sheet("Maßnahmen", "measures", (
        _ID, _c("dimension", "str", "Dimension (Kennung)", "dimension (id)"),
        _c("title", "text", "Titel", "title"), _c("description", "text", "Beschreibung", "description"),
        _c("effort", "str", "Aufwand: low, medium, high", "effort: low, medium, high", _SCALE),
        _c("impact", "str", "Wirkung: low, medium, high", "impact: low, medium, high", _SCALE),
        _c("duration_weeks", "int", "Dauer in Wochen", "duration in weeks"),
        _c("builds.from", "int", "baut auf von Stufe (optional)", "builds from level (optional)"),
        _c("builds.to", "int", "baut auf bis Stufe (optional)", "builds up to level (optional)"),
        _c("track", "str", "plan oder quick_win (Vorgabe plan)", "plan or quick_win (default plan)", ("plan", "quick_win")),
    ), "Der Maßnahmenkatalog für die Roadmap (optional)", "the roadmap's measures (optional)"),
    Sheet("Auslöser", "triggers", (
        _c("question", "str", "Frage (Kennung)", "question (id)"), _c("group", "str", "oder Gruppe", "or group"),
        _c("dimension", "str", "oder Dimension", "or dimension"), _c("rule", "str", "oder Regel", "or rule"),
        _c("below", "int", "unter Stufe (nicht bei Regeln)", "below level (not for rules)"),
    ), "Wann eine Maßnahme empfohlen wird: je Zeile eines von question, group, dimension, rule",
        "when a measure is recommended: one of question, group, dimension, rule per row", owner="measures",
        parent="of measure"),
    Sheet("Voraussetzungen", "prerequisites", (
        _c("measure", "str", "vorher diese Maßnahme (Kennung)", "first this measure (id)"),
        _c("question", "str", "oder Frage", "or question"), _c("group", "str", "oder Gruppe", "or group"),
        _c("dimension", "str", "oder Dimension", "or dimension"),
        _c("min_level", "int", "mindestens Stufe (nicht bei Maßnahmen)", "at least level (not for measures)"),
    ), "Was vor einer Maßnahme kommen muss", "what must come before a measure", owner="measures", parent="of measure"),
    Sheet("KPIs", "kpis", (_c("kpi", "text", "prüfbare Kennzahl für das Quality Gate", "checkable indicator for the gate"),),
          "Kennzahlen der Maßnahmen", "the measures' KPIs", owner="measures", parent="of measure", item_is_text=True),
    Sheet("Regeln", "rules", (
        _ID, _c("kind", "str", "dimension_gap oder pattern", "dimension_gap or pattern", ("dimension_gap", "pattern")),
        _c("message", "text", "Meldung", "message"),
        _c("ahead", "str", "dimension_gap: diese Dimension …", "dimension_gap: this dimension …"),
        _c("behind", "str", "… ist vor dieser", "… is ahead of this one"),
        _c("min_gap", "number", "… um mindestens so viele Stufen", "… by at least this many levels"),
    ), "Regeln für Insellösungs-Risiken (optional)", "isolated-solution rules (optional)"),
    Sheet("Bedingungen", "conditions", (
        _c("question", "str", "Frage (Kennung)", "question (id)"), _c("group", "str", "oder Gruppe", "or group"),
        _c("dimension", "str", "oder Dimension", "or dimension"),
        _c("questions", "list", "oder gezählte Fragen (durch Komma getrennt)", "or counted questions (comma-separated)"),
        _c("at_least", "int", "so viele davon (bei questions)", "this many of them (with questions)"),
        _c("min_level", "int", "mindestens Stufe", "at least level"), _c("max_level", "int", "höchstens Stufe", "at most level"),
    ), "Bedingungen der pattern-Regeln", "conditions of the pattern rules", owner="rules", parent="of rule"),
    Sheet("Vergleiche", "compares_with", (
        _c("version", "str", "ältere Version, mit der dieser Fragebogen vergleichbar ist",
           "an older version this one compares with"),
    ), "Ältere Versionen, mit denen verglichen wird (optional)", "older versions to compare with (optional)"),
    Sheet("Fragenvergleich", "questions", (
        _c("kind", "str", "same, split, merged, changed, new oder dropped", "same, split, merged, changed, new or dropped",
           ("same", "split", "merged", "changed", "new", "dropped")),
        _c("old", "ids", "alte Frage(n), durch Komma getrennt", "old question(s), comma-separated"),
        _c("new", "ids", "neue Frage(n), durch Komma getrennt", "new question(s), comma-separated"),
    ), "Wie alte Fragen in dieser Version weitergehen", "how old questions continue in this version",
        owner="compares_with", parent="of version"),
    Sheet("Dimensionsvergleich", "dimensions", (
        _c("old", "str", "alte Kennung der Dimension", "the dimension's old id"),
        _c("new", "str", "neue Kennung", "its new id"),
    ), "Umbenannte Dimensionen", "renamed dimensions", owner="compares_with", parent="of version"),
)
OWNER_KEYS = {s.key: s.columns[0].key for s in SHEETS if not s.owner}  # how a child row names its owner
SHEET_NAMES = (INSTRUCTIONS, META, *(s.name for s in SHEETS))

_HEADING = re.compile(r"^(?P<key>.+?)\s*\((?P<lang>[a-z]{2})\)$")
_LEVEL_KEY = re.compile(r"^level\s*(?P<n>[1-5])$")


def normalise(heading: Any) -> str:
    """A heading as compared: lowercase, single spaces ("Text  (DE)" reads as "text (de)")."""
    return " ".join(str(heading).split()).lower() if heading is not None else ""


def parse_heading(sheet: Sheet, heading: str) -> tuple[Column, str | None, int | None] | None:
    """The column, language and level a (normalised) heading names on `sheet`, or None."""
    match = _HEADING.match(heading)
    key, lang = (match["key"], match["lang"]) if match else (heading, None)
    level = _LEVEL_KEY.match(key)
    for column in sheet.columns:
        if lang is None and column.kind not in ("text", "levels") and column.key == key:
            return column, None, None
        if lang is not None and column.kind == "text" and column.key == key:
            return column, lang, None
        if lang is not None and column.kind == "levels" and level is not None:
            return column, lang, int(level["n"])
    return None


def nested_get(item: dict[str, Any], path: tuple[str, ...]) -> Any:
    """item[a][b] for path (a, b), None where missing."""
    value: Any = item
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def covered_keys(sheet: Sheet | None) -> Iterator[tuple[str, ...]]:
    """The key paths a sheet (None: the questionnaire sheet) holds, and the child lists other sheets hold."""
    columns = META_ROWS if sheet is None else sheet.columns
    yield from (c.path for c in columns)
    owner = "" if sheet is None else sheet.key
    yield from ((s.key,) for s in SHEETS if s.owner == owner or (sheet is None and not s.owner))


# A template to start from: valid as it is, one of each part, in German and English.
TEMPLATE: dict[str, Any] = {
    "format": 1, "id": "my-questionnaire", "version": "1.0.0", "languages": ["de", "en"],
    "title": {"de": "Mein Fragebogen", "en": "My questionnaire"},
    "description": {"de": "Wofür der Fragebogen da ist.", "en": "What the questionnaire is for."},
    "estimated_minutes": 10,
    "dimensions": [
        {"id": "channels", "title": {"de": "Kanäle", "en": "Channels"},
         "description": {"de": "Wie Kunden Sie erreichen.", "en": "How customers reach you."},
         "questions": [
             {"id": "ch.booking", "text": {"de": "Wie buchen Kunden einen Termin?", "en": "How do customers book?"},
              "levels": {"de": ["nur telefonisch", "per E-Mail-Formular", "online, von Hand übertragen",
                                "online, direkt im Servicesystem", "online, mit Rückmeldung in Echtzeit"],
                         "en": ["by phone only", "by e-mail form", "online, retyped by hand",
                                "online, straight into the service system", "online, confirmed in real time"]}},
             {"id": "ch.chat", "text": {"de": "Bieten Sie einen Chat an?", "en": "Do you offer a chat?"},
              "allow_na": True,
              "levels": {"de": ["nein", "Pilot", "zu Geschäftszeiten", "mit Kundenhistorie", "rund um die Uhr, integriert"],
                         "en": ["no", "pilot", "in business hours", "with customer history", "around the clock, integrated"]}},
         ]},
    ],
    "measures": [
        {"id": "m.online-booking", "dimension": "channels",
         "title": {"de": "Online-Buchung anbinden", "en": "Connect online booking"},
         "description": {"de": "Buchungen ohne Abtippen ins Servicesystem übernehmen.",
                         "en": "Take bookings into the service system without retyping."},
         "triggers": [{"question": "ch.booking", "below": 4}], "effort": "medium", "impact": "high", "duration_weeks": 8,
         "kpis": [{"de": "Anteil der Buchungen ohne Abtippen", "en": "Share of bookings not retyped"}]},
    ],
}
