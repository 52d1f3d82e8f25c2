"""Questionnaires as spreadsheets in a workspace: the workbook of one it can use, the template, and an upload."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from assess.catalog import Catalog, QuestionnaireError
from assess.catalog.sheet_export import write_workbook
from assess.catalog.sheet_import import checked_spreadsheet, to_yaml
from assess.catalog.sheet_layout import TEMPLATE
from assess.catalog.source import read_yaml
from assess.db.models import StoredQuestionnaire
from assess.domain.questionnaire import Questionnaire
from assess.services import questionnaires
from assess.services.questionnaires import QuestionnaireNotFound

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_data(text: str, file: str) -> dict[str, Any]:
    """The data of a questionnaire file that loaded (so it is valid)."""
    data, _source, problems = read_yaml(text, file, trusted=True)
    if problems or not isinstance(data, dict):
        raise QuestionnaireError(problems)
    return data


def _text(session: Session, questionnaire: Questionnaire) -> str:
    if questionnaire.workspace_id is None:
        try:
            return Path(questionnaire.source).read_text(encoding="utf-8")
        except OSError:
            raise QuestionnaireNotFound(f"the file of {questionnaire.id} {questionnaire.version} is gone") from None
    row = session.exec(select(StoredQuestionnaire).where(
        StoredQuestionnaire.workspace_id == questionnaire.workspace_id,
        StoredQuestionnaire.questionnaire_id == questionnaire.id,
        StoredQuestionnaire.version == questionnaire.version)).first()
    if row is None:
        raise QuestionnaireNotFound(f"questionnaire {questionnaire.id!r} {questionnaire.version!r} is not stored")
    return row.source


def workbook(session: Session, catalog: Catalog, workspace_id: int, questionnaire_id: str,
             version: str | None = None) -> tuple[str, bytes]:
    """(file name, XLSX) of a questionnaire the workspace can use (shipped or its own; the newest version unless
    `version` is given); QuestionnaireNotFound for any other."""
    questionnaire = questionnaires.choose(session, catalog, workspace_id, questionnaire_id, version)
    data = file_data(_text(session, questionnaire), questionnaire.source or "stored.yaml")
    return f"{questionnaire.id}-{questionnaire.version}.xlsx", write_workbook(data)


def template() -> bytes:
    """The template to start a questionnaire from: valid as it is, one of each part."""
    return write_workbook(TEMPLATE)


def import_workbook(session: Session, catalog: Catalog, workspace_id: int, content: bytes, filename: str,
                    user_id: int | None) -> Questionnaire:
    """Validate an uploaded workbook and store it as the workspace's own questionnaire (as the YAML it stands for);
    raise QuestionnaireError naming every problem's sheet and cell. Nothing is stored unless all is valid."""
    data, places = checked_spreadsheet(content, filename)
    try:
        return questionnaires.import_questionnaire(session, catalog, workspace_id, to_yaml(data), filename, user_id)
    except QuestionnaireError as error:  # a shipped or existing version: named at the workbook's cell
        raise QuestionnaireError(places.relocated(error.problems)) from None
