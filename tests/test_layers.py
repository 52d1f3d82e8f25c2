"""The layers import one way: web -> services -> (db, reporting, catalog) -> domain.

The domain's own purity test is tests/domain/test_purity.py; these hold the rest of the picture
in ARCHITECTURE.md: views never touch storage, and neither the use cases nor the renderers know
about the web framework.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import assess

PACKAGE = Path(assess.__file__).parent


def imported(path: Path) -> list[str]:
    """Every module `path` imports (also inside functions: a lazy import is still a dependency)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


# The request boundary: it opens the request's session and commits or rolls it back (STYLE.md, principle 6).
BOUNDARY = {PACKAGE / "web" / "database.py"}


def offenders(layer: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted(set((PACKAGE / layer).rglob("*.py")) - BOUNDARY):
        for name in imported(path):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                found.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    return found


@pytest.mark.parametrize(("layer", "forbidden"), [
    ("web", ("assess.db", "sqlmodel", "sqlalchemy")),  # views call services; records come from services.records
    ("services", ("assess.web", "assess.tasks", "flask", "flask_babel", "flask_login", "flask_wtf", "wtforms", "celery")),
    ("tasks", ("assess.web",)),  # background tasks call services, like the views; they never call a view
    ("reporting", ("assess.web", "assess.services", "assess.db", "flask", "sqlmodel", "sqlalchemy")),
    ("catalog", ("assess.web", "assess.services", "assess.db", "assess.reporting", "flask", "sqlmodel")),
])
def test_a_layer_imports_only_what_is_below_it(layer: str, forbidden: tuple[str, ...]) -> None:
    assert offenders(layer, forbidden) == []


def test_the_check_sees_imports_inside_functions(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from assess.db import repo\n    import sqlmodel\n")
    assert imported(module) == ["assess.db", "sqlmodel"]


def test_importing_the_app_does_no_work() -> None:
    """No password hash, database connection or questionnaire parse at import: create_app() does the wiring."""
    import subprocess
    import sys

    code = (
        "import argon2, yaml, sqlalchemy\n"
        "calls = []\n"
        "argon2.PasswordHasher.hash = lambda self, *a, **k: calls.append('argon2')\n"
        "sqlalchemy.create_engine = lambda *a, **k: calls.append('engine')\n"
        "yaml.load = lambda *a, **k: calls.append('yaml')\n"
        "import assess, assess.web, assess.services.accounts, assess.services.reports, assess.web.survey\n"
        "import assess.web.workspace, assess.web.api, assess.cli\n"
        "print(calls)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
