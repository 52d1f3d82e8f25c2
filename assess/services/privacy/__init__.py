"""Data protection: the privacy notice, deletion on request, a respondent's own export, retention and purge.

One job per module: `notice`, `deletion`, `export`, `retention`. Callers use them through
this package (`privacy.delete_respondent(...)`).
"""

from __future__ import annotations

from assess.services.privacy.deletion import (
    NotASelfAssessment,
    delete_assessments,
    delete_organisation,
    delete_organisations,
    delete_respondent,
    delete_respondents,
    delete_self_assessment,
    forget_artefacts,
)
from assess.services.privacy.export import EXPORT_FORMAT, respondent_csv, respondent_export
from assess.services.privacy.notice import Notice, accept_notice, notice_for
from assess.services.privacy.retention import (
    DEFAULT_SELF_ASSESSMENT_RETENTION_DAYS,
    MAX_RETENTION_DAYS,
    MIN_RETENTION_DAYS,
    SELF_ASSESSMENT_RETENTION_ENV,
    PurgeReport,
    last_activity,
    purge,
    self_assessment_retention_days,
    set_retention_days,
)

__all__ = [
    "DEFAULT_SELF_ASSESSMENT_RETENTION_DAYS", "EXPORT_FORMAT", "MAX_RETENTION_DAYS", "MIN_RETENTION_DAYS",
    "SELF_ASSESSMENT_RETENTION_ENV", "NotASelfAssessment", "Notice", "PurgeReport", "accept_notice",
    "delete_assessments", "delete_organisation", "delete_organisations", "delete_respondent", "delete_respondents",
    "delete_self_assessment", "forget_artefacts", "last_activity", "notice_for", "purge", "respondent_csv",
    "respondent_export", "self_assessment_retention_days",
    "set_retention_days",
]
