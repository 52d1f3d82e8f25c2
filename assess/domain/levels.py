"""The five maturity levels and the mapping between levels and scores (their names: assess.reporting.labels)."""

from __future__ import annotations

import math

MIN_LEVEL = 1
MAX_LEVEL = 5
LEVELS = tuple(range(MIN_LEVEL, MAX_LEVEL + 1))


def is_level(value: object) -> bool:
    """A whole level 1..5 (not a bool, not 3.0)."""
    return isinstance(value, int) and not isinstance(value, bool) and MIN_LEVEL <= value <= MAX_LEVEL


def parse_level(raw: object) -> int | None:
    """A level 1..5 from a form, a file or JSON ("3" or 3); None for anything else (bools, 3.5, "03", 10**5000)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if MIN_LEVEL <= raw <= MAX_LEVEL else None
    if isinstance(raw, str) and len(raw) == 1 and raw.isascii() and raw.isdigit():
        level = int(raw)
        return level if MIN_LEVEL <= level <= MAX_LEVEL else None
    return None


def level_to_score(level: float) -> float:
    """Map a level 1..5 (possibly a mean) onto the 0..100 score scale."""
    return (level - MIN_LEVEL) * 100.0 / (MAX_LEVEL - MIN_LEVEL)


def score_to_level(score: float) -> float:
    """Map a 0..100 score back onto the continuous 1..5 level scale."""
    return MIN_LEVEL + score * (MAX_LEVEL - MIN_LEVEL) / 100.0


def reached_level(score: float) -> int:
    """The whole level a score has fully reached (2.96 has not yet reached 3)."""
    # The epsilon keeps 50.0 computed as 49.999999 from falling a level.
    return max(MIN_LEVEL, min(MAX_LEVEL, math.floor(score_to_level(score) + 1e-9)))
