"""A questionnaire file's problems in the consultant's language: which file, where, what is wrong, how to fix it.

The catalog names each common problem with a code and its values (assess.catalog.source.Problem); the
English message is kept for the command line and for the rarer problems that have no code yet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from assess.catalog import Problem

MESSAGES = {
    "yaml_syntax": _l("This is not valid YAML (column %(column)s): %(reason)s"),
    "duplicate_key": _l("This key is given twice (first on line %(first)s). Keep one of them."),
    "number_too_large": _l("This number is too large (%(digits)s digits); the numbers of a questionnaire have a few."),
    "unreadable_value": _l("“%(value)s” cannot be read as a value. Put it in quotes if it is meant as text."),
    "unstorable_text": _l("This text contains a NUL, a control character or a lone surrogate. Remove it."),
    "missing": _l("The required key “%(key)s” is missing. Add it."),
    "unknown_key": _l("“%(key)s” is not a key known here. Check its spelling or remove it; allowed here: %(allowed)s."),
    "wrong_type": _l("Expected %(expected)s here, but found “%(value)s”."),
    "too_large": _l("%(value)s is too large here: at most %(limit)s is allowed."),
    "too_large_strict": _l("%(value)s is too large here: the value must be less than %(limit)s."),
    "too_small": _l("%(value)s is too small here: at least %(limit)s is required."),
    "too_small_strict": _l("%(value)s is too small here: the value must be greater than %(limit)s."),
    "text_too_long": _l("The text is too long here: at most %(limit)s characters."),
    "too_many_items": _l("There are too many entries here: at most %(limit)s."),
    "not_allowed": _l("“%(value)s” is not allowed here. Use one of: %(allowed)s."),
    "bad_id": _l("“%(value)s” is not a valid id or code. Use lowercase letters, digits and . - _, starting with a "
                 "letter."),
    "empty": _l("“%(key)s” must not be empty. Add at least one entry."),
    "shipped_version": _l("“%(id)s” version %(version)s is shipped with the application. Give your questionnaire an id "
                          "of its own (for example “%(id)s-own”) or another version."),
    # a mapping to an earlier version (compares_with, assess.catalog.versions)
    "mapping_own_version": _l("Version %(version)s is this file's own version. Name an older version to compare with."),
    "mapping_version_twice": _l("Version %(version)s is listed twice. Keep one mapping per version."),
    "mapping_earlier_missing": _l("Version %(version)s of this questionnaire is not available, so its question ids "
                                  "cannot be checked. Upload that version first, or remove the mapping."),
    "mapping_shape": _l("This “%(kind)s” entry names %(old)s old and %(new)s new questions, which does not fit its "
                        "kind: same and changed name one of each, split one old and several new, merged several old "
                        "and one new, new only new ones, dropped only old ones."),
    "mapping_twice": _l("“%(id)s” is mapped twice. Map each question and each dimension once."),
    "mapping_unknown_new": _l("This version has no question “%(id)s”. Check its spelling."),
    "mapping_unknown_old": _l("Version %(version)s has no question “%(id)s”. Check its spelling."),
    "mapping_unknown_dimension": _l("“%(id)s” is not a dimension of the version named here. Check its spelling."),
    # a spreadsheet (assess.catalog.sheet_import)
    "not_xlsx": _l("This is not an XLSX workbook that can be read. Save it as .xlsx (Excel, LibreOffice) or upload a "
                   "YAML file."),
    "xlsx_too_large": _l("The workbook unpacks to more than %(limit)s MB; a questionnaire needs far less. Remove what "
                         "it does not need (images, other sheets)."),
    "xlsx_unsafe": _l("The workbook declares XML entities, which a spreadsheet never needs. Save it again as .xlsx."),
    "too_many_rows": _l("The sheet %(sheet)s has more than %(limit)s rows."),
    "too_many_columns": _l("The sheet %(sheet)s has more than %(limit)s columns."),
    "missing_sheet": _l("The workbook has no sheet %(sheet)s; it needs the sheets %(required)s. Start from the "
                        "template."),
    "unknown_sheet": _l("“%(sheet)s” is not a sheet of the questionnaire. Rename it to one of %(allowed)s or remove "
                        "it."),
    "unknown_heading": _l("“%(heading)s” is not a heading known on this sheet. Check its spelling; known here: "
                          "%(allowed)s."),
    "missing_heading": _l("The column “%(heading)s” is missing. Add it with this heading in row 1."),
    "duplicate_column": _l("This column is given twice (first in column %(first)s). Keep one of them."),
    "no_heading": _l("This value stands in a column without a known heading. Give the column its heading or clear "
                     "it."),
    "no_owner": _l("Name the %(owner)s this row belongs to (its id on the sheet %(sheet)s)."),
    "unknown_owner": _l("There is no %(owner)s “%(value)s” on the sheet %(sheet)s. Known: %(known)s."),
    "date_cell": _l("This cell holds a date or a time. Format the cell as text and type the value again."),
    "version_exists": _l("Version %(version)s of “%(id)s” exists already with a different content. Raise the version "
                         "number, so that past assessments keep the version they were answered with."),
}
EXPECTED = {"text": _l("a text (in quotes if it contains a colon)"), "integer": _l("a whole number"),
            "number": _l("a number"), "boolean": _l("true or false"), "mapping": _l("keys with values"),
            "list": _l("a list (each entry on a line starting with “-”)")}
OWNERS = {"dimension": _l("dimension"), "measure": _l("measure"), "rule": _l("rule"), "version": _l("older version")}
# PyYAML's reasons (English) -> what usually causes them, in words an author can act on.
YAML_REASONS = (
    (re.compile(r"mapping values are not allowed"), _l("a colon inside a text; put the text in quotes")),
    (re.compile(r"expected <block end>|expected <block mapping start>|did not find expected key"),
     _l("the indentation does not match the lines above; indent with the same number of spaces")),
    (re.compile(r"found character '\\t'"), _l("a tab character; indent with spaces only")),
    (re.compile(r"could not find expected ':'"), _l("a key without a colon after it")),
    (re.compile(r"found unexpected end of stream|found unknown escape"),
     _l("a quotation mark that is not closed, or a backslash inside quotes")),
    (re.compile(r"found undefined alias|found character '\*'|found character '&'"),
     _l("a text that starts with * or &; put it in quotes")),
)


def _yaml_reason(reason: str) -> str:
    for pattern, words in YAML_REASONS:
        if pattern.search(reason):
            return str(words)
    return _("%(reason)s; check the indentation and the quotes", reason=reason)


def _what(problem: Problem) -> str:
    params = dict(problem.params)
    template = MESSAGES.get(problem.code)
    if template is None:
        return problem.message  # a problem without a code (yet): the catalog's English words
    if problem.code == "yaml_syntax":
        params["reason"] = _yaml_reason(params.get("reason", ""))
    if problem.code == "wrong_type":
        params["expected"] = str(EXPECTED.get(params.get("expected", ""), params.get("expected", "")))
    if "owner" in params:
        params["owner"] = str(OWNERS.get(params["owner"], params["owner"]))
    if problem.code == "not_allowed":
        params["allowed"] = params.get("allowed", "").replace(" or ", ", ").replace("'", "")
    return str(template) % params


def describe(problem: Problem) -> str:
    """One problem: "upload.yaml, line 12 (dimensions[0].weight): <what is wrong and how to fix it>"; in a spreadsheet
    "upload.xlsx, cell Fragen!D14 (…): …"."""
    if problem.cell and problem.path:
        return _("%(file)s, cell %(cell)s (%(path)s): %(what)s", file=problem.file, cell=problem.cell,
                 path=problem.path, what=_what(problem))
    if problem.cell:
        return _("%(file)s, cell %(cell)s: %(what)s", file=problem.file, cell=problem.cell, what=_what(problem))
    if problem.file.lower().endswith(".xlsx"):
        return _("%(file)s: %(what)s", file=problem.file, what=_what(problem))
    if problem.path:
        return _("%(file)s, line %(line)d (%(path)s): %(what)s", file=problem.file, line=problem.line,
                 path=problem.path, what=_what(problem))
    return _("%(file)s, line %(line)d: %(what)s", file=problem.file, line=problem.line, what=_what(problem))


def messages(problems: Sequence[Problem]) -> list[str]:
    return [describe(p) for p in problems]
