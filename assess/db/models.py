"""Tables. Raw answers are stored with the questionnaire version; scores are always recomputed.

Every row that holds client data hangs off a workspace (directly or through its
organisation), so that workspace isolation is one join away. Self-assessments
started from the public start page belong to no workspace.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, ForeignKey, Integer, LargeBinary, Text, UniqueConstraint, false
from sqlalchemy.types import JSON
from sqlmodel import Field, SQLModel

# Fixed constraint names, so later migrations can address them on every database (SQLite included).
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


MAX_ID = 2**31 - 1  # ids are INTEGER columns: PostgreSQL's range, and what every lookup is bounded by


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _fk(target: str, *, nullable: bool = False, index: bool = True) -> Column:
    """A foreign key that the database deletes along with its parent."""
    return Column(Integer, ForeignKey(target, ondelete="CASCADE"), nullable=nullable, index=index)


class Workspace(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    retention_days: int = Field(default=730)  # how long client data is kept (see `assess purge`)
    created_at: dt.datetime = Field(default_factory=utcnow)


class Brand(SQLModel, table=True):
    """A consultancy's look on its reports: its name, primary colour and logo (a re-encoded PNG)."""

    workspace_id: int = Field(sa_column=Column(Integer, ForeignKey("workspace.id", ondelete="CASCADE"), primary_key=True))
    name: str = Field(default="", max_length=120)
    colour: str = Field(default="", max_length=7)  # "#1f5f8b"; "" = the product's
    logo: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    updated_at: dt.datetime = Field(default_factory=utcnow)


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(sa_column=_fk("workspace.id"))
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(default="", max_length=120)
    password_hash: str = Field(max_length=200)
    is_admin: bool = Field(default=False)
    active: bool = Field(default=True)
    # Part of every session's id: raising it (logout, password change, deactivation) ends all sessions at once.
    session_generation: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_at: dt.datetime = Field(default_factory=utcnow)
    last_login_at: dt.datetime | None = None


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=_fk("user.id"))
    name: str = Field(max_length=120)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: dt.datetime = Field(default_factory=utcnow)
    last_used_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None


class Organisation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int | None = Field(default=None, sa_column=_fk("workspace.id", nullable=True))
    name: str = Field(max_length=200)
    industry: str = Field(max_length=40)
    size: str = Field(max_length=20)
    created_at: dt.datetime = Field(default_factory=utcnow)


class StoredQuestionnaire(SQLModel, table=True):
    """A questionnaire a consultant uploaded: the YAML as given, kept forever per version."""

    __tablename__ = "stored_questionnaire"
    __table_args__ = (UniqueConstraint("workspace_id", "questionnaire_id", "version", name="uq_stored_questionnaire"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(sa_column=_fk("workspace.id"))
    questionnaire_id: str = Field(max_length=80)
    version: str = Field(max_length=40)
    source: str = Field(sa_column=Column(Text, nullable=False))
    uploaded_by: int | None = Field(default=None, foreign_key="user.id")
    uploaded_at: dt.datetime = Field(default_factory=utcnow)


class Assessment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(sa_column=_fk("organisation.id"))
    # The pinned questionnaire: shipped (workspace None) or a workspace's own, id, version and the hash of its text.
    questionnaire_workspace_id: int | None = Field(default=None)
    questionnaire_id: str = Field(max_length=80)
    questionnaire_version: str = Field(max_length=40)
    questionnaire_digest: str | None = Field(default=None, max_length=64)  # None: pinned before digests existed
    title: str = Field(default="", max_length=200)
    targets: dict[str, int] | None = Field(default=None, sa_column=Column(JSON))
    # The plan: how many initiatives the client can run in parallel, and how many measures the plan holds.
    capacity: int | None = Field(default=None)  # None: the default (domain.roadmap.PlanSettings)
    focus: int | None = Field(default=None)
    deadline: dt.date | None = None
    previous_id: int | None = Field(default=None, foreign_key="assessment.id")  # the assessment this follows up
    # Changes (to a random value) with every write to what its result is computed from: answers, respondents,
    # consensus. Derived results are kept under it (assess.services.aggregate); a rolled-back value is never reused.
    data_version: str = Field(default="", max_length=32, sa_column_kwargs={"server_default": ""})
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: dt.datetime = Field(default_factory=utcnow)
    # Closed by its consultant: no respondent changes an answer any more (reopened: None again).
    closed_at: dt.datetime | None = None
    # The workshop's deferred agenda items (question ids, in the order deferred); an agreed level is in `consensus`.
    workshop_deferred: list[str] | None = Field(default=None, sa_column=Column(JSON))


class Respondent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(sa_column=_fk("assessment.id"))
    # Only a hash of the resume token is stored: a database dump does not reveal the links.
    token_hash: str = Field(max_length=64, unique=True, index=True)
    role: str = Field(max_length=20)
    name: str | None = Field(default=None, max_length=120)
    email: str | None = Field(default=None, max_length=254)
    language: str = Field(default="de", max_length=5)
    current_page: int = Field(default=1)
    short_check: bool = Field(default=False, sa_column_kwargs={"server_default": false()})  # the ~15 questions only
    privacy_accepted_at: dt.datetime | None = None
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)
    finished_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None


class AnswerRow(SQLModel, table=True):
    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("respondent_id", "question_id", name="uq_answer_respondent_question"),)

    id: int | None = Field(default=None, primary_key=True)
    respondent_id: int = Field(sa_column=_fk("respondent.id"))
    question_id: str = Field(max_length=80)
    value: str | None = Field(default=None, max_length=10)  # "1".."5", "dont_know", "na"; None = comment only
    comment: str = Field(default="", max_length=2000)
    reason: str = Field(default="", max_length=300)
    updated_at: dt.datetime = Field(default_factory=utcnow)


