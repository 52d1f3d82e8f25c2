"""The report use case: the report data of one respondent or of a whole assessment, in one place.

The result page, the workspace's results, the board PDF (web, API and CLI) and the workshop
all take their data from here; renderers receive this plain data, never database rows.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from assess.cache import assessment_tag, shared_cache
from assess.catalog import Catalog
from assess.db.models import Assessment, Organisation, Respondent
from assess.domain.versions import VersionComparison, compare_versions
from assess.reporting.context import ReportMeta, build_report_context, question_context
from assess.reporting.labels import INDUSTRIES, SIZES, label, role_label
from assess.services import aggregate, branding, peers
from assess.services import assessments as svc


def _meta(organisation: Organisation, assessment: Assessment, lang: str, **more: Any) -> ReportMeta:
    return ReportMeta(organisation=organisation.name, title=assessment.title,
                      industry=label(INDUSTRIES, organisation.industry, lang),
                      size=label(SIZES, organisation.size, lang), **more)


def respondent_report(session: Session, catalog: Catalog, token: str, lang: str) -> dict[str, Any] | None:
    """The report data of one respondent's answers (None: no such resume link)."""
    respondent = svc.respondent_by_token(session, token)
    return None if respondent is None else _respondent_report(session, catalog, respondent, lang)


def respondent_report_by_id(session: Session, catalog: Catalog, respondent_id: int, lang: str) -> dict[str, Any] | None:
    """The same from the respondent's id (a background task holds the id, never the secret link)."""
    respondent = session.get(Respondent, respondent_id)
    return None if respondent is None else _respondent_report(session, catalog, respondent, lang)


def _respondent_report(session: Session, catalog: Catalog, respondent: Respondent, lang: str) -> dict[str, Any]:
    generations = shared_cache().generations([assessment_tag(respondent.assessment_id)])  # before the answers are read
    assessment = svc.assessment_of(session, respondent)
    organisation = svc.organisation_of(session, assessment)
    questionnaire = svc.questionnaire_of(session, catalog, assessment)
    evaluation, response = svc.evaluate_respondent(session, catalog, questionnaire, assessment, respondent)
    meta = _meta(organisation, assessment, lang, date=(respondent.finished_at or respondent.updated_at).date(),
                 respondent_label=role_label(respondent.role, lang) if respondent.role else "")
    context = build_report_context(evaluation, [response], lang=lang, meta=meta)
    context["brand"] = branding.report_brand(session, organisation)  # a consultancy's respondents see its look
    context["assessment_id"] = assessment.id  # cached charts and PDFs are deleted with it
    context["cache_generations"] = list(generations)
    return context


def assessment_report_by_id(session: Session, catalog: Catalog, assessment_id: int, lang: str) -> dict[str, Any] | None:
    """The report data of a whole assessment from its id (a background task; access was checked when it was asked)."""
    assessment = session.get(Assessment, assessment_id)
    if assessment is None:
        return None
    return assessment_report(session, catalog, assessment, svc.organisation_of(session, assessment), lang)


def assessment_report(session: Session, catalog: Catalog, assessment: Assessment, organisation: Organisation,
                      lang: str) -> dict[str, Any]:
    """The report data of a whole assessment (aggregate, consensus, change, peers).

    The caller has checked that the assessment belongs to the viewer's workspace.
    """
    assert assessment.id is not None
    generations = shared_cache().generations([assessment_tag(assessment.id)])  # before any of its data is read
    result = aggregate.evaluate_assessment(session, catalog, assessment)
    meta = _meta(organisation, assessment, lang, date=assessment.created_at.date())
    previous_label = result.previous_assessment.title if result.previous_assessment else ""
    context = build_report_context(result.evaluation, result.responses, lang=lang, meta=meta,
                                   previous=result.previous, previous_label=previous_label,
                                   comparison=_comparison(catalog, result))
    context["peers"] = [
        {"label": g.label, "organisations": g.organisations, "scores": {k: round(v, 1) for k, v in g.scores.items()}}
        for g in peers.peer_groups(session, assessment, organisation)
    ]
    context["brand"] = branding.report_brand(session, organisation)
    context["assessment_id"] = assessment.id
    context["cache_generations"] = list(generations)
    return context


def _comparison(catalog: Catalog, result: aggregate.AssessmentResult) -> VersionComparison | None:
    """What of the previous assessment compares with this one, by the mapping the newer questionnaire keeps."""
    if result.previous is None:
        return None
    old, new = result.previous.questionnaire, result.evaluation.questionnaire
    mapping = catalog.mapping(new, old.version) if old.id == new.id and old.version != new.version else None
    return compare_versions(old, new, mapping)


def workshop_question(session: Session, catalog: Catalog, assessment: Assessment, question_id: str,
                      lang: str) -> dict[str, Any]:
    """What the workshop shows of one question: its levels, distribution, statistics and comments.

    From the assessment's evaluation (computed once per change), without peers or the rest of the report.
    """
    result = aggregate.evaluate_assessment(session, catalog, assessment)
    return question_context(result.evaluation, result.responses, question_id, lang)
