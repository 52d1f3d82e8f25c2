"""`assess report` on the command line, and the download from the result page."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlmodel import Session

from assess import create_app
from assess.cli import main
from assess.services.demo import seed_demo
from tests.reporting.conftest import EXAMPLES, read_pdf


def test_report_command_writes_a_pdf(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    result = CliRunner().invoke(main, ["report", str(EXAMPLES / "workshop-five-respondents.json"), "-o", str(out),
                                       "--lang", "de"])
    assert result.exit_code == 0, result.output
    pdf = read_pdf(out.read_bytes())
    assert "Stadtwerke Musterstadt" in pdf.pages[0]
    assert f"Seite 1 von {len(pdf.pages)}" in pdf.pages[0]


def test_report_command_lists_every_problem_like_score(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"questionnaire": "digital-readiness", "answers": {"nope": 3, "ch.online-booking": 9},
                                   "extra": 1}), encoding="utf-8")
    out = tmp_path / "report.pdf"
    result = CliRunner().invoke(main, ["report", str(answers), "-o", str(out)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3 and all(line.startswith("error: ") for line in lines)
    assert not out.exists()


def test_score_command_does_not_load_the_pdf_stack() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from assess.cli import main\n"
        f"result = CliRunner().invoke(main, ['score', {str(EXAMPLES / 'all-fives.json')!r}])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'weasyprint', 'plotly', 'kaleido', 'flask'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": f"sqlite:///{tmp_path / 'test.db'}",
                      "UPGRADE_DATABASE": True})
    yield app
    app.extensions["assess.engine"].dispose()


def test_result_page_links_to_a_pdf_download(app: Flask) -> None:
    with Session(app.extensions["assess.engine"]) as session:
        token = seed_demo(session, app.extensions["assess.catalog"], app.config["SECRET_KEY"])
        session.commit()
    client = app.test_client()
    client.get("/lang/en")
    page = client.get(f"/r/{token}/result")
    assert page.status_code == 200
    assert f'href="/r/{token}/report.pdf"'.encode() in page.data
    response = client.get(f"/r/{token}/report.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and ".pdf" in disposition and "report-autohaus-beispiel" in disposition
    pdf = read_pdf(response.data)
    assert "Autohaus Beispiel GmbH" in pdf.pages[0] and f"Page 1 of {len(pdf.pages)}" in pdf.pages[0]


def test_wrong_token_is_404(app: Flask) -> None:
    assert app.test_client().get("/r/not-a-token/report.pdf").status_code == 404


def test_without_chromium_the_pdf_button_says_why_and_what_to_install(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    from assess.cache import MemoryCache, use_cache
    from assess.reporting import svg

    with Session(app.extensions["assess.engine"]) as session:
        token = seed_demo(session, app.extensions["assess.catalog"], app.config["SECRET_KEY"])
        session.commit()
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    monkeypatch.setattr(svg, "_server", svg._Server())  # as in a process that has not drawn a chart yet
    use_cache(MemoryCache())  # nothing printed before
    try:
        client = app.test_client()
        response = client.get(f"/r/{token}/report.pdf")
        assert response.status_code == 503
        page = response.get_data(as_text=True)
        assert "Chromium" in page and "apt-get install chromium" in page and "PDF" in page
        client.get("/lang/en")
        assert "The results page works without it" in client.get(f"/r/{token}/report.pdf").get_data(as_text=True)
        assert client.get(f"/r/{token}/result").status_code == 200
    finally:
        use_cache(None)
