"""Report fixtures: contexts from the shipped examples, PDFs rendered once per session (rendering takes seconds)."""

from __future__ import annotations

import random
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from assess.catalog import Catalog
from assess.domain.evaluation import evaluate
from assess.reporting.context import ReportMeta, build_report_context
from assess.services.answer_files import AnswerFile, parse_answer_data, read_answer_file
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"


@dataclass(frozen=True)
class Pdf:
    """A rendered report, read back."""

    data: bytes
    reader: PdfReader
    pages: list[str]  # text per page, whitespace collapsed

    @property
    def text(self) -> str:
        return " ".join(self.pages)

    def opening(self, title: str) -> int:
        """The page (1-based) whose text begins with the heading `title` (a report without contents)."""
        found = [number for number, page in enumerate(self.pages, start=1) if page.startswith(title)]
        assert found, f"no page begins with {title!r}"
        return found[0]

    def section_page(self, title: str) -> int:
        """The page number the table of contents gives for `title` (1-based)."""
        entry = re.search(re.escape(title) + r"[ .]*?(\d+)", self.pages[1])
        assert entry, f"{title!r} is not in the table of contents"
        return int(entry.group(1))


def read_pdf(data: bytes) -> Pdf:
    from io import BytesIO

    reader = PdfReader(BytesIO(data))
    return Pdf(data, reader, [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages])


def context_of(parsed: AnswerFile, lang: str, title: str = "") -> dict[str, Any]:
    ev = evaluate(parsed.questionnaire, parsed.responses, targets=parsed.targets, consensus=parsed.consensus)
    return build_report_context(ev, parsed.responses, lang=lang,
                                meta=ReportMeta(organisation=parsed.organisation, title=title))


def random_respondents(catalog: Catalog, count: int, seed: int = 7) -> AnswerFile:
    """`count` random respondents for the default questionnaire (the 30-respondent case)."""
    questionnaire = catalog.get("digital-readiness")
    rnd = random.Random(seed)
    choices: list[object] = [1, 2, 2, 3, 3, 4, 5, "dont_know"]
    respondents = [
        {"role": rnd.choice(["executive", "management", "service_staff", "it"]),
         "answers": {q.id: rnd.choice(choices) for q in questionnaire.questions()}}
        for _ in range(count)
    ]
    return parse_answer_data({"questionnaire": questionnaire.id, "organisation": "Stadtwerke Süderstadt",
                              "respondents": respondents}, catalog)


def page_image_ink(pdf_path: Path, page: int) -> float:
    """Share of non-white pixels on `page` (1-based), rendered by pdftoppm as a greyscale PGM."""
    out = subprocess.run(["pdftoppm", "-gray", "-r", "40", "-f", str(page), "-l", str(page), str(pdf_path)],
                         check=True, capture_output=True).stdout
    match = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", out)
    assert match, "pdftoppm did not write a PGM image"
    width, height = int(match.group(1)), int(match.group(2))
    pixels = out[match.end():match.end() + width * height]
    return sum(1 for p in pixels if p < 200) / (width * height)


def ink_past_right_margin(pdf_data: bytes, tmp_path: Path, margin_mm: float = 12) -> list[int]:
    """The pages (1-based, cover excluded) with dark pixels within `margin_mm` of the right paper edge."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf_data)
    subprocess.run(["pdftoppm", "-gray", "-r", "40", str(source), str(tmp_path / "page")], check=True)
    spilled = []
    for image in sorted(tmp_path.glob("page-*.pgm")):
        data = image.read_bytes()
        match = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
        assert match, "pdftoppm did not write a PGM image"
        width, height = int(match.group(1)), int(match.group(2))
        pixels = data[match.end():match.end() + width * height]
        strip = round(margin_mm / 25.4 * 40)
        number = int(image.stem.split("-")[1])
        if number > 1 and any(pixels[row * width + col] < 160 for row in range(height) for col in range(width - strip, width)):
            spilled.append(number)
    return spilled


@pytest.fixture(scope="session")
def single_context(catalog: Catalog) -> dict[str, Any]:
    parsed = read_answer_file(str(EXAMPLES / "strong-channels-weak-processes.json"), catalog)
    return context_of(parsed, "de", title="Digitalisierung im Kundenservice")


@pytest.fixture(scope="session")
def single_pdf(single_context: dict[str, Any]) -> Pdf:
    """The full report (the board's short one plus the appendix)."""
    from assess.reporting.pdf import render_pdf

    return read_pdf(render_pdf({**single_context, "full": True}))


@pytest.fixture(scope="session")
def short_single_pdf(single_context: dict[str, Any]) -> Pdf:
    """The board's short report, the default."""
    from assess.reporting.pdf import render_pdf

    return read_pdf(render_pdf(single_context))


@pytest.fixture(scope="session")
def multi_context(catalog: Catalog) -> dict[str, Any]:
    parsed = read_answer_file(str(EXAMPLES / "workshop-five-respondents.json"), catalog)
    return context_of(parsed, "en")


@pytest.fixture(scope="session")
def multi_pdf(multi_context: dict[str, Any]) -> Pdf:
    from assess.reporting.pdf import render_pdf

    return read_pdf(render_pdf({**multi_context, "full": True}))


@pytest.fixture(scope="session")
def short_multi_pdf(multi_context: dict[str, Any]) -> Pdf:
    from assess.reporting.pdf import render_pdf

    return read_pdf(render_pdf(multi_context))
