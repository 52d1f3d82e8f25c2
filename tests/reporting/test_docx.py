"""The editable report: the PDF's content as a Word document a consultant can edit before handing it over."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx import Document
from docx.document import Document as DocumentObject

from assess.cli import main
from assess.reporting.word import MIMETYPE, build_docx
from tests.reporting.conftest import EXAMPLES, Pdf


def _open(data: bytes) -> DocumentObject:
    return Document(io.BytesIO(data))


def _headings(doc: DocumentObject, level: int) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style is not None and p.style.name == f"Heading {level}"]


def _text(doc: DocumentObject) -> str:
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return re.sub(r"\s+", " ", " ".join([p.text for p in doc.paragraphs] + cells))


@pytest.fixture(scope="module")
def short_docx(single_context: dict[str, Any]) -> DocumentObject:
    return _open(build_docx(single_context))


@pytest.fixture(scope="module")
def full_docx(multi_context: dict[str, Any]) -> DocumentObject:
    return _open(build_docx({**multi_context, "full": True}))


def test_the_sections_are_word_headings_in_the_pdfs_order(short_docx: DocumentObject) -> None:
    assert _headings(short_docx, 1) == ["Auf einen Blick", "Wo Sie stehen", "Reifegrad im Überblick", "Roadmap",
                                        "Methode und Glossar"]
    phases = [h for h in _headings(short_docx, 2) if h.startswith("Phase ")]
    assert phases and all(re.fullmatch(r"Phase \d+ · Wochen \d+–\d+", h) for h in phases)


def test_page_one_says_what_the_pdfs_page_one_says(short_docx: DocumentObject, single_context: dict[str, Any],
                                                    short_single_pdf: Pdf) -> None:
    glance = single_context["glance"]
    paragraphs = [p.text for p in short_docx.paragraphs]
    for message in glance["messages"]:
        assert message in paragraphs  # the same three key messages, word for word
    for decision in glance["decisions"]:
        assert any(p.endswith(decision) for p in paragraphs)
    plan = next(t for t in short_docx.tables if t.rows[0].cells[0].text == "Maßnahme" and len(t.columns) == 4)
    assert [row.cells[3].text for row in plan.rows[0:1]] == ["Verantwortlich"]  # an owner column to fill in
    assert len(plan.rows) - 1 == len(glance["plan"])
    assert all(row.cells[3].text == "" for row in plan.rows[1:])
    pdf_page = short_single_pdf.pages[short_single_pdf.opening("Auf einen Blick") - 1].replace("\u2010", "")
    for row in glance["plan"][:3]:
        assert row["title"][:25] in re.sub(r"- ", "", pdf_page)  # the PDF's plan has the same rows


def test_the_charts_are_png_images(short_docx: DocumentObject) -> None:
    images = [shape for shape in short_docx.inline_shapes]
    assert len(images) == 3  # radar, bars, timeline
    with zipfile.ZipFile(io.BytesIO(_save(short_docx))) as package:
        media = [name for name in package.namelist() if name.startswith("word/media/")]
        assert media and all(package.read(name).startswith(b"\x89PNG") for name in media)


def test_running_header_and_page_numbers_are_word_fields(short_docx: DocumentObject) -> None:
    body = short_docx.sections[1]
    assert "Autohaus Beispiel GmbH" in body.header.paragraphs[0].text
    footer = body.footer.paragraphs[0]._p.xml
    assert " PAGE " in footer and " NUMPAGES " in footer and "Vertraulich" in footer
    assert short_docx.sections[0].header.paragraphs[0].text == ""  # the cover carries none
    assert 'w:val="de-DE"' in short_docx.styles["Normal"].element.xml  # Word hyphenates and checks it as German


def test_the_full_report_adds_contents_and_every_question(full_docx: DocumentObject, multi_context: dict[str, Any],
                                                          short_docx: DocumentObject) -> None:
    headings = _headings(full_docx, 1)
    assert headings[0] == "Contents" and "Where respondents disagree" in headings
    assert [d["title"] for d in multi_context["dimensions"]] == headings[-1 - len(multi_context["dimensions"]):-1]
    assert any("TOC" in p._p.xml for p in full_docx.paragraphs)  # Word fills the contents in from the headings
    assert "w:updateFields" in full_docx.settings.element.xml
    text = _text(full_docx)
    for question in (q for d in multi_context["dimensions"] for q in d["question_details"]):
        assert question["text"] in text
    assert "Contents" not in _headings(short_docx, 1) and "Inhalt" not in _headings(short_docx, 1)


def test_the_full_report_says_where_levels_are_means(full_docx: DocumentObject, multi_context: dict[str, Any]) -> None:
    text = _text(full_docx)
    assert f"The mean of {multi_context['respondents']} respondents corresponds to:" in text
    assert "Mittelwert" not in text


def test_report_command_writes_a_docx(tmp_path: Path) -> None:
    out = tmp_path / "report.docx"
    result = CliRunner().invoke(main, ["report", str(EXAMPLES / "workshop-five-respondents.json"), "-o", str(out),
                                       "--format", "docx", "--lang", "de"])
    assert result.exit_code == 0, result.output
    doc = _open(out.read_bytes())
    assert "Stadtwerke Musterstadt" in _text(doc)
    assert "Auf einen Blick" in _headings(doc, 1)


def test_result_page_offers_the_docx_and_it_downloads(tmp_path: Path) -> None:
    from sqlmodel import Session

    from assess import create_app
    from assess.services.demo import seed_demo

    app = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}",
                      "UPGRADE_DATABASE": True})
    with Session(app.extensions["assess.engine"]) as session:
        token = seed_demo(session, app.extensions["assess.catalog"], "t")
        session.commit()
    client = app.test_client()
    assert f'href="/r/{token}/report.docx"' in client.get(f"/r/{token}/result").get_data(as_text=True)
    response = client.get(f"/r/{token}/report.docx")
    assert response.status_code == 200 and response.mimetype == MIMETYPE
    assert re.search(r"attachment; filename=report-autohaus-beispiel[\w-]*\.docx", response.headers["Content-Disposition"])
    assert "Autohaus Beispiel GmbH" in _text(_open(response.data))
    app.extensions["assess.engine"].dispose()


def _save(doc: DocumentObject) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
