"""The process tree of a test's server or worker, read from /proc (Linux)."""

from __future__ import annotations

import time
from pathlib import Path


def _stat(pid: int) -> list[str] | None:
    try:
        return (Path(f"/proc/{pid}") / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def alive(pid: int) -> bool:
    """Running (a zombie has finished; only its parent's wait is missing)."""
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"


def tree(pid: int) -> set[int]:
    """Every living process started by `pid`, however deep."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None and fields[0] != "Z":
            parents[int(entry.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        children = {p for p, parent in parents.items() if parent in frontier} - found
        found |= children
        frontier = children
    return found


def command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")[:120]
    except OSError:
        return "?"


def left_after(pids: set[int], seconds: float) -> set[int]:
    """Which of `pids` still run after waiting up to `seconds` for them to end."""
    deadline = time.monotonic() + seconds
    while (running := {p for p in pids if alive(p)}) and time.monotonic() < deadline:
        time.sleep(0.2)
    return running
