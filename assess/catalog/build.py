"""Build the frozen domain questionnaire from a validated spec."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from assess.catalog.schema import ConditionSpec, MeasureSpec, PrerequisiteSpec, QuestionnaireSpec, RuleSpec
from assess.domain.questionnaire import (
    Condition,
    Dimension,
    Effort,
    Group,
    Measure,
    Question,
    Questionnaire,
    Rule,
    RuleKind,
    ScoringSettings,
    Text,
    Track,
    Trigger,
)


def _text(values: Mapping[str, str], languages: tuple[str, ...]) -> Text:
    return Text(MappingProxyType({lang: values[lang].strip() for lang in languages}))


def _condition(spec: ConditionSpec | PrerequisiteSpec) -> Condition:
    counted = getattr(spec, "questions", None)
    if counted is not None:
        return Condition("count", counted[0], spec.min_level, getattr(spec, "max_level", None), tuple(counted),
                         getattr(spec, "at_least", None) or 1)
    subject = next(k for k in ("question", "group", "dimension") if getattr(spec, k) is not None)
    return Condition(subject, getattr(spec, subject), spec.min_level, getattr(spec, "max_level", None))


def _measure(spec: MeasureSpec, languages: tuple[str, ...]) -> Measure:
    triggers = []
    for t in spec.triggers:
        subject = next(k for k in ("question", "group", "dimension", "rule") if getattr(t, k) is not None)
        below = t.below if t.below is not None or subject == "rule" or spec.builds is None else spec.builds.to
        triggers.append(Trigger(subject, getattr(t, subject), below))
    levels = [t.below for t in triggers if t.below is not None]
    level_from, level_to = (spec.builds.from_, spec.builds.to) if spec.builds else (1, max(levels, default=3))
    return Measure(
        id=spec.id,
        dimension_id=spec.dimension,
        title=_text(spec.title, languages),
        description=_text(spec.description, languages),
        triggers=tuple(triggers),
        requires_measures=tuple(p.measure for p in spec.prerequisites if p.measure is not None),
        requires_conditions=tuple(_condition(p) for p in spec.prerequisites if p.measure is None),
        effort=Effort(spec.effort),
        impact=Effort(spec.impact),
        duration_weeks=spec.duration_weeks,
        kpis=tuple(_text(k, languages) for k in spec.kpis),
        level_from=level_from,
        level_to=level_to,
        track=Track(spec.track),
    )


def _rule(spec: RuleSpec, languages: tuple[str, ...]) -> Rule:
    return Rule(
        id=spec.id,
        kind=RuleKind(spec.kind),
        message=_text(spec.message, languages),
        ahead=spec.ahead,
        behind=spec.behind,
        min_gap=spec.min_gap,
        conditions=tuple(_condition(c) for c in spec.conditions),
    )


def build_questionnaire(spec: QuestionnaireSpec, source: str, *, digest: str = "",
                        workspace_id: int | None = None) -> Questionnaire:
    """Turn a spec that passed every check into domain objects."""
    languages = tuple(spec.languages)
    dimensions = tuple(
        Dimension(
            id=d.id,
            title=_text(d.title, languages),
            description=_text(d.description, languages),
            weight=d.weight,
            target=d.target if d.target is not None else spec.default_target,
            groups=tuple(Group(g.id, d.id, _text(g.title, languages), tuple(g.questions)) for g in d.groups),
            questions=tuple(
                Question(
                    id=q.id,
                    dimension_id=d.id,
                    text=_text(q.text, languages),
                    help=_text(q.help, languages) if q.help else None,
                    weight=q.weight,
                    allow_na=q.allow_na,
                    levels=MappingProxyType({lang: tuple(t.strip() for t in q.levels[lang]) for lang in languages}),  # type: ignore[misc]
                    roles=frozenset(q.roles) if q.roles else None,
                    short=q.short,
                )
                for q in d.questions
            ),
        )
        for d in spec.dimensions
    )
    return Questionnaire(
        id=spec.id,
        version=spec.version,
        languages=languages,
        title=_text(spec.title, languages),
        description=_text(spec.description, languages),
        dimensions=dimensions,
        measures=tuple(_measure(m, languages) for m in spec.measures),
        rules=tuple(_rule(r, languages) for r in spec.rules),
        scoring=ScoringSettings(spec.scoring.min_coverage, spec.scoring.max_na_share),
        estimated_minutes=spec.estimated_minutes,
        source=source,
        digest=digest,
        workspace_id=workspace_id,
    )
