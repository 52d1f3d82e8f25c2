"""A report file (PDF, DOCX) built once per content and kept in the shared cache, tagged with its assessment.

The key names what the file shows (the whole report context) and the code that builds it, so a new
deployment or a changed answer makes a new key; the tag lets deleting the assessment delete the file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from assess.cache import assessment_tag, content_key, shared_cache

KEPT = 86_400  # seconds a built report stays in the shared cache


def report_key(kind: str, fingerprint: str, context: Mapping[str, Any]) -> str:
    """The shared cache's key of a `kind` file ("report-pdf") of `context`, built by code `fingerprint`."""
    return content_key(kind, fingerprint, json.dumps(context, sort_keys=True, default=str))


def cache_tags(context: Mapping[str, Any]) -> tuple[str, ...]:
    """The tags of what a report shows: its assessment (every report context of the app names it)."""
    assessment_id = context.get("assessment_id")
    return (assessment_tag(assessment_id),) if isinstance(assessment_id, int) else ()


def cache_generations(context: Mapping[str, Any]) -> tuple[int, ...] | None:
    """The tags' generations read before the context's data was (None: a context from outside the app)."""
    found = context.get("cache_generations")
    return tuple(found) if isinstance(found, list | tuple) else None


def built_once(key: str, context: Mapping[str, Any], build: Callable[[], bytes]) -> bytes:
    """The file under `key`, or `build()` stored there (unless a deletion of what it shows came in between)."""
    cached = shared_cache().get(key)
    if cached is not None:
        return cached
    data = build()
    shared_cache().set(key, data, ttl_seconds=KEPT, tags=cache_tags(context), expect=cache_generations(context))
    return data
