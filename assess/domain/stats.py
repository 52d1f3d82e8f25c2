"""Order-independent summary statistics for the spread between respondents."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise


@dataclass(frozen=True, slots=True)
class Stats:
    """Summary of several respondents' values (levels or scores)."""

    n: int
    mean: float
    median: float
    min: float
    max: float
    stdev: float

    @property
    def spread(self) -> float:
        """Distance between the lowest and the highest value."""
        return self.max - self.min


def summarize(values: Sequence[float]) -> Stats | None:
    """Return Stats for `values`, or None when there are none.

    math.fsum is exactly rounded, so the result does not depend on the order
    of respondents (a plain sum of floats would).
    """
    n = len(values)
    if n == 0:
        return None
    ordered = sorted(values)
    mean = math.fsum(ordered) / n
    mid = n // 2
    median = ordered[mid] if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    variance = math.fsum((v - mean) ** 2 for v in ordered) / n
    return Stats(n, mean, median, ordered[0], ordered[-1], math.sqrt(variance))


SPLIT_GAP = 2  # levels between two neighbouring answers that make two camps


def is_split(values: Sequence[float]) -> bool:
    """Two camps or more: neighbouring values given that are `SPLIT_GAP` or more apart (4 and 1; 1, 2 and 5).

    Their mean (2.5 for 4 and 1) is a state nobody reported, so a split is shown as the camps.
    """
    distinct = sorted(set(values))
    return any(b - a >= SPLIT_GAP for a, b in pairwise(distinct))
