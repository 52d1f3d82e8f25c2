"""The process tree of a test's server or worker, read from /proc (Linux)."""

from __future__ import annotations

import time

from assess.processes import alive, command, tree

__all__ = ["alive", "command", "left_after", "tree"]


def left_after(pids: set[int], seconds: float) -> set[int]:
    """Which of `pids` still run after waiting up to `seconds` for them to end."""
    deadline = time.monotonic() + seconds
    while (running := {p for p in pids if alive(p)}) and time.monotonic() < deadline:
        time.sleep(0.2)
    return running
