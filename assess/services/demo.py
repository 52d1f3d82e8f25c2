"""A demo assessment, so a newcomer sees a full result page at once."""

from __future__ import annotations

import hashlib
import hmac
import json

from sqlmodel import Session

from assess.catalog import Catalog
from assess.db import repo
from assess.db.models import Assessment, Organisation, Respondent, utcnow
from assess.resources import shipped
from assess.services import questionnaires
from assess.services.answer_files import parse_answer_data

DEMO_FILE = shipped("assess.examples") / "strong-channels-weak-processes.json"


def demo_token(secret_key: str) -> str:
    """A stable token per installation, so the demo link stays the same across restarts."""
    return hmac.new(secret_key.encode(), b"assess-demo", hashlib.sha256).hexdigest()[:32]


def seed_demo(session: Session, catalog: Catalog, secret_key: str) -> str:
    """Create the demo assessment once; return its resume token."""
    token = demo_token(secret_key)
    if repo.respondent_by_token(session, token) is not None:
        return token
    parsed = parse_answer_data(json.loads(DEMO_FILE.read_text(encoding="utf-8")), catalog)
    questionnaire = parsed.questionnaire
    org = Organisation(name=parsed.organisation or "Demo", industry="automotive", size="50-249")
    repo.add(session, org)
    assert org.id is not None
    assessment = Assessment(organisation_id=org.id, **questionnaires.pin_fields(questionnaire),
                            title=questionnaire.title.get("de"))
    repo.add(session, assessment)
    assert assessment.id is not None
    respondent = Respondent(assessment_id=assessment.id, token_hash=repo.token_hash(token), role="executive",
                            current_page=len(questionnaire.dimensions), finished_at=utcnow())
    repo.add(session, respondent)
    assert respondent.id is not None
    response = parsed.responses[0]
    repo.upsert_answers(session, respondent.id, [
        (qid, str(a.value), a.comment, a.reason) for qid, a in response.answers.items()
    ])
    return token
