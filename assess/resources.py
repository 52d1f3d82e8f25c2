"""Files that ship inside the package: questionnaires, report templates, example answers.

In the repository they stay at the top (`questionnaires/`, `reports/`, `examples/`); the wheel carries
them as `assess.questionnaires`, `assess.reports` and `assess.examples` (see pyproject.toml), and both
are read the same way, through importlib.resources.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def shipped(package: str) -> Path:
    """The folder of a data package such as `assess.reports` (an installed package, never a zip)."""
    found = files(package)
    if not isinstance(found, Path):
        raise RuntimeError(f"{package} is not a folder on disk ({found!r}): install assess unpacked (pip does)")
    return found
