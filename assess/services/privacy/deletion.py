"""Deleting respondents, assessments and clients outright, with every copy of what they showed.

Deletions remove the rows (no "deleted" flag), child rows first, so that nothing of a
deleted person or client is left in any table, cache or export. The audit log keeps only
that a deletion happened: who, when, kind and id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from assess.cache import assessment_tag, shared_cache
from assess.catalog import Catalog
from assess.db import repo
from assess.db.models import AnswerRow, Assessment, AssessmentScore, Consensus, Organisation, PlanItem, Respondent
from assess.db.session import after_commit, checkpoint
from assess.services import derived, peers
from assess.services.audit import Actor, record


def _delete(session: Session, model: Any, column: Any, ids: Collection[int]) -> int:
    if not ids:
        return 0
    result: Any = session.execute(delete(model).where(column.in_(list(ids))).execution_options(synchronize_session=False))
    return int(result.rowcount or 0)


def forget_artefacts(session: Session, assessment_ids: Collection[int]) -> None:
    """Delete every cached chart and PDF that shows these assessments, now and again after the commit.

    Now, so that a cache that cannot be reached stops the deletion (it raises; the caller
    rolls back) instead of keeping copies of deleted data; after the commit, for a report
    rendered in the meantime. SQLite also checkpoints then, so the data leaves its -wal file.
    """
    tags = [assessment_tag(a) for a in assessment_ids]
    shared_cache().forget(tags)
    engine = session.get_bind()
    after_commit(session, lambda: shared_cache().forget(tags))
    if isinstance(engine, Engine):
        after_commit(session, lambda: checkpoint(engine))


def delete_respondents(session: Session, ids: Collection[int], *, copies: bool = True) -> Counter[str]:
    """Delete respondents with their answers; return the number of rows per table.

    `copies`: also delete the cached reports of their assessments (the caller does when it deletes those).
    """
    counts: Counter[str] = Counter()
    assessments = session.exec(select(Respondent.assessment_id).where(col(Respondent.id).in_(list(ids)))).all() \
        if ids else []
    if assessments and copies:
        forget_artefacts(session, set(assessments))
    repo.data_changed(session, assessments)
    counts["answer"] += _delete(session, AnswerRow, col(AnswerRow.respondent_id), ids)
    counts["respondent"] += _delete(session, Respondent, col(Respondent.id), ids)
    _forget(session)
    return counts


def delete_assessments(session: Session, ids: Collection[int]) -> Counter[str]:
    """Delete assessments with their respondents, answers, consensus and action plan."""
    if not ids:
        return Counter()
    organisations = session.exec(select(Assessment.organisation_id).where(col(Assessment.id).in_(list(ids)))).all()
    groups = peers.group_keys(session, list(set(organisations)))  # peer groups these assessments counted in
    forget_artefacts(session, ids)
    respondents = session.exec(select(Respondent.id).where(col(Respondent.assessment_id).in_(list(ids)))).all()
    counts = delete_respondents(session, [r for r in respondents if r is not None], copies=False)
    counts["consensus"] += _delete(session, Consensus, col(Consensus.assessment_id), ids)
    counts["plan_item"] += _delete(session, PlanItem, col(PlanItem.assessment_id), ids)
    counts["assessment_score"] += _delete(session, AssessmentScore, col(AssessmentScore.assessment_id), ids)
    # A follow-up of a deleted assessment stays, without its link to the deleted one.
    session.execute(update(Assessment).where(col(Assessment.previous_id).in_(list(ids)))
                    .values(previous_id=None).execution_options(synchronize_session=False))
    counts["assessment"] += _delete(session, Assessment, col(Assessment.id), ids)
    peers.refresh_groups(session, groups)
    _forget(session)
    return counts


def delete_organisations(session: Session, ids: Collection[int]) -> Counter[str]:
    """Delete client organisations with everything under them."""
    if not ids:
        return Counter()
    assessments = session.exec(select(Assessment.id).where(col(Assessment.organisation_id).in_(list(ids)))).all()
    counts = delete_assessments(session, [a for a in assessments if a is not None])
    counts["organisation"] += _delete(session, Organisation, col(Organisation.id), ids)
    _forget(session)
    return counts


def _forget(session: Session) -> None:
    """Drop loaded rows from the session: some of them no longer exist."""
    session.flush()
    session.expunge_all()


def delete_respondent(session: Session, catalog: Catalog, actor: Actor, respondent: Respondent) -> Counter[str]:
    """Delete one respondent (their answers leave every aggregate, peer figures included) and note it in the audit log."""
    assert respondent.id is not None
    respondent_id, assessment_id = respondent.id, respondent.assessment_id
    counts = delete_respondents(session, [respondent_id])
    _forget_derived(session, catalog, [assessment_id])
    peers.refresh(session, catalog, assessment_id)
    record(session, actor, "delete", "respondent", respondent_id)
    return counts


def delete_organisation(session: Session, catalog: Catalog, actor: Actor, organisation: Organisation) -> Counter[str]:
    """Delete a client organisation with its assessments, respondents, answers and consensus."""
    assert organisation.id is not None
    organisation_id = organisation.id
    assessments = session.exec(select(Assessment.id).where(Assessment.organisation_id == organisation_id)).all()
    counts = delete_organisations(session, [organisation_id])
    _forget_derived(session, catalog, [a for a in assessments if a is not None])
    record(session, actor, "delete", "organisation", organisation_id)
    return counts


class NotASelfAssessment(Exception):
    """An invited respondent's answers belong to their consultant's assessment: the consultant deletes them."""


def delete_self_assessment(session: Session, catalog: Catalog, respondent: Respondent) -> Counter[str]:
    """Delete an anonymous self-assessment at its respondent's request: organisation, assessment, answers, reports.

    Nobody else can: it belongs to no workspace (no audit entry either: there is no one to record)."""
    assessment = session.get(Assessment, respondent.assessment_id)
    organisation = session.get(Organisation, assessment.organisation_id) if assessment is not None else None
    if assessment is None or organisation is None or organisation.workspace_id is not None or organisation.id is None:
        raise NotASelfAssessment
    assessment_id = assessment.id
    counts = delete_organisations(session, [organisation.id])
    _forget_derived(session, catalog, [assessment_id] if assessment_id is not None else [])
    return counts


def _forget_derived(session: Session, catalog: Catalog, assessment_ids: list[int]) -> None:
    """Results this process derived from the deleted data leave its memory now and once more after the commit."""
    derived.forget(catalog, assessment_ids)
    after_commit(session, lambda: derived.forget(catalog, assessment_ids))
