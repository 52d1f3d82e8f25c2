"""The stored records the use cases hand to the web layer, and the limits of their ids.

Views and API endpoints read these records' fields and pass them back to a service; they never
query or change storage themselves (tests/test_layers.py holds `assess.web` to that).
"""

from __future__ import annotations

from sqlmodel import Session

from assess.db.models import MAX_ID, Assessment, Organisation, Respondent, User, Workspace, utcnow
from assess.db.repo import StoredAnswer
from assess.db.session import UNAVAILABLE_ERRORS, ping

__all__ = ["MAX_ID", "UNAVAILABLE_ERRORS", "Assessment", "Organisation", "Respondent", "Session", "StoredAnswer",
           "User", "Workspace", "ping", "utcnow"]
