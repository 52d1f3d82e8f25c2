"""Peer figures: how organisations of the same industry or size score, without revealing any one of them.

The rule (SECURITY.md, "Peer figures"):
- Peers are organisations of *other* workspaces: never the viewer's own workspace,
  so nothing a consultant creates can be used to isolate someone else's client.
- Public self-assessments (started from /start, no workspace) are left out: anyone
  can create any number of them.
- A group is shown only when its organisations come from at least
  `MIN_SOURCES` other workspaces (sources are counted, not rows), and a dimension
  only when that many workspaces contribute a score to it.
- An organisation counts once, with its latest assessment of the same questionnaire
  id that has a result of record (a finished respondent or a workshop consensus).

Two stored, derived tables keep a results page's time independent of the number of
peers: `assessment_score` holds each assessment's result of record per dimension,
written whenever it changes (`refresh`); `peer_aggregate` holds, per questionnaire
id, group and workspace, the sum and count of its organisations' latest scores,
recomputed for that one workspace and group on the same change. A results page
reads a few rows per group (one per workspace and dimension).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert
from sqlalchemy import select as columns
from sqlmodel import Session, col, select

from assess.catalog import Catalog
from assess.db import repo
from assess.db.models import Assessment, AssessmentScore, Consensus, Organisation, PeerAggregate, Respondent
from assess.domain.evaluation import evaluate
from assess.services import questionnaires
from assess.services.responses import to_response

MIN_SOURCES = 5  # other workspaces a group's organisations must come from
GROUPS = ("industry", "size")


@dataclass(frozen=True, slots=True)
class PeerGroup:
    label: str  # "industry" or "size"
    organisations: int
    scores: dict[str, float]  # dimension id -> mean of the peers' dimension scores


def refresh(session: Session, catalog: Catalog, assessment_id: int) -> None:
    """Store an assessment's result of record per dimension (or remove it when it no longer counts as a peer),
    then the aggregates of its workspace's groups."""
    session.execute(delete(AssessmentScore).where(col(AssessmentScore.assessment_id) == assessment_id)
                    .execution_options(synchronize_session=False))
    assessment = session.get(Assessment, assessment_id)
    organisation = session.get(Organisation, assessment.organisation_id) if assessment is not None else None
    if assessment is None or organisation is None or organisation.workspace_id is None:
        session.flush()
        return  # deleted, or a public self-assessment: never a peer
    finished = list(session.exec(select(Respondent).where(
        Respondent.assessment_id == assessment_id, col(Respondent.finished_at).is_not(None))
        .order_by(col(Respondent.id))))
    agreed = {row.question_id: row.level for row in session.exec(
        select(Consensus).where(Consensus.assessment_id == assessment_id))}
    if finished or agreed:
        answers = repo.answers_of(session, [r.id for r in finished if r.id is not None])
        questionnaire = questionnaires.for_assessment(session, catalog, assessment)
        evaluation = evaluate(questionnaire, [to_response(r, answers[r.id or 0]) for r in finished], consensus=agreed)
        rows = [{"assessment_id": assessment_id, "dimension_id": d.dimension_id, "score": d.score}
                for d in evaluation.card.dimensions if d.score is not None]
        if rows:
            session.execute(insert(AssessmentScore), rows)
    session.flush()
    refresh_groups(session, [GroupKey.of(assessment.questionnaire_id, organisation)])


@dataclass(frozen=True, slots=True)
class GroupKey:
    """The groups one workspace's organisation contributes to, for one questionnaire id."""

    questionnaire_id: str
    workspace_id: int
    industry: str
    size: str

    @classmethod
    def of(cls, questionnaire_id: str, organisation: Organisation) -> GroupKey:
        assert organisation.workspace_id is not None
        return cls(questionnaire_id, organisation.workspace_id, organisation.industry, organisation.size)


def group_keys(session: Session, organisation_ids: Sequence[int]) -> list[GroupKey]:
    """The groups the given organisations' assessments count in (collect before deleting them)."""
    if not organisation_ids:
        return []
    query = (columns(col(Assessment.questionnaire_id), col(Organisation.workspace_id), col(Organisation.industry),
                     col(Organisation.size)).distinct()
             .join(Organisation, col(Organisation.id) == col(Assessment.organisation_id))
             .where(col(Organisation.id).in_(list(organisation_ids)), col(Organisation.workspace_id).is_not(None)))
    return [GroupKey(*row) for row in session.execute(query)]


