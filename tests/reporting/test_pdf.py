"""The board report read back from the PDF: structure, texts, page numbers, fonts, pixels."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pypdf.generic import DictionaryObject

from assess.catalog import Catalog
from assess.domain.evaluation import evaluate
from assess.reporting.context import ReportMeta, build_report_context
from assess.reporting.pdf import render_pdf
from assess.services.answer_files import parse_answer_data
from tests.conftest import FIXTURES
from tests.reporting.conftest import Pdf, ink_past_right_margin, page_image_ink, read_pdf


def _squash(text: str) -> str:
    """Without any white space or the hyphens of automatic hyphenation (U+2010 at a line's end): a title wrapped at
    a hyphen ("Online-\nBuchungen") or hyphenated ("ge‐\nprüft") still matches."""
    return "".join(re.sub("\u2010\\s+", "", text).split())


def test_single_report_has_cover_contents_and_every_section(single_pdf: Pdf, single_context: dict[str, Any]) -> None:
    assert 12 <= len(single_pdf.pages) <= 40
    cover = single_pdf.pages[0]
    assert "Autohaus Beispiel GmbH" in cover
    assert "Digitalisierung im Kundenservice" in cover
    assert f"{single_context['questionnaire']['id']}, Version {single_context['questionnaire']['version']}" in cover
    assert "Deutsch" in cover
    text = _squash(single_pdf.text)
    for dimension in single_context["dimensions"]:
        assert _squash(dimension["title"]) in text, dimension["title"]
    for phase in single_context["roadmap"]["phases"]:
        for measure in phase["measures"]:
            assert _squash(measure["title"]) in text, measure["title"]
    assert "Roadmap" in single_pdf.text and "Quality Gate vor Phase 2" in single_pdf.text


def test_the_board_report_is_short_and_the_full_one_adds_the_appendix(
        short_single_pdf: Pdf, short_multi_pdf: Pdf, single_pdf: Pdf, single_context: dict[str, Any]) -> None:
    """Eight pages at most for the board; the appendix (every question and its answer, the contents) only in the full."""
    assert len(short_single_pdf.pages) <= 8 and len(short_multi_pdf.pages) <= 8
    assert short_single_pdf.opening("Auf einen Blick") == 2  # right after the cover: no contents page to turn
    question = single_context["dimensions"][0]["question_details"][0]["text"]
    assert _squash(question) not in _squash(short_single_pdf.text)
    assert _squash(question) in _squash(single_pdf.text) and "Inhalt" in single_pdf.pages[1]
    assert len(single_pdf.pages) > len(short_single_pdf.pages) + 4


def test_page_one_says_where_the_company_stands_what_to_decide_and_what_comes_first(
        short_single_pdf: Pdf, single_context: dict[str, Any]) -> None:
    """A board member reads one page: key messages, the decisions asked of them, the 90-day plan with owners."""
    first, second = short_single_pdf.opening("Auf einen Blick"), short_single_pdf.opening("Wo Sie stehen")
    assert second == first + 1, "at a glance must fit on one page"
    page = short_single_pdf.pages[first - 1]
    for heading in ("Kernaussagen", "Was die Geschäftsführung entscheiden soll", "Die ersten 90 Tage"):
        assert heading in page, heading
    assert "VERANTWORTLICH" in page  # an owner column to fill in (headers are set in capitals)
    measures = [m for p in single_context["roadmap"]["phases"] for m in p["measures"]]
    assert _squash(measures[0]["title"]) in _squash(page)  # what comes first
    assert _squash(single_context["roadmap"]["quick_wins"][0]["title"]) in _squash(page)
    assert "Phase 1 freigeben" in page and "Personentage" in page
    weakest = min((d for d in single_context["dimensions"] if d["score"] is not None), key=lambda d: d["score"])
    assert _squash(weakest["title"]) in _squash(page)


def test_page_two_ranks_every_dimension_once_and_gives_each_risk_one_sentence(
        short_single_pdf: Pdf, single_context: dict[str, Any]) -> None:
    """Five dimensions, five ranks: no dimension on a "strongest" and a "weakest" list at once."""
    single_pdf = short_single_pdf
    start = single_pdf.opening("Wo Sie stehen")
    page = single_pdf.pages[start - 1]
    table = page.split("Aufwand")[0]
    by_score = sorted((d for d in single_context["dimensions"] if d["score"] is not None), key=lambda d: -d["score"])
    positions = [table.find(d["title"]) for d in by_score]
    assert -1 not in positions and positions == sorted(positions), "ranked from the highest score down"
    assert all(table.count(d["title"]) == 1 for d in by_score)
    following = _squash(page + single_pdf.pages[start])
    assert single_context["flags"]
    for flag in single_context["flags"]:
        assert _squash(flag["message"]) in following
    assert "Stärkste Dimensionen" not in single_pdf.text and "Schwächste Dimensionen" not in single_pdf.text


def test_with_several_roles_page_two_charts_how_each_role_sees_each_dimension(
        short_multi_pdf: Pdf, multi_context: dict[str, Any]) -> None:
    """The perception gap on the board's second page, as a chart (its labels are the PDF's text), not a table later."""
    from assess.reporting.labels import role_label

    start = short_multi_pdf.opening("Where you stand")
    page = short_multi_pdf.pages[start - 1]
    assert "How the roles see it" in page
    chart = page.split("How the roles see it", 1)[1]
    for role in multi_context["by_role"]:
        assert f"{role_label(role['role'], 'en')} ({role['respondents']})" in chart  # the chart's legend
    assert all(d["title"] in chart for d in multi_context["dimensions"])  # its rows
    assert "Perception gap" in chart and "How the roles see it" not in short_multi_pdf.pages[start]


def test_contents_lists_page_numbers_that_point_at_the_sections(single_pdf: Pdf, single_context: dict[str, Any]) -> None:
    for title in [d["title"] for d in single_context["dimensions"]] + ["Roadmap", "Methode und Glossar"]:
        page = single_pdf.pages[single_pdf.section_page(title) - 1]
        assert page.startswith(title), title  # the heading opens the page
        assert title in page[-250:], title  # and the running header names the section


def test_no_page_prints_into_the_right_margin(single_pdf: Pdf, multi_pdf: Pdf, tmp_path: Path) -> None:
    """Wide tables (the roadmap's measure table with its weeks column) once ran past the paper's margin."""
    assert ink_past_right_margin(single_pdf.data, tmp_path / "single") == []
    assert ink_past_right_margin(multi_pdf.data, tmp_path / "multi") == []


def test_every_page_says_page_x_of_y(single_pdf: Pdf, multi_pdf: Pdf) -> None:
    total = len(single_pdf.pages)
    for number, page in enumerate(single_pdf.pages, start=1):
        assert f"Seite {number} von {total}" in page
    total = len(multi_pdf.pages)
    for number, page in enumerate(multi_pdf.pages, start=1):
        assert f"Page {number} of {total}" in page


def test_running_header_names_organisation_and_title(single_pdf: Pdf) -> None:
    for page in single_pdf.pages[1:]:
        assert "Autohaus Beispiel GmbH" in page and "Digitalisierung im Kundenservice" in page


def test_umlauts_survive(single_pdf: Pdf) -> None:
    text = single_pdf.text
    for word in ("Kundenkanäle", "Führung & Kultur", "Maßnahme", "Geschäftsführung", "Reifegrad im Überblick"):
        assert word in text, word
    assert "Ã" not in text and "\ufffd" not in text


def _fonts(pdf: Pdf) -> list[DictionaryObject]:
    """Every font of every page, also those of the section pages laid under the frame's sheets (form XObjects)."""
    fonts = []
    resources = [page["/Resources"].get_object() for page in pdf.reader.pages]
    while resources:
        current = resources.pop()
        fonts += [font.get_object() for font in current.get("/Font", {}).values()]
        for xobject in current.get("/XObject", {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
                resources.append(xobject["/Resources"].get_object())
    return fonts


def test_every_font_is_embedded_dejavu(single_pdf: Pdf) -> None:
    fonts = _fonts(single_pdf)
    assert len(fonts) > 2 * len(single_pdf.pages)  # the sections' fonts too, not only the frame's
    for font in fonts:
        descendants = font.get("/DescendantFonts")
        described = descendants[0].get_object() if descendants else font
        descriptor = described["/FontDescriptor"].get_object()
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
        assert "DejaVu" in str(font["/BaseFont"]), font["/BaseFont"]


def test_charts_page_is_not_blank(single_pdf: Pdf, tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(single_pdf.data)
    assert page_image_ink(path, single_pdf.section_page("Reifegrad im Überblick")) > 0.03
    assert page_image_ink(path, 1) > 0.01  # the cover


def test_multi_report_shows_spread_distribution_and_disagreement(multi_pdf: Pdf, multi_context: dict[str, Any]) -> None:
    text = multi_pdf.text
    assert "Stadtwerke Musterstadt" in multi_pdf.pages[0]
    assert "English" in multi_pdf.pages[0]
    assert "Where respondents disagree" in text
    assert "Workshop agenda" in text and "LEVELS GIVEN, BY ROLE" in text  # table headers are set in capitals
    assert 0 < len(multi_context["disagreements"]) <= 10  # the agenda is capped
    for question in multi_context["disagreements"][:3]:
        assert _squash(question["text"]) in _squash(text)
    assert "Perception gap" in text
    assert "how many respondents chose each level" in text
    for dimension in multi_context["dimensions"]:
        assert _squash(dimension["title"]) in _squash(text)


def test_a_reassessment_shows_the_change_and_a_small_questionnaire_renders(catalog: Catalog) -> None:
    mini = str(FIXTURES / "mini.yaml")
    before = parse_answer_data({"questionnaire": "mini", "respondents": [
        {"role": "it", "answers": {"ch.booking": 2, "ch.chat": 1, "proc.handover": 1, "proc.map": 1, "data.master": 1}},
        {"role": "executive", "answers": {"ch.booking": 4, "ch.chat": 2, "proc.handover": 1, "proc.map": 2,
                                          "data.master": "dont_know"}},
    ]}, catalog, mini)
    now = parse_answer_data({"questionnaire": "mini", "respondents": [
        {"role": "it", "answers": {"ch.booking": 5, "ch.chat": 2, "proc.handover": 1, "proc.map": 3, "data.master": 2}},
        {"role": "executive", "answers": {"ch.booking": 5, "ch.chat": {"value": "na", "reason": "Kein Chat geplant"},
                                          "proc.handover": 3, "proc.map": 3, "data.master": 4}},
    ]}, catalog, mini)
    previous = evaluate(before.questionnaire, before.responses)
    ev = evaluate(now.questionnaire, now.responses)
    context = build_report_context(ev, now.responses, lang="de", meta=ReportMeta(organisation="Bäckerei Groß"),
                                   previous=previous, previous_label="Frühjahr 2026")
    pdf = read_pdf(render_pdf({**context, "full": True}))
    assert "Bäckerei Groß" in pdf.pages[0] and "Mini-Check" in pdf.pages[0]
    assert "Vorher:" in pdf.text and "Veränderung seit Frühjahr 2026" in pdf.text
    assert "Wo die Teilnehmenden uneins sind" in pdf.text and "Werte nach Rolle" in pdf.text
    assert "Nicht zutreffend: Kein Chat geplant" in pdf.text
    assert all(f"Seite {n} von {len(pdf.pages)}" in page for n, page in enumerate(pdf.pages, start=1))


def test_the_board_reports_gates_have_at_most_six_items_and_count_the_rest(
        short_multi_pdf: Pdf, multi_context: dict[str, Any]) -> None:
    text = re.sub(r"Stadtwerke Musterstadt.*?Page \d+ of \d+", " ", short_multi_pdf.text)  # running header, footer
    roadmap = text.split("Method and glossary")[0]
    gates = re.findall(r"Quality gate.*?(?=Phase \d+ · weeks|$)", roadmap)
    assert len(gates) == len([p for p in multi_context["roadmap"]["phases"] if p["gate"]["conditions"]])
    for gate in gates:
        assert gate.count("☐") <= 6, gate[:300]
    rest = sum(len(p["gate"]["appendix"]) + len(p["gate"]["appendix_kpis"]) for p in multi_context["roadmap"]["phases"])
    if rest:
        text = " ".join(short_multi_pdf.text.split())
        assert re.search(r"more items? in the full report", text) and not re.search(r"more items? in the appendix", text)


def test_levels_agreed_in_a_workshop_are_said_to_be_agreed_never_a_mean(catalog: Catalog) -> None:
    """A question the room agreed at 2 while the five respondents' mean is 2.0 or 2.2: the report says "agreed"."""
    import json

    from assess.reporting.word import build_docx
    from tests.reporting.conftest import EXAMPLES, context_of

    data = json.loads((EXAMPLES / "workshop-five-respondents.json").read_text(encoding="utf-8"))
    data["consensus"] = {"str.budget": 3, "str.digital-service-strategy": 1}  # the means are 2.0 and 1.8
    context = context_of(parse_answer_data(data, catalog), "en")
    budget = next(q for d in context["dimensions"] for q in d["question_details"] if q["id"] == "str.budget")
    assert budget["level"] == 3 and budget["consensus"]
    pdf = read_pdf(render_pdf({**context, "full": True}))
    page_one = _squash(pdf.pages[pdf.opening("At a glance") - 1])
    assert _squash("2 questions agreed in the workshop, the others the mean of the respondents") in page_one
    text = _squash(pdf.text)
    assert _squash(f"Agreed in the workshop: {budget['chosen_text']} (the mean of 5 respondents was 2.0)") in text
    assert text.count(_squash("Agreed in the workshop:")) == 2
    docx = build_docx({**context, "full": True})
    from io import BytesIO

    from docx import Document

    cells = " ".join(c.text for t in Document(BytesIO(docx)).tables for r in t.rows for c in r.cells)
    assert f"Agreed in the workshop: {budget['chosen_text']} (the mean of 5 respondents was 2.0)" in cells
