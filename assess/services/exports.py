"""Exports of one assessment, one registry entry per format: CSV (a row per respondent and question), XLSX
(those rows, then scores by dimension, question and role, the roadmap and the agreed levels:
assess.services.export_sheets), the result JSON and the board report as PDF and DOCX. Headers and
role names are in the reader's language.

A new format is one function decorated with `@export_format(...)`: the workspace's buttons, its
download route and the API's list of formats all read `FORMATS`.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from assess.catalog import Catalog
from assess.db.models import Assessment, Organisation, Respondent
from assess.domain.answers import Response
from assess.domain.questionnaire import Questionnaire
from assess.reporting.catalogs import translations
from assess.reporting.labels import N_, role_label
from assess.reporting.serialize import evaluation_to_dict
from assess.services import aggregate, questionnaires, reports, workshop
from assess.services.export_sheets import Sheet, result_sheets

# The raw answers' columns: a stable key each, and the header the reader sees (in their language).
ANSWER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("organisation", N_("Organisation")), ("assessment_id", N_("Assessment no.")),
    ("questionnaire", N_("Questionnaire")), ("version", N_("Version")), ("respondent_id", N_("Respondent no.")),
    ("role", N_("Role")), ("respondent_name", N_("Name")), ("dimension_id", N_("Dimension ID")),
    ("dimension", N_("Dimension")), ("question_id", N_("Question ID")), ("question", N_("Question")),
    ("answer", N_("Answer")), ("level", N_("Level")), ("level_text", N_("What the level means")),
    ("comment", N_("Comment")), ("not_applicable_reason", N_("Why not applicable")),
    ("agreed_level", N_("Level agreed in the workshop")),
)
COLUMNS = tuple(key for key, _header in ANSWER_COLUMNS)
ANSWER_WIDTHS = (24, 8, 18, 8, 8, 22, 18, 14, 24, 24, 50, 14, 6, 50, 40, 30, 12)
ANSWER_WORDS = {"dont_know": N_("Don't know"), "na": N_("Not applicable")}


def headers(lang: str) -> list[str]:
    """The raw answers' column headers in `lang`."""
    gettext = translations(lang).gettext
    return [gettext(header) for _key, header in ANSWER_COLUMNS]


def safe_cell(value: object) -> object:
    """Neutralise spreadsheet formulas in free text (CSV/Excel injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def answer_rows(questionnaire: Questionnaire, organisation: Organisation, assessment: Assessment,
                respondents: Sequence[Respondent], responses: Sequence[Response], lang: str,
                agreed: Mapping[str, int] | None = None) -> Iterator[list[Any]]:
    """One row per respondent and question, in questionnaire order; role and answer in words, with the level
    agreed in the workshop (the result of record) on every row of its question."""
    gettext, agreed = translations(lang).gettext, agreed or {}
    for respondent, response in zip(respondents, responses, strict=True):
        for dimension in questionnaire.dimensions:
            for question in dimension.questions:
                answer = response.answers.get(question.id)
                level = answer.level if answer else None
                value = "" if answer is None else str(answer.value)
                yield [safe_cell(x) for x in (
                    organisation.name, assessment.id, questionnaire.id, questionnaire.version, respondent.id,
                    role_label(respondent.role, lang), respondent.name or "", dimension.id, dimension.title.get(lang),
                    question.id, question.text.get(lang), gettext(ANSWER_WORDS[value]) if value in ANSWER_WORDS else value,
                    "" if level is None else level, "" if level is None else question.level_text(level, lang),
                    answer.comment if answer else "", answer.reason if answer else "", agreed.get(question.id, ""),
                )]


def to_csv(rows: Iterator[list[Any]], header: Sequence[str] = COLUMNS) -> bytes:
    """UTF-8 with a byte-order mark and semicolons, so German Excel opens it with umlauts intact."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(answers: Sheet, more: Sequence[Sheet] = ()) -> bytes:
    """A workbook: the raw answers first (as the export always began), then `more`; every text made safe."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for sheet in (answers, *more):
        page = workbook.create_sheet(sheet.title[:31])
        page.append([safe_cell(h) for h in sheet.headers])
        for cell in page[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            page.append([safe_cell(value) for value in row])
        page.freeze_panes = "A2"
        for index, width in enumerate(sheet.widths, start=1):
            page.column_dimensions[get_column_letter(index)].width = width
        for column in sheet.percent:
            for (cell,) in page.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
                cell.number_format = "0%"
    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True, slots=True)
class Source:
    """What an export is made of: one assessment of the viewer's workspace (the caller checked that)."""

    session: Session
    catalog: Catalog
    assessment: Assessment
    organisation: Organisation
    lang: str  # a language of the assessment's questionnaire


@dataclass(frozen=True, slots=True)
class ExportFormat:
    name: str  # in the download's URL (export.<name>) and in the audit entry (export_<name>)
    label: str  # the button's words (a msgid, translated where it is shown)
    mimetype: str
    file_name: Callable[[Source], str]
    build: Callable[[Source], bytes]
    # Printed by a background worker (the download waits for it) from this report data, instead of `build`.
    report: Callable[[Source], dict[str, Any]] | None = None


@dataclass(frozen=True, slots=True)
class Exported:
    body: bytes
    mimetype: str
    file_name: str


FORMATS: dict[str, ExportFormat] = {}


