"""Invitations from a pasted list: one respondent per line, "role; name; e-mail", checked as a whole first.

Lines come from a spreadsheet or a mail as often as from typing, so fields may be
separated by a tab, a semicolon or a comma; the role may be its code or its name
in any of the app's languages. Nothing is created unless every line is right.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from assess.db.models import Assessment, Respondent
from assess.domain.answers import ROLES
from assess.domain.text import is_storable
from assess.reporting.catalogs import translations
from assess.reporting.labels import ROLES as ROLE_NAMES
from assess.services import audit, clients

MAX_LINES = 200
EMAIL_LENGTH = 254  # Respondent.email
_EMAIL = re.compile(r"[^@\s;,<>]+@[^@\s;,<>]+\.[^@\s;,<>]+")
_HEADER_WORDS = {"role", "rolle"}


@dataclass(frozen=True, slots=True)
class Line:
    """One respondent to invite, as read from line `number` of the list."""

    number: int
    role: str
    name: str
    email: str


@dataclass(frozen=True, slots=True)
class LineProblem:
    """What is wrong with line `number`: `code` (see the web's messages) and the text concerned."""

    number: int
    # missing_role, unknown_role, too_many_fields, name_too_long, not_an_email, duplicate_email, invited_already,
    # unstorable
    code: str
    value: str = ""


@dataclass
class ListError(ValueError):
    """The list cannot be used as it is: `problems` per line, or `too_many` lines / `empty`."""

    problems: list[LineProblem] = field(default_factory=list)
    too_many: int = 0
    empty: bool = False


def _role_words(languages: Iterable[str]) -> dict[str, str]:
    """Every way of writing a role (code, name, each part of "Executive / owner") in `languages` -> its code."""
    words: dict[str, str] = {}
    for code in ROLES:
        names = [code, code.replace("_", " ")]
        for lang in languages:
            name = translations(lang).gettext(ROLE_NAMES[code])
            names += [name, *name.split(" / ")]
        for word in names:
            words.setdefault(word.strip().casefold(), code)
    return words


def _fields(text: str) -> list[str]:
    separator = "\t" if "\t" in text else ";" if ";" in text else ","
    cells = [cell.strip().strip('"').strip() for cell in text.split(separator)]
    while cells and not cells[-1]:  # a spreadsheet's empty columns at the end
        cells.pop()
    return cells


def _line_problems(number: int, raw: str, role_text: str, role: str | None, name: str, email: str,
                   seen: set[str]) -> list[LineProblem]:
    """What is wrong with one line (`seen`: the e-mail addresses of the lines before)."""
    if not is_storable(raw):
        return [LineProblem(number, "unstorable")]
    if len(_fields(raw)) > 3:
        return [LineProblem(number, "too_many_fields", raw.strip()[:80])]
    problems = []
    if not role_text:
        problems.append(LineProblem(number, "missing_role"))
    elif role is None:
        problems.append(LineProblem(number, "unknown_role", role_text[:80]))
    if len(name) > clients.RESPONDENT_NAME_LENGTH:
        problems.append(LineProblem(number, "name_too_long", name[:40] + "…"))
    if email and (len(email) > EMAIL_LENGTH or not _EMAIL.fullmatch(email)):
        problems.append(LineProblem(number, "not_an_email", email[:80]))
    elif email and email.casefold() in seen:
        problems.append(LineProblem(number, "duplicate_email", email))
    return problems


def parse(text: str, languages: Iterable[str]) -> list[Line]:
    """The list's respondents; ListError listing every line that is wrong (a first line of headings is skipped)."""
    words = _role_words(languages)
    rows = [(number, raw) for number, raw in enumerate(text.splitlines(), start=1) if raw.strip()]
    if rows and (_fields(rows[0][1]) or [""])[0].casefold() in _HEADER_WORDS:
        rows = rows[1:]
    if not rows:
        raise ListError(empty=True)
    if len(rows) > MAX_LINES:
        raise ListError(too_many=len(rows))
    lines: list[Line] = []
    problems: list[LineProblem] = []
    seen: set[str] = set()
    for number, raw in rows:
        role_text, name, email = [*_fields(raw), "", "", ""][:3]
        role = words.get(role_text.casefold())
        found = _line_problems(number, raw, role_text, role, name, email, seen)
        seen.add(email.casefold())
        problems += found
        if not found and role is not None:
            lines.append(Line(number, role, name, email))
    if problems:
        raise ListError(problems)
    return lines


@dataclass(frozen=True, slots=True)
class Created:
    line: Line
    invitation: clients.Invitation


def invite_all(session: Session, actor: audit.Actor, assessment: Assessment, text: str, *, language: str,
               languages: Iterable[str]) -> list[Created]:
    """Invite every respondent of the list (ListError and nothing created if any line is wrong, or if an e-mail
    address is invited to this assessment already)."""
    lines = parse(text, languages)
    invited = {email.casefold() for email in session.exec(select(col(Respondent.email)).where(
        Respondent.assessment_id == assessment.id, col(Respondent.email).is_not(None))) if email}
    again = [LineProblem(line.number, "invited_already", line.email) for line in lines
             if line.email and line.email.casefold() in invited]
    if again:
        raise ListError(again)
    return [Created(line, clients.invite(session, assessment, role=line.role, name=line.name, email=line.email,
                                         language=language, actor=actor)) for line in lines]