def refresh_groups(session: Session, keys: Iterable[GroupKey]) -> None:
    """Recompute one workspace's contribution to each group from its organisations' latest stored scores."""
    for key in set(keys):
        for grouping in GROUPS:
            value = getattr(key, grouping)
            where = (col(PeerAggregate.questionnaire_id) == key.questionnaire_id, col(PeerAggregate.grouping) == grouping,
                     col(PeerAggregate.value) == value, col(PeerAggregate.workspace_id) == key.workspace_id)
            # Delete first: on PostgreSQL a concurrent refresh of the same rows waits here, then sees its result.
            session.execute(delete(PeerAggregate).where(*where).execution_options(synchronize_session=False))
            rows = [{"questionnaire_id": key.questionnaire_id, "grouping": grouping, "value": value,
                     "workspace_id": key.workspace_id, "dimension_id": dimension_id, "organisations": count,
                     "total": total}
                    for dimension_id, count, total in session.execute(_workspace_sums(key, grouping, value))]
            if rows:
                session.execute(insert(PeerAggregate), rows)
    session.flush()


def _workspace_sums(key: GroupKey, grouping: str, value: str) -> Any:
    """(dimension, organisations, sum of scores) over a workspace's organisations in a group, latest assessment each."""
    in_group = (col(Organisation.workspace_id) == key.workspace_id, getattr(Organisation, grouping) == value,
                col(Assessment.questionnaire_id) == key.questionnaire_id)
    latest = (columns(func.max(col(Assessment.id)))
              .join(Organisation, col(Organisation.id) == col(Assessment.organisation_id))
              .join(AssessmentScore, col(AssessmentScore.assessment_id) == col(Assessment.id))
              .where(*in_group).group_by(col(Assessment.organisation_id)))
    return (columns(col(AssessmentScore.dimension_id), func.count(), func.sum(col(AssessmentScore.score)))
            .join(Assessment, col(Assessment.id) == col(AssessmentScore.assessment_id))
            .join(Organisation, col(Organisation.id) == col(Assessment.organisation_id))
            .where(*in_group, col(Assessment.id).in_(latest))
            .group_by(col(AssessmentScore.dimension_id)))


def peer_groups(session: Session, assessment: Assessment, organisation: Organisation) -> list[PeerGroup]:
    """The peer groups a viewer of `assessment` (in `organisation`'s workspace) may see: see the module rule."""
    groups = []
    for grouping in GROUPS:
        query = (columns(col(PeerAggregate.workspace_id), col(PeerAggregate.dimension_id),
                         col(PeerAggregate.organisations), col(PeerAggregate.total))
                 .where(col(PeerAggregate.questionnaire_id) == assessment.questionnaire_id,
                        col(PeerAggregate.grouping) == grouping, col(PeerAggregate.value) == getattr(organisation, grouping),
                        col(PeerAggregate.workspace_id) != organisation.workspace_id))
        group = _group(grouping, session.execute(query).all())
        if group is not None:
            groups.append(group)
    return groups


def _group(label: str, rows: Sequence[Any]) -> PeerGroup | None:
    """Means per dimension from (workspace, dimension, count, sum) rows, or None when too few workspaces contribute."""
    organisations: dict[int, int] = defaultdict(int)  # workspace -> its organisations in the group
    sources: dict[str, set[int]] = defaultdict(set)
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for workspace_id, dimension_id, count, total in rows:
        organisations[workspace_id] = max(organisations[workspace_id], count)
        sources[dimension_id].add(workspace_id)
        totals[dimension_id][0] += count
        totals[dimension_id][1] += total
    if len(organisations) < MIN_SOURCES:
        return None
    scores = {d: t[1] / t[0] for d, t in totals.items() if len(sources[d]) >= MIN_SOURCES}
    return PeerGroup(label, sum(organisations.values()), scores) if scores else None
