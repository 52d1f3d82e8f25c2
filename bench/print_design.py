"""Benchmark: why the board report is printed in sections and composed (issue 14: keep the simplest design
that meets the speed goal).

Run: .venv/bin/python bench/print_design.py [--repeat R]

For the warm short report of 1 and of 30 respondents (Chromium running, charts not cached) it prints the
median of R runs of
  composed   the report as printed today: each section printed as soon as its charts are in, while
             Chromium draws the others; the method pages from the cache; frame and pikepdf composition;
  parts      each step alone, one after the other: all charts, every section, the frame, the composition.
A single-document print would wait for every chart and then lay out one document of all sections (the
method pages included, every time): at least "charts + sections + frame" of the parts, that is the serial
sum, against the composed total. The goal for a warm worker is click to PDF under 1.5 s for one respondent
and under 2.5 s for 30, queue and polling included.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.report import SINGLE, context, thirty_respondents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from assess.reporting import pdf
    from assess.reporting.compose import compose, frame_html, print_sections, sections
    from assess.reporting.printing import print_html
    from assess.reporting.svg import cache_clear

    with tempfile.TemporaryDirectory() as tmp:
        thirty = Path(tmp) / "thirty.json"
        thirty_respondents(thirty)
        for name, answers in {"1 respondent": SINGLE, "30 respondents": thirty}.items():
            ctx = context(answers, "de")
            pdf.render_report(ctx)  # Chromium and WeasyPrint start; the method pages enter the cache
            rows = []
            for _ in range(args.repeat):
                cache_clear()
                start = time.perf_counter()
                pdf.render_report(ctx)
                composed = time.perf_counter() - start
                cache_clear()
                start = time.perf_counter()
                charts = pdf.start_charts(ctx)
                for future in charts.values():
                    future.result()
                drawn = time.perf_counter()
                parts = sections(ctx, charts)
                printed = print_sections(parts, charts, pdf._templates_fingerprint())
                laid = time.perf_counter()
                frame = print_html(frame_html(ctx, printed, [p.static for p in parts]), {}, styles=("report.css", "frame.css"))
                framed = time.perf_counter()
                compose(frame.pdf, printed)
                rows.append((composed, drawn - start, laid - drawn, framed - laid, time.perf_counter() - framed))
            composed, charts_s, sections_s, frame_s, compose_s = (statistics.median(column) for column in zip(*rows, strict=True))
            print(f"{name:<15} composed {composed:4.2f} s | parts: charts {charts_s:4.2f} s, sections {sections_s:4.2f} s, "
                  f"frame {frame_s:4.2f} s, pikepdf {compose_s:4.2f} s; charts + sections + frame "
                  f"{charts_s + sections_s + frame_s:4.2f} s", flush=True)


if __name__ == "__main__":
    main()
