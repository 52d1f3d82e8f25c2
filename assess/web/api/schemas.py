"""Request and response bodies of the API as pydantic models; the OpenAPI document is generated from them.

Request models forbid unknown fields and bound every string, number and
collection, so that whatever passes validation can be stored as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
)
from pydantic.json_schema import JsonSchemaValue

from assess.domain.answers import MAX_COMMENT_LENGTH, MAX_REASON_LENGTH, ROLES
from assess.domain.levels import MAX_LEVEL, MIN_LEVEL, is_level
from assess.domain.roadmap import CAPACITY_RANGE, FOCUS_RANGE
from assess.domain.text import is_storable
from assess.services.assessments import INDUSTRIES, SIZES
from assess.services.records import MAX_ID

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _storable(value: str) -> str:
    """Refuse text a database cannot store or that no person typed (NUL, control characters, lone surrogates)."""
    if not is_storable(value):
        raise ValueError("the text contains a NUL, a control character or a lone surrogate")
    return value


def _iso_date(raw: object) -> dt.date:
    """Only "YYYY-MM-DD": pydantic's own date parsing takes 0 as 1970-01-01 and "2024-01-01T00:00" as a date."""
    if not isinstance(raw, str) or not _ISO_DATE.fullmatch(raw):
        raise ValueError('use a date as text, "YYYY-MM-DD"')
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{raw} is not a day of the calendar") from None


def _text(max_length: int, min_length: int = 0) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)


