"""The wheel carries every package and the data the app reads (questionnaires, report templates, examples).

`scripts/check-wheel` (run by CI) builds it, installs it outside the checkout and serves and prints from there.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from assess.resources import shipped

ROOT = Path(__file__).resolve().parent.parent
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def test_every_package_is_listed_for_the_wheel() -> None:
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "assess").rglob("__init__.py")}
    mapped = set(SETUPTOOLS["package-dir"])
    assert set(SETUPTOOLS["packages"]) == found | mapped


def test_the_data_folders_are_packages_read_through_importlib_resources() -> None:
    for package, folder in SETUPTOOLS["package-dir"].items():
        assert (ROOT / folder / "__init__.py").is_file(), folder
        assert shipped(package).resolve() == (ROOT / folder).resolve()  # an editable install reads the checkout
        patterns = SETUPTOOLS["package-data"][package]
        files = {p.name for pattern in patterns for p in (ROOT / folder).glob(pattern)}
        on_disk = {p.name for p in (ROOT / folder).iterdir() if p.is_file() and p.name != "__init__.py"}
        assert files == on_disk, f"{folder}: files the wheel would leave out: {sorted(on_disk - files)}"


def test_constraints_pin_every_dependency() -> None:
    pinned = {line.split("==")[0].lower().replace("_", "-") for line in (ROOT / "constraints.txt").read_text().splitlines()
              if line and not line.startswith("#")}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    names = {w.split(";")[0].split("[")[0].split(">")[0].split("<")[0].split("=")[0].strip().lower().replace("_", "-")
             for w in wanted}
    assert names <= pinned, sorted(names - pinned)