class Consensus(SQLModel, table=True):
    """The level a workshop agreed on for one question; it becomes the result of record."""

    __table_args__ = (UniqueConstraint("assessment_id", "question_id", name="uq_consensus_assessment_question"),)

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(sa_column=_fk("assessment.id"))
    question_id: str = Field(max_length=80)
    level: int
    note: str = Field(default="", max_length=2000)
    decided_by: int | None = Field(default=None, foreign_key="user.id")
    updated_at: dt.datetime = Field(default_factory=utcnow)


class PlanItem(SQLModel, table=True):
    """One measure of an assessment's roadmap as the client carries it out: who owns it, by when, how far it is."""

    __tablename__ = "plan_item"
    __table_args__ = (UniqueConstraint("assessment_id", "measure_id", name="uq_plan_item_assessment_measure"),)

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(sa_column=_fk("assessment.id"))
    measure_id: str = Field(max_length=80)
    owner: str = Field(default="", max_length=200)
    due: dt.date | None = None
    status: str = Field(default="open", max_length=20)  # open, in_progress, done, dropped (see services.action_plan)
    reason: str = Field(default="", max_length=500)  # why it was dropped
    notes: str = Field(default="", max_length=2000)
    updated_by: int | None = Field(default=None, foreign_key="user.id")
    updated_at: dt.datetime = Field(default_factory=utcnow)


class AssessmentScore(SQLModel, table=True):
    """An assessment's result of record per dimension, stored when it changes: the input of peer figures.

    Only assessments of a workspace with at least one finished respondent (or a
    workshop consensus) have rows; the peer query aggregates them in SQL.
    """

    __tablename__ = "assessment_score"

    assessment_id: int = Field(sa_column=Column(Integer, ForeignKey("assessment.id", ondelete="CASCADE"),
                                                primary_key=True))
    dimension_id: str = Field(max_length=80, primary_key=True)
    score: float


class _PeerRow(SQLModel):
    """One workspace's contribution to a peer group: its organisations' latest stored scores, summed per dimension."""

    questionnaire_id: str = Field(max_length=80, primary_key=True)
    grouping: str = Field(max_length=20, primary_key=True)  # "industry"
    value: str = Field(max_length=40, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", ondelete="CASCADE", primary_key=True)
    dimension_id: str = Field(max_length=80, primary_key=True)
    organisations: int
    total: float


class PeerAggregate(_PeerRow, table=True):
    """The current contributions, recomputed for a workspace and group whenever one of its scores changes."""

    __tablename__ = "peer_aggregate"


class PeerPublished(_PeerRow, table=True):
    """The contributions peer pages show: a copy of peer_aggregate for a group, taken only once organisations of
    several workspaces have changed since the last copy, so that two views never differ by one client."""

    __tablename__ = "peer_published"


class PeerPending(SQLModel, table=True):
    """Workspaces whose contribution to a group changed since the group was last published."""

    __tablename__ = "peer_pending"

    questionnaire_id: str = Field(max_length=80, primary_key=True)
    grouping: str = Field(max_length=20, primary_key=True)
    value: str = Field(max_length=40, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", ondelete="CASCADE", primary_key=True)


class AuditEntry(SQLModel, table=True):
    """Who read or exported what, and when. Never answers, comments, tokens or passwords."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int | None = Field(default=None, sa_column=_fk("workspace.id", nullable=True))
    user_id: int | None = Field(default=None, foreign_key="user.id")
    action: str = Field(max_length=40)
    object_type: str = Field(max_length=40)
    object_id: int | None = None
    at: dt.datetime = Field(default_factory=utcnow)
