"""The questionnaire file's structure as pydantic models (format 1).

Only shape and value ranges live here; cross references, translations and
cycles are checked in `checks.py`, where the whole file is known.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StringConstraints, model_validator

from assess.domain.levels import MAX_LEVEL, MIN_LEVEL

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_.-]*$", max_length=80)]
Level = Annotated[StrictInt, Field(ge=MIN_LEVEL, le=MAX_LEVEL)]
Weight = Annotated[float, Field(gt=0, le=100, allow_inf_nan=False, strict=True)]  # relative; 100 is far beyond use
Share = Annotated[float, Field(ge=0, le=1)]
Text = dict[str, str]
Scale = Literal["low", "medium", "high"]



class Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Role = Literal["executive", "management", "service_staff", "it", "other"]  # assess.domain.answers.ROLES


class QuestionSpec(Spec):
    id: Id
    text: Text
    help: Text | None = None
    weight: Weight = 1.0
    allow_na: StrictBool = False
    levels: dict[str, list[str]]
    roles: list[Role] | None = Field(default=None, min_length=1)  # who is asked (none given: everyone)
    short: StrictBool = False  # part of the short check, a first look of about 15 questions


class GroupSpec(Spec):
    id: Id
    title: Text
    questions: list[str] = Field(min_length=2)


class DimensionSpec(Spec):
    id: Id
    title: Text
    description: Text
    weight: Weight = 1.0
    target: Level | None = None
    questions: list[QuestionSpec] = Field(min_length=1)
    groups: list[GroupSpec] = []


class TriggerSpec(Spec):
    question: str | None = None
    group: str | None = None
    dimension: str | None = None
    rule: str | None = None
    below: Annotated[StrictInt, Field(ge=MIN_LEVEL + 1, le=MAX_LEVEL)] | None = None

    @model_validator(mode="after")
    def _one_subject(self) -> TriggerSpec:
        named = [k for k in ("question", "group", "dimension", "rule") if getattr(self, k) is not None]
        if len(named) != 1:
            raise ValueError("a trigger names exactly one of question, group, dimension or rule")
        if named[0] == "rule" and self.below is not None:
            raise ValueError("a rule trigger takes no 'below'; remove it")
        return self


class ConditionSpec(Spec):
    question: str | None = None
    group: str | None = None
    dimension: str | None = None
    questions: list[str] | None = Field(default=None, min_length=2)
    at_least: Annotated[StrictInt, Field(ge=1)] | None = None
    min_level: Level | None = None
    max_level: Level | None = None

    @model_validator(mode="after")
    def _shape(self) -> ConditionSpec:
        named = [k for k in ("question", "group", "dimension", "questions") if getattr(self, k) is not None]
        if len(named) != 1:
            raise ValueError("a condition names exactly one of question, group, dimension or questions (a count)")
        if self.min_level is None and self.max_level is None:
            raise ValueError("a condition needs min_level, max_level or both")
        if self.min_level and self.max_level and self.min_level > self.max_level:
            raise ValueError("min_level is above max_level; the condition can never hold")
        if (self.questions is None) != (self.at_least is None):
            raise ValueError("a count condition gives 'questions: [...]' and 'at_least: N' together")
        if self.questions is not None and self.at_least is not None and self.at_least > len(self.questions):
            raise ValueError(f"at_least {self.at_least} of {len(self.questions)} questions can never hold")
        return self


class PrerequisiteSpec(Spec):
    measure: str | None = None
    question: str | None = None
    group: str | None = None
    dimension: str | None = None
    min_level: Level | None = None

    @model_validator(mode="after")
    def _shape(self) -> PrerequisiteSpec:
        named = [k for k in ("measure", "question", "group", "dimension") if getattr(self, k) is not None]
        if len(named) != 1:
            raise ValueError("a prerequisite names exactly one of measure, question, group or dimension")
        if named[0] == "measure" and self.min_level is not None:
            raise ValueError("a measure prerequisite takes no min_level; remove it")
        if named[0] != "measure" and self.min_level is None:
            raise ValueError(f"a {named[0]} prerequisite needs 'min_level: N' (1 to 5)")
        return self


class BuildsSpec(Spec):
    """The level band a measure works on: from the level where it starts to the level it builds."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_: Level = Field(alias="from")
    to: Level

    @model_validator(mode="after")
    def _order(self) -> BuildsSpec:
        if self.from_ >= self.to:
            raise ValueError(f"builds from {self.from_} to {self.to}: 'to' must be above 'from'")
        return self


