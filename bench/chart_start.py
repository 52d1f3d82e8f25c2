"""Benchmark: Chromium's start and the first chart, in fresh processes, several at once.

Run: .venv/bin/python bench/chart_start.py [--runs N] [--parallel P] [--busy]

Each run is a new Python process that starts kaleido's Chromium (with the app's
plotly.js bundle) and exports one chart, as `assess report` and every web worker
do once; with --busy, while another thread keeps the interpreter busy in pure
Python (a worst case: printing releases the interpreter lock now and then).
Prints the time to the first and to a second chart per run, and lists runs that
failed or hung (exit code 1 if any did). kaleido 1.5 itself could wait for ever
when its page loaded before it listened for the load event; assess patches that
(see _fix_kaleido_navigation in assess/reporting/svg.py).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

RUN = """
import sys, threading, time
def busy():
    while not done:
        sum(i * i for i in range(10_000))
done = False
if "--busy" in sys.argv:
    threading.Thread(target=busy, daemon=True).start()
t = time.perf_counter()
from assess.reporting.svg import figure_svg, start_server
start_server()
figure_svg({"data": [{"type": "bar", "y": [1, 2]}], "layout": {}}, 300)
first = time.perf_counter() - t
figure_svg({"data": [{"type": "bar", "y": [2, 1]}], "layout": {}}, 300)
done = True
print(first, time.perf_counter() - t - first)
"""


def one(timeout: float, busy: bool) -> tuple[float, float] | str:
    try:
        done = subprocess.run([sys.executable, "-c", RUN, *(["--busy"] if busy else [])],
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "hung"
    if done.returncode != 0:
        return "failed: " + (done.stderr.strip().splitlines() or ["?"])[-1][:200]
    first, second = done.stdout.split()
    return float(first), float(second)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=12)
    parser.add_argument("--parallel", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=90.0)
    parser.add_argument("--busy", action="store_true", help="keep the interpreter busy in another thread")
    args = parser.parse_args()
    with ThreadPoolExecutor(args.parallel) as pool:
        results = list(pool.map(lambda _: one(args.timeout, args.busy), range(args.runs)))
    good = [r for r in results if isinstance(r, tuple)]
    bad = [r for r in results if isinstance(r, str)]
    if good:
        firsts, seconds = [f for f, _ in good], [s for _, s in good]
        print(f"{len(good)}/{args.runs} runs ({args.parallel} at a time): first chart median "
              f"{statistics.median(firsts):.2f} s (max {max(firsts):.2f} s), "
              f"next chart median {statistics.median(seconds):.2f} s")
    for problem in bad:
        print(problem)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
