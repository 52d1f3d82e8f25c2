"""Peer figures: how organisations of the same industry score, without revealing any one of them.

The rule (SECURITY.md, "Peer figures"):
- Peers are organisations of *other* workspaces: never the viewer's own workspace,
  so nothing a consultant creates can be used to isolate someone else's client.
- Public self-assessments (started from /start, no workspace) are left out: anyone
  can create any number of them. So are assessments of a workspace's own
  questionnaire: only the same shipped questionnaire is comparable, so no upload
  can push numbers into anyone's benchmark.
- One grouping only (the industry): two overlapping groupings (industry and size)
  would let the hidden cell of one be worked out from the visible cells of the other.
- A group is shown only when its organisations come from at least `MIN_SOURCES`
  other workspaces (sources are counted, not rows), and a dimension only when that
  many workspaces contribute a score to it.
- The figures shown are a published copy that changes only once organisations of
  at least `MIN_SOURCES` different workspaces changed since the last copy, so the
  difference between two views never shows one client's change (or deletion).
- An organisation counts once, with its latest assessment of the same questionnaire
  id that has a result of record (a finished respondent or a workshop consensus).

Stored, derived tables keep a results page's time independent of the number of
peers: `assessment_score` (each assessment's result of record per dimension,
written whenever it changes: `refresh`), `peer_aggregate` (per questionnaire id,
group and workspace, the sum and count of its organisations' latest scores,
recomputed for that workspace on the same change), `peer_pending` (the workspaces
changed since the last publication) and `peer_published` (the copy pages read:
a few rows per group). Writes to one group are serialised (a PostgreSQL advisory
lock), writes to one assessment's scores by a row lock.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, text
from sqlalchemy import select as columns
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from assess.catalog import Catalog
from assess.db import repo
from assess.db.models import (
    Assessment,
    AssessmentScore,
    Consensus,
    Organisation,
    PeerAggregate,
    PeerPending,
    PeerPublished,
    Respondent,
)
from assess.domain.evaluation import evaluate
from assess.services import questionnaires
from assess.services.responses import to_response

MIN_SOURCES = 5  # other workspaces a group's organisations must come from; changes per publication
GROUPS = ("industry",)


@dataclass(frozen=True, slots=True)
class PeerGroup:
    label: str  # "industry"
    organisations: int
    scores: dict[str, float]  # dimension id -> mean of the peers' dimension scores


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _lock_group(session: Session, questionnaire_id: str, grouping: str, value: str) -> None:
    """Serialise every write to one peer group until the transaction ends (SQLite serialises all writes)."""
    if _postgres(session):
        digest = hashlib.sha256(f"assess.peers:{questionnaire_id}:{grouping}:{value}".encode()).digest()
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": int.from_bytes(digest[:8], "big", signed=True)})


def refresh(session: Session, catalog: Catalog, assessment_id: int, *, groups: bool = True) -> None:
    """Store an assessment's result of record per dimension (or remove it when it no longer counts as a peer),
    then (with `groups`) the aggregates of its workspace's group."""
    # Two respondents of one assessment finishing at once: the second waits for the first's scores.
    assessment = session.exec(select(Assessment).where(Assessment.id == assessment_id)
                              .with_for_update(of=Assessment) if _postgres(session)
                              else select(Assessment).where(Assessment.id == assessment_id)).first()
    session.execute(delete(AssessmentScore).where(col(AssessmentScore.assessment_id) == assessment_id)
                    .execution_options(synchronize_session=False))
    organisation = session.get(Organisation, assessment.organisation_id) if assessment is not None else None
    if assessment is None or organisation is None or organisation.workspace_id is None \
            or assessment.questionnaire_workspace_id is not None:
        session.flush()
        return  # deleted, a public self-assessment, or a workspace's own questionnaire: never a peer
    finished = list(session.exec(select(Respondent).where(
        Respondent.assessment_id == assessment_id, col(Respondent.finished_at).is_not(None))
        .order_by(col(Respondent.id))))
    agreed = {row.question_id: row.level for row in session.exec(
        select(Consensus).where(Consensus.assessment_id == assessment_id))}
    if finished or agreed:
        answers = repo.answers_of(session, [r.id for r in finished if r.id is not None])
        questionnaire = questionnaires.for_assessment(session, catalog, assessment)
        evaluation = evaluate(questionnaire, [to_response(r, answers[r.id or 0], questionnaire) for r in finished],
                              consensus=agreed)
        rows = [{"assessment_id": assessment_id, "dimension_id": d.dimension_id, "score": d.score}
                for d in evaluation.card.dimensions if d.score is not None]
        if rows:
            session.execute(insert(AssessmentScore), rows)
    session.flush()
    if groups:
        refresh_groups(session, [GroupKey.of(assessment.questionnaire_id, organisation)])


@dataclass(frozen=True, slots=True)
class GroupKey:
    """The group one workspace's organisation contributes to, for one questionnaire id."""

    questionnaire_id: str
    workspace_id: int
    industry: str

    @classmethod
    def of(cls, questionnaire_id: str, organisation: Organisation) -> GroupKey:
        assert organisation.workspace_id is not None
        return cls(questionnaire_id, organisation.workspace_id, organisation.industry)


