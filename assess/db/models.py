"""Tables. Raw answers are stored with the questionnaire version; scores are always recomputed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, UniqueConstraint
from sqlalchemy.types import JSON
from sqlmodel import Field, SQLModel


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Organisation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    industry: str = Field(max_length=40)
    size: str = Field(max_length=20)
    created_at: dt.datetime = Field(default_factory=utcnow)


class Assessment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    questionnaire_id: str = Field(max_length=80)
    questionnaire_version: str = Field(max_length=40)
    title: str = Field(default="", max_length=200)
    targets: dict[str, int] | None = Field(default=None, sa_column=Column(JSON))
    created_at: dt.datetime = Field(default_factory=utcnow)


class Respondent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", index=True)
    # Only a hash of the resume token is stored: a database dump does not reveal the links.
    token_hash: str = Field(max_length=64, unique=True, index=True)
    role: str = Field(max_length=20)
    name: str | None = Field(default=None, max_length=120)
    language: str = Field(default="de", max_length=5)
    current_page: int = Field(default=1)
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)
    finished_at: dt.datetime | None = None


class AnswerRow(SQLModel, table=True):
    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("respondent_id", "question_id", name="uq_answer_respondent_question"),)

    id: int | None = Field(default=None, primary_key=True)
    respondent_id: int = Field(foreign_key="respondent.id", index=True)
    question_id: str = Field(max_length=80)
    value: str | None = Field(default=None, max_length=10)  # "1".."5", "dont_know", "na"; None = comment only
    comment: str = Field(default="", max_length=2000)
    reason: str = Field(default="", max_length=300)
    updated_at: dt.datetime = Field(default_factory=utcnow)
