"""What text can be stored: the same rule for forms, the API, answer files and uploads.

PostgreSQL refuses NUL in text and lone surrogates in UTF-8; SQLite would keep
them. Other C0 control characters are never typed by a person. So both
databases get one rule: such text is refused before it reaches storage.
"""

from __future__ import annotations

import re

_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def is_storable(text: str) -> bool:
    """True unless `text` holds NUL, another control character (tab and line breaks are fine) or a lone surrogate."""
    return _UNSTORABLE.search(text) is None


def without_unstorable(text: str) -> str:
    """`text` with the characters `is_storable` refuses removed (to show input again, never to store it)."""
    return _UNSTORABLE.sub("", text)
