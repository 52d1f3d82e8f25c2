"""Which questionnaire an assessment uses: a shipped one or one a workspace uploaded.

Everything goes through one resolver, `get(ref)`: an assessment is pinned to a
`QuestionnaireRef` (source, id, version, content hash) when it starts, and every
later lookup resolves that pin, never the id and version alone. Starting an
assessment turns the consultant's choice (id, optional version) into a ref with
`choose`. A workspace cannot upload an id and version the installation ships, so
a choice is never ambiguous within a workspace.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from assess.catalog import Catalog, Problem, QuestionnaireError, digest_of, parse_questionnaire, version_key
from assess.catalog.versions import UNCHECKED, Earlier, EarlierVersion, earlier_version
from assess.db.models import Assessment, StoredQuestionnaire
from assess.domain.questionnaire import Questionnaire, QuestionnaireRef

log = logging.getLogger(__name__)


class QuestionnaireNotFound(LookupError):
    pass


def _file_name(row: StoredQuestionnaire) -> str:
    return f"{row.questionnaire_id}-{row.version}.yaml"


def _stored_row(session: Session, workspace_id: int, questionnaire_id: str, version: str) -> StoredQuestionnaire | None:
    return session.exec(select(StoredQuestionnaire).where(
        StoredQuestionnaire.workspace_id == workspace_id,
        StoredQuestionnaire.questionnaire_id == questionnaire_id,
        StoredQuestionnaire.version == version,
    )).first()


def get(session: Session, catalog: Catalog, ref: QuestionnaireRef) -> Questionnaire:
    """The questionnaire a reference names (an empty digest: pinned before digests existed, any content)."""
    if ref.workspace_id is None:
        try:
            found = catalog.get(ref.id, ref.version)
        except LookupError as error:
            raise QuestionnaireNotFound(str(error.args[0])) from None
    else:
        row = _stored_row(session, ref.workspace_id, ref.id, ref.version)
        if row is None:
            raise QuestionnaireNotFound(f"questionnaire {ref.id!r} version {ref.version!r} is not stored in this workspace")
        found = catalog.parsed(ref.workspace_id, row.source, _file_name(row))
    if ref.digest and found.digest != ref.digest:
        # A shipped file edited in place without a new version: answers stay readable, but say so.
        log.warning("questionnaire %s %s changed since it was pinned (digest %s, now %s)",
                    ref.id, ref.version, ref.digest[:12], found.digest[:12])
    return found


def pinned_ref(assessment: Assessment) -> QuestionnaireRef:
    """The questionnaire an assessment was started with."""
    return QuestionnaireRef(assessment.questionnaire_workspace_id, assessment.questionnaire_id,
                            assessment.questionnaire_version, assessment.questionnaire_digest or "")


def for_assessment(session: Session, catalog: Catalog, assessment: Assessment) -> Questionnaire:
    """The exact questionnaire an assessment was started with."""
    return get(session, catalog, pinned_ref(assessment))


def pin_fields(questionnaire: Questionnaire) -> dict[str, Any]:
    """The columns that pin a new assessment to `questionnaire`: source, id, version and content hash."""
    return {"questionnaire_workspace_id": questionnaire.workspace_id, "questionnaire_id": questionnaire.id,
            "questionnaire_version": questionnaire.version, "questionnaire_digest": questionnaire.digest}


def choices(session: Session, catalog: Catalog, workspace_id: int) -> list[QuestionnaireRef]:
    """What a workspace can start assessments with: the newest shipped version of each id and its own uploads."""
    refs = [q.ref for q in catalog.all()]
    rows = session.exec(select(StoredQuestionnaire).where(StoredQuestionnaire.workspace_id == workspace_id)
                        .order_by(col(StoredQuestionnaire.id)))
    refs += [QuestionnaireRef(workspace_id, row.questionnaire_id, row.version, digest_of(row.source)) for row in rows]
    return sorted(refs, key=lambda r: (r.id, version_key(r.version), r.workspace_id is not None))


def available_versions(session: Session, catalog: Catalog, workspace_id: int) -> dict[str, list[str]]:
    """questionnaire id -> versions (oldest first) a workspace can start assessments with."""
    out: dict[str, list[str]] = {}
    for ref in choices(session, catalog, workspace_id):
        if ref.version not in out.setdefault(ref.id, []):
            out[ref.id].append(ref.version)
    return out


@dataclass(frozen=True, slots=True)
class Offered:
    """A questionnaire a workspace can start an assessment with, as a consultant chooses it: by title."""

    id: str
    version: str
    title: str  # in the language asked for, else the questionnaire's first
    own: bool  # the workspace uploaded it


def offered(session: Session, catalog: Catalog, workspace_id: int, language: str) -> list[Offered]:
    """`choices` by title (in `language`) and version, the newest version first; an id and version once."""
    refs = {(ref.id, ref.version): ref for ref in choices(session, catalog, workspace_id)}  # own uploads come last
    out = []
    for ref in refs.values():
        found = get(session, catalog, ref)
        out.append(Offered(ref.id, ref.version, found.title.get(language), ref.workspace_id is not None))
    out.sort(key=lambda o: version_key(o.version), reverse=True)
    return sorted(out, key=lambda o: (o.title.casefold(), o.id))


def choose(session: Session, catalog: Catalog, workspace_id: int, questionnaire_id: str,
           version: str | None = None) -> Questionnaire:
    """The questionnaire a workspace means by an id and (optional, else the newest) version.

    The workspace's own upload wins over a shipped file of the same id and version
    (which can only appear when the operator ships it after the upload).
    """
    matching = [r for r in choices(session, catalog, workspace_id)
                if r.id == questionnaire_id and (version is None or r.version == version)]
    if not matching:
        wanted = f"{questionnaire_id!r}" + (f" version {version!r}" if version else "")
        raise QuestionnaireNotFound(f"unknown questionnaire {wanted}")
    return get(session, catalog, matching[-1])


def _line_of(text: str, key: str) -> int:
    """The line of a top-level `key:` in a YAML text (1 when it cannot be found)."""
    match = re.search(rf"^{key}\s*:", text, flags=re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _kept_versions(session: Session, catalog: Catalog, workspace_id: int) -> Earlier:
    """The older versions an upload's `compares_with` may map from: the workspace's own, or shipped ones; a version
    kept in neither is not checked (the consultant may bring it later)."""
    def find(questionnaire_id: str, version: str) -> EarlierVersion | None:
        row = _stored_row(session, workspace_id, questionnaire_id, version)
        if row is not None:
            label = f"{questionnaire_id} {version}"
            return earlier_version(row.source, label, questionnaire_id, version, trusted=False) or UNCHECKED
        if catalog.has(questionnaire_id, version):
            shipped = catalog.get(questionnaire_id, version)
            return EarlierVersion(f"{questionnaire_id} {version}", frozenset(q.id for q in shipped.questions()),
                                  frozenset(d.id for d in shipped.dimensions))
        return UNCHECKED

    return find


def import_questionnaire(session: Session, catalog: Catalog, workspace_id: int, text: str, filename: str,
                         user_id: int | None) -> Questionnaire:
    """Validate and store an uploaded questionnaire; raise QuestionnaireError listing every problem.

    Nothing is stored unless the whole file is valid, and an existing version is
    never overwritten: a changed questionnaire needs a new version number. An id
    and version the installation ships are refused: the upload would shadow it.
    """
    questionnaire = parse_questionnaire(text, filename, workspace_id=workspace_id,
                                        earlier=_kept_versions(session, catalog, workspace_id))
    if catalog.has(questionnaire.id, questionnaire.version):
        raise QuestionnaireError([Problem(filename, _line_of(text, "version"), "version", (
            f"'{questionnaire.id}' version {questionnaire.version} is shipped with assess; a workspace's own "
            "questionnaire must not reuse a shipped id and version: give it an id of its own "
            f"(e.g. '{questionnaire.id}-own') or another version"), "shipped_version",
            (("id", questionnaire.id), ("version", questionnaire.version)))])
    exists = _stored_row(session, workspace_id, questionnaire.id, questionnaire.version)
    if exists is not None:
        if exists.source == text:
            return questionnaire  # the same file again: nothing to do
        raise QuestionnaireError([Problem(filename, 1, "version", (
            f"version {questionnaire.version} of '{questionnaire.id}' exists already with different content; "
            "raise the version number so that past assessments keep the version they were answered with"),
            "version_exists", (("id", questionnaire.id), ("version", questionnaire.version)))])
    session.add(StoredQuestionnaire(workspace_id=workspace_id, questionnaire_id=questionnaire.id,
                                    version=questionnaire.version, source=text, uploaded_by=user_id))
    session.flush()
    return questionnaire