def group_keys(session: Session, organisation_ids: Sequence[int]) -> list[GroupKey]:
    """The groups the given organisations' assessments count in (collect before deleting them)."""
    if not organisation_ids:
        return []
    query = (columns(col(Assessment.questionnaire_id), col(Organisation.workspace_id), col(Organisation.industry)).distinct()
             .join(Organisation, col(Organisation.id) == col(Assessment.organisation_id))
             .where(col(Organisation.id).in_(list(organisation_ids)), col(Organisation.workspace_id).is_not(None)))
    return [GroupKey(*row) for row in session.execute(query)]


def refresh_groups(session: Session, keys: Iterable[GroupKey], *, publish: bool = False) -> None:
    """Recompute one workspace's contribution to each group; publish the group once enough workspaces changed.

    `publish`: publish every group at once (rebuilding all figures, e.g. after an upgrade).
    """
    for key in sorted(set(keys), key=lambda k: (k.questionnaire_id, k.industry, k.workspace_id)):
        for grouping in GROUPS:
            value = getattr(key, grouping)
            if not value:
                continue  # not given (the form's "please choose"): in no group, rather than in a wrong one
            _lock_group(session, key.questionnaire_id, grouping, value)
            group = (col(PeerAggregate.questionnaire_id) == key.questionnaire_id, col(PeerAggregate.grouping) == grouping,
                     col(PeerAggregate.value) == value)
            session.execute(delete(PeerAggregate).where(*group, col(PeerAggregate.workspace_id) == key.workspace_id)
                            .execution_options(synchronize_session=False))
            rows = [{"questionnaire_id": key.questionnaire_id, "grouping": grouping, "value": value,
                     "workspace_id": key.workspace_id, "dimension_id": dimension_id, "organisations": count,
                     "total": total}
                    for dimension_id, count, total in session.execute(_workspace_sums(key, grouping, value))]
            if rows:
                session.execute(insert(PeerAggregate), rows)
            _note_change(session, key, grouping, value)
            if publish or _changed_sources(session, key.questionnaire_id, grouping, value) >= MIN_SOURCES:
                _publish(session, key.questionnaire_id, grouping, value)
    session.flush()


def _pending(questionnaire_id: str, grouping: str, value: str) -> tuple[Any, ...]:
    return (col(PeerPending.questionnaire_id) == questionnaire_id, col(PeerPending.grouping) == grouping,
            col(PeerPending.value) == value)


def _note_change(session: Session, key: GroupKey, grouping: str, value: str) -> None:
    found = session.execute(columns(col(PeerPending.workspace_id)).where(
        *_pending(key.questionnaire_id, grouping, value), col(PeerPending.workspace_id) == key.workspace_id)).first()
    if found is None:
        session.execute(insert(PeerPending), [{"questionnaire_id": key.questionnaire_id, "grouping": grouping,
                                               "value": value, "workspace_id": key.workspace_id}])


def _changed_sources(session: Session, questionnaire_id: str, grouping: str, value: str) -> int:
    query = columns(func.count()).select_from(PeerPending).where(*_pending(questionnaire_id, grouping, value))
    return int(session.execute(query).scalar_one())


def _publish(session: Session, questionnaire_id: str, grouping: str, value: str) -> None:
    """Replace the group's published copy with the current contributions, and start counting changes anew."""
    where = (col(PeerPublished.questionnaire_id) == questionnaire_id, col(PeerPublished.grouping) == grouping,
             col(PeerPublished.value) == value)
    session.execute(delete(PeerPublished).where(*where).execution_options(synchronize_session=False))
    current = session.execute(columns(PeerAggregate.__table__).where(  # type: ignore[attr-defined]
        col(PeerAggregate.questionnaire_id) == questionnaire_id, col(PeerAggregate.grouping) == grouping,
        col(PeerAggregate.value) == value)).mappings().all()
    if current:
        session.execute(insert(PeerPublished), [dict(row) for row in current])
    session.execute(delete(PeerPending).where(*_pending(questionnaire_id, grouping, value))
                    .execution_options(synchronize_session=False))


FIRST_STORED = "0002"  # the schema revision that began storing these figures


def rebuild_after_upgrade(engine: Engine, catalog: Catalog, before: str | None) -> int:
    """After a migration from before FIRST_STORED (or a restore of such a backup): compute every stored figure."""
    if before is None or before >= FIRST_STORED:
        return 0
    with Session(engine) as session:
        count = rebuild(session, catalog)
        session.commit()
    return count


def rebuild(session: Session, catalog: Catalog) -> int:
    """Recompute every assessment's scores and publish every group (after an upgrade from before stored figures)."""
    ids = [a for a in session.exec(select(Assessment.id).order_by(col(Assessment.id))) if a is not None]
    for assessment_id in ids:
        refresh(session, catalog, assessment_id, groups=False)
    organisations = session.exec(select(Organisation.id).where(col(Organisation.workspace_id).is_not(None))).all()
    refresh_groups(session, group_keys(session, [o for o in organisations if o is not None]), publish=True)
    return len(ids)


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
    if assessment.questionnaire_workspace_id is not None:
        return []  # a workspace's own questionnaire has no comparable peers
    groups = []
    for grouping in GROUPS:
        if not getattr(organisation, grouping):
            continue  # an organisation whose industry is not given has no peers
        query = (columns(col(PeerPublished.workspace_id), col(PeerPublished.dimension_id),
                         col(PeerPublished.organisations), col(PeerPublished.total))
                 .where(col(PeerPublished.questionnaire_id) == assessment.questionnaire_id,
                        col(PeerPublished.grouping) == grouping, col(PeerPublished.value) == getattr(organisation, grouping),
                        col(PeerPublished.workspace_id) != organisation.workspace_id))
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
