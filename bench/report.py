"""Benchmark: the board report (PDF, and the editable DOCX) for 1 and for 30 respondents, cold and warm.

Run: .venv/bin/python bench/report.py [--repeat R] [--lang de|en]

cold  `assess report ANSWERS -o out.pdf` in a new process: interpreter start,
      imports, Chromium boot (kaleido), charts, WeasyPrint, writing, exit.
warm  a later report in the same process, as in a worker: Chromium running, WeasyPrint loaded:
      "new"   changed answers: every chart exported and every section printed again (the board's
              short report, and the full one with the appendix)
              (only the method pages, the same in every report, come from the cache),
      "same"  the same answers again: the charts come from the cache, every section is printed again,
      "repeated download"  the same report again: served from the PDF cache,
      "docx"  the editable report of changed answers (charts exported again, as PNG), short and full.
Prints the best and median wall-clock time of R runs, the CPU time of the best
run (cold: the whole process tree; warm: this process only, while
Chromium draws the charts), and the page count.
The goal on the reference machine: warm short report under 1.0 s, full under 2.0 s, DOCX under 1.0 s; cold under 5 s.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SINGLE = ROOT / "examples" / "strong-channels-weak-processes.json"


def thirty_respondents(path: Path, count: int = 30, seed: int = 7) -> None:
    """Write `count` random respondents for the default questionnaire, with a few comments."""
    from assess.catalog import Catalog

    questionnaire = Catalog().get("digital-readiness")
    rng = random.Random(seed)
    respondents = []
    for i in range(count):
        answers: dict[str, Any] = {}
        for question in questionnaire.questions():
            roll = rng.random()
            if roll < 0.05:
                answers[question.id] = "dont_know"
            elif roll < 0.08 and question.allow_na:
                answers[question.id] = {"value": "na", "reason": "Betrifft uns nicht"}
            else:
                answers[question.id] = rng.randint(1, 5)
        if i % 5 == 0:
            first = next(iter(answers))
            answers[first] = {"value": rng.randint(1, 5), "comment": "Übergaben laufen über Zuruf – bitte prüfen."}
        respondents.append({"role": rng.choice(["executive", "management", "service_staff", "it"]), "answers": answers})
    data = {"questionnaire": questionnaire.id, "organisation": "Stadtwerke Süderstadt", "respondents": respondents}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def changed(path: Path, out: Path) -> None:
    """The same answers with every level one lower where possible (new scores, so new charts)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for respondent in data.get("respondents") or [data]:
        for key, value in respondent["answers"].items():
            if isinstance(value, int) and value > 1:
                respondent["answers"][key] = value - 1
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


Timing = tuple[float, float]  # wall-clock seconds, CPU seconds


def cold(answers: Path, out: Path, lang: str) -> Timing:
    """One `assess report` process; CPU time includes Chromium's (children reaped by the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "assess", "report", str(answers), "-o", str(out), "--lang", lang],
                   check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def context(answers: Path, lang: str) -> dict[str, Any]:
    from assess.catalog import Catalog
    from assess.domain.evaluation import evaluate
    from assess.reporting.context import ReportMeta, build_report_context
    from assess.services.answer_files import read_answer_file

    parsed = read_answer_file(str(answers), Catalog())
    ev = evaluate(parsed.questionnaire, parsed.responses, targets=parsed.targets, consensus=parsed.consensus)
    return build_report_context(ev, parsed.responses, lang=lang, meta=ReportMeta(organisation=parsed.organisation))


def pages(pdf: bytes) -> int:
    from io import BytesIO

    from pypdf import PdfReader

    return len(PdfReader(BytesIO(pdf)).pages)


def report(label: str, times: list[Timing], extra: str = "") -> None:
    walls = [wall for wall, _ in times]
    best = min(times)
    print(f"{label:<38} best {best[0]:5.2f} s  median {statistics.median(walls):5.2f} s  "
          f"(cpu {best[1]:5.2f} s)  {extra}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lang", choices=["de", "en"], default="de")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        thirty = work / "thirty.json"
        thirty_respondents(thirty)
        cases = {"1 respondent": SINGLE, "30 respondents": thirty}
        for name, answers in cases.items():
            report(f"cold  {name}", [cold(answers, work / "cold.pdf", args.lang) for _ in range(args.repeat)])
        from assess.reporting.pdf import render_pdf, render_report
        from assess.reporting.svg import cache_clear
        from assess.reporting.word import build_docx

        for name, answers in cases.items():
            changed(answers, work / f"changed-{answers.name}")
            first, other = context(answers, args.lang), context(work / f"changed-{answers.name}", args.lang)
            pdf = render_report(first).pdf  # the first report of the process pays for Chromium and WeasyPrint's start
            same: list[Timing] = []
            new: list[Timing] = []
            full: list[Timing] = []
            cached: list[Timing] = []
            docx: list[Timing] = []
            docx_full: list[Timing] = []
            build_docx(first)  # the first PNG export of the process
            for _ in range(args.repeat):
                cache_clear()
                new.append(_timed(lambda ctx=other: render_report(ctx)))
                cache_clear()
                full.append(_timed(lambda ctx=other: render_report({**ctx, "full": True})))
                # without the PDF cache: the same answers are printed again, with the charts already exported
                same.append(_timed(lambda ctx=first: render_report(ctx)))
                render_pdf(first)  # fills the PDF cache (in memory here: REDIS_URL is not set)
                cached.append(_timed(lambda ctx=first: render_pdf(ctx)))
                cache_clear()
                docx.append(_timed(lambda ctx=other: build_docx(ctx)))
                docx_full.append(_timed(lambda ctx=other: build_docx({**ctx, "full": True})))
            report(f"warm  {name}, new answers", new, f"({pages(pdf)} pages)")
            full_pages = pages(render_report({**other, "full": True}).pdf)
            report(f"warm  {name}, new answers, full", full, f"({full_pages} pages)")
            report(f"warm  {name}, same answers", same)
            report(f"warm  {name}, repeated download", cached, "(PDF cache hit)")
            report(f"warm  {name}, docx, new answers", docx)
            report(f"warm  {name}, docx, full", docx_full, "(charts from the cache)")


def _timed(work: Callable[[], object]) -> Timing:
    """Wall-clock and CPU time of `work` in this process (the running Chromium's share is not counted)."""
    start, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - start, time.process_time() - cpu


if __name__ == "__main__":
    main()
