"""Each benchmark still runs (at its smallest), so a figure in a note can always be measured again."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.mark.parametrize("command", [
    ["score.py", "--respondents", "20", "--repeat", "1"],
    ["results_page.py", "--respondents", "3", "--peers", "60", "--repeat", "1"],
])
def test_a_benchmark_runs_and_prints_its_figures(command: list[str]) -> None:
    done = subprocess.run([sys.executable, str(BENCH / command[0]), *command[1:]], capture_output=True, text=True,
                          timeout=240, cwd=BENCH.parent)
    assert done.returncode == 0, done.stderr[-2000:]
    assert " ms" in done.stdout