QUICK_WIN_WEEKS = 12


class MeasureSpec(Spec):
    id: Id
    dimension: str
    title: Text
    description: Text
    triggers: list[TriggerSpec] = []
    prerequisites: list[PrerequisiteSpec] = []
    effort: Scale
    impact: Scale
    duration_weeks: Annotated[StrictInt, Field(gt=0, le=520)]
    kpis: list[Text] = []
    builds: BuildsSpec | None = None
    track: Literal["plan", "quick_win"] = "plan"

    @model_validator(mode="after")
    def _levels_and_track(self) -> MeasureSpec:
        for trigger in self.triggers:  # a missing 'below' is reported per trigger in checks.py
            if trigger.rule is None and self.builds is not None and trigger.below is not None \
                    and trigger.below <= self.builds.from_:
                raise ValueError(f"a trigger below {trigger.below} can never fire for a measure that builds from "
                                 f"{self.builds.from_}; raise 'below' or remove it")
        if self.track == "quick_win":
            if self.effort != "low" or self.duration_weeks > QUICK_WIN_WEEKS:
                raise ValueError(f"a quick win is low effort and done within {QUICK_WIN_WEEKS} weeks")
            if self.prerequisites:
                raise ValueError("a quick win waits for nothing: remove its prerequisites or make it track: plan")
            if not self.triggers:
                raise ValueError("a quick win needs a trigger: it is recommended only when one fires")
        return self


class RuleSpec(Spec):
    id: Id
    kind: Literal["dimension_gap", "pattern"]
    message: Text
    ahead: str | None = None
    behind: str | None = None
    min_gap: Annotated[float, Field(gt=0, le=4)] | None = None
    conditions: list[ConditionSpec] = []

    @model_validator(mode="after")
    def _by_kind(self) -> RuleSpec:
        if self.kind == "dimension_gap":
            missing = [k for k in ("ahead", "behind", "min_gap") if getattr(self, k) is None]
            if missing:
                raise ValueError(f"a dimension_gap rule needs {', '.join(missing)}")
            if self.conditions:
                raise ValueError("a dimension_gap rule takes no conditions; use kind: pattern")
            if self.ahead == self.behind:
                raise ValueError("ahead and behind name the same dimension")
        else:
            if len(self.conditions) < 2:
                raise ValueError("a pattern rule needs at least two conditions (something high while something low)")
            if self.ahead or self.behind or self.min_gap:
                raise ValueError("a pattern rule takes no ahead/behind/min_gap; use kind: dimension_gap")
        return self


class ScoringSpec(Spec):
    min_coverage: Share = 0.6
    max_na_share: Share = 0.5


class LinkSpec(Spec):
    """One entry of a version mapping: how old questions continue in this version (consistency in versions.py)."""

    kind: Literal["same", "split", "merged", "changed", "new", "dropped"]
    old: Id | list[Id] | None = None
    new: Id | list[Id] | None = None


class DimensionLinkSpec(Spec):
    old: Id
    new: Id


class ComparisonSpec(Spec):
    """The mapping from an older version of this questionnaire (questionnaires/README.md, "Comparing versions")."""

    version: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    questions: list[LinkSpec] = []
    dimensions: list[DimensionLinkSpec] = []


class QuestionnaireSpec(Spec):
    format: Literal[1]
    id: Id
    version: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    languages: list[Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]] = Field(min_length=1)
    title: Text
    description: Text
    estimated_minutes: Annotated[StrictInt, Field(gt=0, le=600)] | None = None
    scoring: ScoringSpec = ScoringSpec()
    default_target: Level = 4
    dimensions: list[DimensionSpec] = Field(min_length=1)
    measures: list[MeasureSpec] = []
    rules: list[RuleSpec] = []
    compares_with: list[ComparisonSpec] = []
