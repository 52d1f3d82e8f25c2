"""Which questionnaire an assessment uses: a shipped one or one a workspace uploaded."""

from __future__ import annotations

import threading

from sqlmodel import Session, col, select

from assess.catalog import Catalog, QuestionnaireError, parse_questionnaire
from assess.db.models import Assessment, Organisation, StoredQuestionnaire
from assess.domain.questionnaire import Questionnaire

_parsed: dict[tuple[int, str, str], Questionnaire] = {}
_lock = threading.Lock()


class QuestionnaireNotFound(LookupError):
    pass


def _stored(session: Session, workspace_id: int, questionnaire_id: str, version: str) -> Questionnaire | None:
    key = (workspace_id, questionnaire_id, version)
    with _lock:
        if key in _parsed:
            return _parsed[key]
    row = session.exec(select(StoredQuestionnaire).where(
        StoredQuestionnaire.workspace_id == workspace_id,
        StoredQuestionnaire.questionnaire_id == questionnaire_id,
        StoredQuestionnaire.version == version,
    )).first()
    if row is None:
        return None
    questionnaire = parse_questionnaire(row.source, f"{questionnaire_id}-{version}.yaml")
    with _lock:
        _parsed[key] = questionnaire  # a stored version never changes, so it can be cached for good
    return questionnaire


def resolve(session: Session, catalog: Catalog, workspace_id: int | None, questionnaire_id: str,
            version: str | None = None) -> Questionnaire:
    """A questionnaire by id and version: the workspace's own first, then the shipped ones."""
    if workspace_id is not None:
        versions = available_versions(session, catalog, workspace_id).get(questionnaire_id, [])
        if version is None and versions:
            version = versions[-1]
        if version is not None:
            stored = _stored(session, workspace_id, questionnaire_id, version)
            if stored is not None:
                return stored
    try:
        return catalog.get(questionnaire_id, version)
    except LookupError as error:
        raise QuestionnaireNotFound(str(error.args[0])) from None


def for_assessment(session: Session, catalog: Catalog, assessment: Assessment) -> Questionnaire:
    """The exact questionnaire version an assessment was started with."""
    try:
        return catalog.get(assessment.questionnaire_id, assessment.questionnaire_version)
    except LookupError:
        pass
    organisation = session.get(Organisation, assessment.organisation_id)
    workspace_id = organisation.workspace_id if organisation else None
    return resolve(session, catalog, workspace_id, assessment.questionnaire_id, assessment.questionnaire_version)


def available_versions(session: Session, catalog: Catalog, workspace_id: int) -> dict[str, list[str]]:
    """questionnaire id -> versions (oldest first) a workspace can start assessments with."""
    out: dict[str, list[str]] = {}
    for questionnaire in catalog.all():
        out.setdefault(questionnaire.id, []).append(questionnaire.version)
    rows = session.exec(select(StoredQuestionnaire).where(StoredQuestionnaire.workspace_id == workspace_id)
                        .order_by(col(StoredQuestionnaire.id)))
    for row in rows:
        if row.version not in out.setdefault(row.questionnaire_id, []):
            out[row.questionnaire_id].append(row.version)
    return out


def import_questionnaire(session: Session, workspace_id: int, text: str, filename: str,
                         user_id: int | None) -> Questionnaire:
    """Validate and store an uploaded questionnaire; raise QuestionnaireError listing every problem.

    Nothing is stored unless the whole file is valid, and an existing version is
    never overwritten: a changed questionnaire needs a new version number.
    """
    questionnaire = parse_questionnaire(text, filename)
    exists = session.exec(select(StoredQuestionnaire).where(
        StoredQuestionnaire.workspace_id == workspace_id,
        StoredQuestionnaire.questionnaire_id == questionnaire.id,
        StoredQuestionnaire.version == questionnaire.version,
    )).first()
    if exists is not None:
        if exists.source == text:
            return questionnaire  # the same file again: nothing to do
        from assess.catalog.source import Problem

        raise QuestionnaireError([Problem(filename, 1, "version", (
            f"version {questionnaire.version} of '{questionnaire.id}' exists already with different content; "
            "raise the version number so that past assessments keep the version they were answered with"))])
    session.add(StoredQuestionnaire(workspace_id=workspace_id, questionnaire_id=questionnaire.id,
                                    version=questionnaire.version, source=text, uploaded_by=user_id))
    session.flush()
    return questionnaire
