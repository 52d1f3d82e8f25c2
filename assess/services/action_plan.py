"""The action plan: the assessment's roadmap as the client carries it out (issue 18, first slice).

Each measure the roadmap recommends (quick wins, the plan's phases, the backlog) can be given an owner, a due
date, a status and notes; a dropped measure needs the reason. What is stored is keyed by the measure's id, so
it survives a changed roadmap: a measure that left the roadmap keeps its row, shown again when it returns.
Every change is audited (ids only). The caller has checked that the assessment is in its workspace.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, select

from assess.catalog import Catalog
from assess.db.models import Assessment, PlanItem, utcnow
from assess.domain.roadmap import PlannedMeasure, Roadmap
from assess.domain.text import is_storable
from assess.reporting.labels import N_
from assess.services import aggregate
from assess.services.audit import Actor, record

OPEN, IN_PROGRESS, DONE, DROPPED = "open", "in_progress", "done", "dropped"
STATUSES = (OPEN, IN_PROGRESS, DONE, DROPPED)
STATUS_LABELS = {OPEN: N_("open"), IN_PROGRESS: N_("in progress"), DONE: N_("done"), DROPPED: N_("dropped")}
QUICK_WIN, PLAN, BACKLOG = "quick_win", "plan", "backlog"
LIMITS = {"owner": 200, "reason": 500, "notes": 2000}


@dataclass(frozen=True, slots=True)
class PlanEntry:
    measure_id: str
    title: str  # in the language asked for
    dimension: str
    track: str  # quick_win, plan or backlog: where the roadmap has the measure now
    phase: int | None  # the plan's phase (None: a quick win or the backlog)
    start_week: int | None
    end_week: int | None
    owner: str = ""
    due: dt.date | None = None
    status: str = OPEN
    reason: str = ""
    notes: str = ""

    def overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today and self.status in (OPEN, IN_PROGRESS)


class PlanError(ValueError):
    """A change that cannot be stored: field -> what is wrong (a message id of the app's catalogue)."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in problems.items()))
        self.problems = problems


def _roadmap_measures(roadmap: Roadmap) -> list[tuple[str, PlannedMeasure]]:
    """The measures the roadmap recommends, in the order a plan is read: quick wins, the phases, the backlog."""
    planned = [(PLAN, m) for phase in roadmap.phases for m in phase.measures]
    return [*((QUICK_WIN, m) for m in roadmap.quick_wins), *planned, *((BACKLOG, m) for m in roadmap.backlog)]


def _stored(session: Session, assessment_id: int) -> dict[str, PlanItem]:
    return {row.measure_id: row for row in session.exec(select(PlanItem).where(PlanItem.assessment_id == assessment_id))}


def entries(session: Session, catalog: Catalog, assessment: Assessment, lang: str) -> list[PlanEntry]:
    """The action plan of `assessment`: every measure its roadmap recommends, with what was recorded for it."""
    evaluation = aggregate.evaluate_assessment(session, catalog, assessment).evaluation
    questionnaire = evaluation.questionnaire
    stored = _stored(session, assessment.id or 0)
    out = []
    for track, planned in _roadmap_measures(evaluation.roadmap):
        measure = planned.measure
        row = stored.get(measure.id) or PlanItem(assessment_id=assessment.id or 0, measure_id=measure.id)
        out.append(PlanEntry(measure.id, measure.title.get(lang), questionnaire.dimension(measure.dimension_id).title.get(lang),
                             track, (planned.phase or None) if track == PLAN else None, planned.start_week,
                             planned.end_week, row.owner, row.due, row.status, row.reason, row.notes))
    return out


def _problems(measure_id: str, known: set[str], status: str, texts: dict[str, str]) -> dict[str, str]:
    problems: dict[str, str] = {}
    if measure_id not in known:
        problems["measure"] = N_("This measure is not in the assessment's roadmap.")
    if status not in STATUSES:
        problems["status"] = N_("Choose one of the statuses offered.")
    for field, text in texts.items():
        if not is_storable(text):
            problems[field] = N_("This field contains characters that cannot be stored.")
        elif len(text) > LIMITS[field]:
            problems[field] = N_("This text is too long.")
    if status == DROPPED and not texts["reason"].strip() and "reason" not in problems:
        problems["reason"] = N_("Say why the measure is dropped.")
    return problems


def update(session: Session, catalog: Catalog, assessment: Assessment, measure_id: str, actor: Actor, *,
           owner: str = "", due: dt.date | None = None, status: str = OPEN, reason: str = "",
           notes: str = "") -> None:
    """Record owner, due date, status and notes of one measure of the roadmap; raise PlanError (nothing stored)."""
    roadmap = aggregate.evaluate_assessment(session, catalog, assessment).evaluation.roadmap
    texts = {"owner": owner.strip(), "reason": reason.strip(), "notes": notes.strip()}
    problems = _problems(measure_id, {m.id for _, m in _roadmap_measures(roadmap)}, status, texts)
    if problems:
        raise PlanError(problems)
    row = _stored(session, assessment.id or 0).get(measure_id) or PlanItem(assessment_id=assessment.id or 0,
                                                                           measure_id=measure_id)
    row.owner, row.due, row.status, row.notes = texts["owner"], due, status, texts["notes"]
    row.reason = texts["reason"] if status == DROPPED else ""
    row.updated_by, row.updated_at = actor.id, utcnow()
    session.add(row)
    record(session, actor, "plan_update", "assessment", assessment.id)
