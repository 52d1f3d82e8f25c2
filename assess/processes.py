"""Processes a process started, read from /proc (Linux): what to end when a child stops answering."""

from __future__ import annotations

import os
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
    """Every living process started by `pid`, however deep (empty where /proc is missing)."""
    parents: dict[int, int] = {}
    proc = Path("/proc")
    if not proc.is_dir():
        return set()
    for entry in proc.iterdir():
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
    """The first 120 characters of its command line ("?" once it has gone)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")[:120]
    except OSError:
        return "?"


def share_niceness(pids: set[int]) -> int:
    """Give every thread of `pids` at least this process's niceness; the number of threads lowered.

    A Chromium run as root raises its own browser and GPU threads to -8 and resets its renderers to 0, so the
    charts of a report worker niced to 10 would again take the cores from the web app. (As a user it cannot.)
    """
    own = os.getpriority(os.PRIO_PROCESS, 0)
    if own <= 0:
        return 0
    lowered = 0
    for pid in pids:
        try:
            threads = [int(t.name) for t in Path(f"/proc/{pid}/task").iterdir()]
        except OSError:
            continue
        for tid in threads:
            try:
                if os.getpriority(os.PRIO_PROCESS, tid) < own:
                    os.setpriority(os.PRIO_PROCESS, tid, own)
                    lowered += 1
            except OSError:  # gone meanwhile, or not ours to change
                continue
    return lowered