Storable = AfterValidator(_storable)
Name = Annotated[str, _text(200, 1), Storable]
Title = Annotated[str, _text(200), Storable]
PersonName = Annotated[str, _text(120), Storable]
Reference = Annotated[str, StringConstraints(min_length=1, max_length=80), Storable]  # a questionnaire, dimension, question
Version = Annotated[str, _text(40, 1), Storable]
Comment = Annotated[str, _text(MAX_COMMENT_LENGTH), Storable]
Reason = Annotated[str, _text(MAX_REASON_LENGTH), Storable]
RowId = Annotated[int, Field(ge=1, le=MAX_ID, strict=True)]  # strict: not "5", 5.0 or true
IsoDate = Annotated[dt.date, PlainValidator(_iso_date), WithJsonSchema({"type": "string", "format": "date"})]
Level = Annotated[int, Field(ge=MIN_LEVEL, le=MAX_LEVEL, strict=True)]
Role = Literal[ROLES]  # type: ignore[valid-type]
Industry = Literal[INDUSTRIES]  # type: ignore[valid-type]
Size = Literal[SIZES]  # type: ignore[valid-type]
Language = Literal["de", "en"]
Special = Literal["dont_know", "na"]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Output(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# ---- errors ---------------------------------------------------------------------------------------------------------

class ErrorDetail(_Output):
    field: str | None = Field(description="Where the problem is, e.g. 'body.answers.ch.booking'.")
    message: str


class ErrorBody(_Output):
    code: str = Field(description="Stable machine-readable code, e.g. 'not_found', 'invalid', 'invalid_token'.")
    message: str
    details: list[ErrorDetail]


class Error(_Output):
    error: ErrorBody


# ---- questionnaires -------------------------------------------------------------------------------------------------

class QuestionnaireSummary(_Output):
    id: str
    versions: list[str] = Field(description="Oldest first.")
    latest: str
    title: dict[str, str] = Field(description="Title of the latest version per language.")


class QuestionnaireList(_Output):
    questionnaires: list[QuestionnaireSummary]


class VersionQuery(_Input):
    model_config = ConfigDict(extra="ignore")
    version: Version | None = Field(default=None, description="Default: the latest version.")


class LanguageQuery(_Input):
    model_config = ConfigDict(extra="ignore")
    lang: Language | None = Field(default=None, description="Default: the questionnaire's first language.")


class ReportQuery(LanguageQuery):
    retry: bool = Field(default=False, description="Print again after the report failed (a 503 said so).")
    full: bool = Field(default=False, description="The full report: the board's short one plus the appendix (every "
                       "question with its answers, the workshop agenda).")


class ReportJob(_Output):
    """A board report that is not printed yet: ask again at `Location` after `Retry-After` seconds."""

    status: Literal["queued", "printing", "failed"]
    error: str | None = Field(default=None, description="What went wrong, for a failed report.")
    retry: str | None = Field(default=None, description="For a failed report: the URL that prints it again.")


# ---- organisations --------------------------------------------------------------------------------------------------

class OrganisationIn(_Input):
    name: Name
    industry: Industry
    size: Size


class OrganisationOut(_Output):
    id: int
    name: str
    industry: str
    size: str
    created_at: dt.datetime


class OrganisationList(_Output):
    organisations: list[OrganisationOut]


# ---- assessments and respondents ------------------------------------------------------------------------------------

class AssessmentIn(_Input):
    organisation_id: RowId
    questionnaire_id: Reference
    version: Version | None = Field(default=None, description="Default: the latest version.")
    title: Title = Field(default="", description="Default: the questionnaire's title.")
    targets: dict[Reference, Level] | None = Field(
        default=None, max_length=50, description="Target level per dimension id; others keep the questionnaire's.")
    deadline: IsoDate | None = Field(default=None, description="A date as \"YYYY-MM-DD\".")
    previous_id: RowId | None = Field(default=None, description="The assessment of the same client this follows up.")
    capacity: Annotated[int, Field(ge=CAPACITY_RANGE[0], le=CAPACITY_RANGE[1], strict=True)] | None = Field(
        default=None, description="How many measures the client can run in parallel (default 3).")
    focus: Annotated[int, Field(ge=FOCUS_RANGE[0], le=FOCUS_RANGE[1], strict=True)] | None = Field(
        default=None, description="How many measures the plan holds; the rest is the backlog (default 5).")


class AssessmentOut(_Output):
    id: int
    organisation_id: int
    questionnaire_id: str
    questionnaire_version: str
    title: str
    targets: dict[str, int] | None
    capacity: int | None
    focus: int | None
    deadline: dt.date | None
    previous_id: int | None
    created_at: dt.datetime


class AssessmentList(_Output):
    assessments: list[AssessmentOut]


class RespondentOut(_Output):
    id: int
    assessment_id: int
    role: str
    name: str | None
    language: str
    status: Literal["invited", "started", "finished", "revoked"]
    answered: int
    total: int
    created_at: dt.datetime
    finished_at: dt.datetime | None
    revoked_at: dt.datetime | None


class RespondentList(_Output):
    respondents: list[RespondentOut]


class AssessmentDetail(AssessmentOut):
    respondents: list[RespondentOut] = Field(description="Progress per respondent.")


class InviteIn(_Input):
    role: Role
    name: PersonName = ""
    language: Language = "de"


class Invitation(_Output):
    respondent: RespondentOut
    link: str = Field(description="The personal survey link. Shown only in this response; only a hash is stored.")


# ---- answers --------------------------------------------------------------------------------------------------------

def _answer_value(raw: object) -> int | str:
    if is_level(raw):
        assert isinstance(raw, int)
        return raw
    if raw in ("dont_know", "na"):
        return str(raw)
    raise ValueError('use a level 1-5, "dont_know" or "na"')


_VALUE_SCHEMA = {"anyOf": [{"type": "integer", "minimum": MIN_LEVEL, "maximum": MAX_LEVEL},
                           {"type": "string", "enum": ["dont_know", "na"]}]}
AnswerValue = Annotated[int | str, PlainValidator(_answer_value), WithJsonSchema(_VALUE_SCHEMA)]


class AnswerIn(_Input):
    value: AnswerValue
    comment: Comment = ""
    reason: Reason = Field(default="", description="Why the question does not apply (with 'na').")


def _as_object(raw: object) -> object:
    return raw if isinstance(raw, dict) else {"value": raw}


class _ValueOrObject:
    """Documents the shorthand: an answer is a bare value or {value, comment, reason} (validated as the latter)."""

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {"anyOf": [*_VALUE_SCHEMA["anyOf"], handler(core_schema)]}


class AnswersIn(_Input):
    answers: dict[Reference, Annotated[AnswerIn, BeforeValidator(_as_object), _ValueOrObject()]] = Field(
        max_length=1000, description="Question id -> a level 1-5, 'dont_know', 'na' or {value, comment, reason}. "
                                     "Questions not sent keep their answers.")


class AnswerOut(_Output):
    value: int | Special | None = Field(description="null: only a comment was given.")
    comment: str
    reason: str


class AnswersOut(_Output):
    respondent_id: int
    questionnaire_id: str
    questionnaire_version: str
    answers: dict[str, AnswerOut]


class Result(_Output):
    """The result JSON of `assess score` (README, "Result JSON"); keys are only ever added."""

    model_config = ConfigDict(extra="allow")
    format: int
    language: str
    questionnaire: dict[str, Any]
    respondents: int
    overall: dict[str, Any]
    dimensions: list[dict[str, Any]]
    questions: list[dict[str, Any]]
    disagreements: list[str]
    flags: list[dict[str, Any]]
    roadmap: dict[str, Any]


class QuestionnaireDocument(_Output):
    """Every field of a questionnaire version, all languages (as `assess questionnaire show`)."""

    model_config = ConfigDict(extra="allow")
    id: str
    version: str
    languages: list[str]
    dimensions: list[dict[str, Any]]
