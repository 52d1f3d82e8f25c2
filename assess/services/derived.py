"""Results derived from stored data, computed once per change of their inputs and reused.

An assessment's inputs are its answers, respondents and consensus (summarised by its `data_version`,
which every write of them replaces with a new random value), its targets, its plan settings and its
questionnaire. A derived result is kept in the app's memo (`catalog.results`) under a key naming all
of them, so an entry is never stale: a change makes a new key. The data version is read from the
database before the data it stands for; a value written by a transaction that rolls back is never
written again, so nothing computed inside such a transaction is served later.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Hashable
from typing import TypeVar

from sqlmodel import Session

from assess.catalog import Catalog
from assess.db import repo
from assess.db.models import Assessment
from assess.domain.questionnaire import Questionnaire

T = TypeVar("T")


def memoised(session: Session, catalog: Catalog, kind: str, assessment: Assessment, questionnaire: Questionnaire,
             extra: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """`compute()`, or its value from the memo when none of the assessment's inputs changed since."""
    assert assessment.id is not None
    key = (kind, assessment.id, repo.result_inputs(session, assessment.id), assessment.created_at.isoformat(),
           json.dumps(assessment.targets, sort_keys=True), assessment.capacity, assessment.focus, questionnaire.ref,
           *extra)
    found: T | None = catalog.results.get(key)
    if found is None:
        found = compute()
        catalog.results.set(key, found)
    return found


def forget(catalog: Catalog, assessment_ids: Collection[int]) -> None:
    """Drop what this process derived from these assessments (a deletion: their data must not stay in memory).

    Other processes' copies can no longer be reached (the deletion changed the data version) and expire
    with the memo's maximum age.
    """
    ids = set(assessment_ids)
    catalog.results.drop(lambda key: isinstance(key, tuple) and len(key) > 1 and key[1] in ids)