def export_format(name: str, label: str, mimetype: str, file_name: Callable[[Source], str], *,
                  report: Callable[[Source], dict[str, Any]] | None = None,
                  ) -> Callable[[Callable[[Source], bytes]], Callable[[Source], bytes]]:
    """Register `build` as the export `name` (one entry per format)."""
    def register(build: Callable[[Source], bytes]) -> Callable[[Source], bytes]:
        if name in FORMATS:
            raise ValueError(f"export format {name!r} is registered twice")
        FORMATS[name] = ExportFormat(name, label, mimetype, file_name, build, report)
        return build
    return register


def source(session: Session, catalog: Catalog, assessment: Assessment, organisation: Organisation,
           asked_lang: str | None) -> Source:
    """What an export of the assessment is made of, texts in `asked_lang` where the questionnaire has them."""
    lang = questionnaires.for_assessment(session, catalog, assessment).language(asked_lang)
    return Source(session, catalog, assessment, organisation, lang)


def export(session: Session, catalog: Catalog, assessment: Assessment, organisation: Organisation, name: str,
           asked_lang: str | None) -> Exported | None:
    """The assessment exported as `name` (None: no such format), texts in `asked_lang` where the questionnaire
    has them."""
    found = FORMATS.get(name)
    if found is None:
        return None
    made_of = source(session, catalog, assessment, organisation, asked_lang)
    return Exported(found.build(made_of), found.mimetype, found.file_name(made_of))


def slug(text: str, limit: int = 60) -> str:
    """ASCII letters, digits and dashes only: safe in any header and any file system."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit]


def report_file_name(organisation: str, date: str, extension: str = "pdf") -> str:
    """A board report's file name, e.g. report-autohaus-muller-2026-11-23.pdf."""
    name = slug(organisation)
    return f"report-{name + '-' if name else ''}{date}.{extension}"


def _data_file_name(suffix: str) -> Callable[[Source], str]:
    def name(source: Source) -> str:
        return f"{slug(source.organisation.name) or 'assessment'}-{source.assessment.id}-{suffix}"
    return name


def _answer_rows(source: Source) -> Iterator[list[Any]]:
    assert source.assessment.id is not None
    questionnaire = questionnaires.for_assessment(source.session, source.catalog, source.assessment)
    respondents, found = aggregate.responses(source.session, source.assessment.id, questionnaire)
    agreed = {q: c.level for q, c in aggregate.consensus_of(source.session, source.assessment.id).items()}
    return answer_rows(questionnaire, source.organisation, source.assessment, respondents, found, source.lang, agreed)


@export_format("csv", N_("Answers (CSV)"), "text/csv", _data_file_name("answers.csv"))  # Flask adds the charset
def _csv(source: Source) -> bytes:
    return to_csv(_answer_rows(source), headers(source.lang))


@export_format("xlsx", N_("Results and answers (Excel)"),
               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _data_file_name("results.xlsx"))
def _xlsx(source: Source) -> bytes:
    result = aggregate.evaluate_assessment(source.session, source.catalog, source.assessment)
    agreed = workshop.agreed_levels(source.session, source.catalog, source.assessment, source.lang)
    answers = Sheet(translations(source.lang).gettext("Answers"), headers(source.lang), list(_answer_rows(source)),
                    ANSWER_WIDTHS)
    return to_xlsx(answers, result_sheets(evaluation_to_dict(result.evaluation, source.lang), agreed, source.lang))


@export_format("json", N_("Result (JSON)"), "application/json", _data_file_name("result.json"))
def _json(source: Source) -> bytes:
    result = aggregate.evaluate_assessment(source.session, source.catalog, source.assessment)
    data = evaluation_to_dict(result.evaluation, source.lang)
    data["workshop"] = _workshop(source)
    if result.previous is not None:  # a follow-up: the change since the previous assessment, where it compares
        data["change"] = reports.assessment_report(source.session, source.catalog, source.assessment,
                                                   source.organisation, source.lang)["change"]
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def _workshop(source: Source) -> dict[str, Any]:
    """The workshop's agenda with each item's status, and every agreed level (the result of record)."""
    agenda = workshop.agenda(source.session, source.catalog, source.assessment, source.lang)
    return {
        "agenda": [{"position": a.position, "question": a.question_id, "text": a.text, "status": a.status,
                    "agreed_level": a.agreed_level} for a in agenda],
        "agreed": workshop.agreed_levels(source.session, source.catalog, source.assessment, source.lang),
    }


def _report_file_name(extension: str) -> Callable[[Source], str]:
    def name(source: Source) -> str:
        return report_file_name(source.organisation.name, source.assessment.created_at.date().isoformat(), extension)
    return name


def _report(source: Source) -> dict[str, Any]:
    return reports.assessment_report(source.session, source.catalog, source.assessment, source.organisation,
                                     source.lang)


@export_format("pdf", N_("Board report (PDF)"), "application/pdf", _report_file_name("pdf"), report=_report)
def _pdf(source: Source) -> bytes:
    from assess.reporting.pdf import render_pdf  # WeasyPrint and kaleido load on the first report

    return render_pdf(_report(source))


@export_format("docx", N_("Report to edit (Word)"),
               "application/vnd.openxmlformats-officedocument.wordprocessingml.document", _report_file_name("docx"),
               report=_report)
def _docx(source: Source) -> bytes:
    from assess.reporting.word import render_docx

    return render_docx(_report(source))
