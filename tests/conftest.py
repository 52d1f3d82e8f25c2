from __future__ import annotations

from pathlib import Path

import pytest

from assess.catalog import Catalog, load_questionnaire
from assess.domain.questionnaire import Questionnaire

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEFAULT_FILE = ROOT / "questionnaires" / "digital-readiness.yaml"


@pytest.fixture(scope="session")
def mini() -> Questionnaire:
    return load_questionnaire(FIXTURES / "mini.yaml")


@pytest.fixture(scope="session")
def default_questionnaire() -> Questionnaire:
    return load_questionnaire(DEFAULT_FILE)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog()
