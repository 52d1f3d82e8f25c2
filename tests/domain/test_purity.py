"""The domain core stays pure Python: no web, storage or rendering imports."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import assess.domain

FORBIDDEN = ("flask", "sqlmodel", "sqlalchemy", "wtforms", "flask_wtf", "plotly", "weasyprint", "jinja2")
DOMAIN = Path(assess.domain.__file__).parent


def test_domain_modules_import_nothing_from_web_storage_or_rendering() -> None:
    offenders = []
    for path in DOMAIN.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_assess_score_does_not_load_flask_plotly_or_weasyprint(tmp_path: Path) -> None:
    answers = tmp_path / "a.json"
    answers.write_text('{"questionnaire": "digital-readiness", "answers": {}}')
    code = (
        "import sys, runpy\n"
        f"sys.argv = ['assess', 'score', {str(answers)!r}]\n"
        "try:\n    runpy.run_module('assess', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'plotly', 'weasyprint', 'sqlmodel'))\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in result.stderr
    assert '"overall"' in result.stdout
