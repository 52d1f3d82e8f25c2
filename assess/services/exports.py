"""Exports of one assessment: CSV and XLSX (a row per respondent and question) and the result JSON."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from typing import Any

from assess.db.models import Assessment, Organisation, Respondent
from assess.domain.answers import Response
from assess.domain.questionnaire import Questionnaire

COLUMNS = (
    "organisation", "assessment_id", "questionnaire", "version", "respondent_id", "role", "respondent_name",
    "dimension_id", "dimension", "question_id", "question", "answer", "level", "level_text", "comment",
    "not_applicable_reason",
)


def _safe(value: object) -> object:
    """Neutralise spreadsheet formulas in free text (CSV/Excel injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def answer_rows(questionnaire: Questionnaire, organisation: Organisation, assessment: Assessment,
                respondents: Sequence[Respondent], responses: Sequence[Response], lang: str) -> Iterator[list[Any]]:
    """One row per respondent and question, in questionnaire order."""
    for respondent, response in zip(respondents, responses, strict=True):
        for dimension in questionnaire.dimensions:
            for question in dimension.questions:
                answer = response.answers.get(question.id)
                level = answer.level if answer else None
                yield [_safe(x) for x in (
                    organisation.name, assessment.id, questionnaire.id, questionnaire.version, respondent.id,
                    respondent.role, respondent.name or "", dimension.id, dimension.title.get(lang), question.id,
                    question.text.get(lang), "" if answer is None else str(answer.value),
                    "" if level is None else level, "" if level is None else question.level_text(level, lang),
                    answer.comment if answer else "", answer.reason if answer else "",
                )]


def to_csv(rows: Iterator[list[Any]]) -> bytes:
    """UTF-8 with a byte-order mark and semicolons, so German Excel opens it with umlauts intact."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: Iterator[list[Any]], sheet_title: str = "Answers") -> bytes:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    assert sheet is not None
    sheet.title = sheet_title[:31]
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    for index, width in enumerate((24, 8, 18, 8, 8, 14, 18, 14, 24, 24, 50, 10, 6, 50, 40, 30), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
