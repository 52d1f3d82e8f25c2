"""compose.yaml describes the stack the README promises (no Docker engine runs here to start it)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_web_postgresql_redis_and_migrations_as_a_one_off() -> None:
    services = COMPOSE["services"]
    assert {"web", "worker", "db", "redis", "migrate"} <= set(services)
    assert services["worker"]["command"] == ["assess", "worker"]
    assert services["worker"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["command"] == ["assess", "db", "upgrade"]
    assert services["migrate"]["restart"] == "no"
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert "command" not in services["web"]  # the image's own command serves; it does not migrate


def test_the_app_is_configured_from_the_environment_and_holds_no_secret() -> None:
    for name in ("web", "worker", "migrate"):
        environment = COMPOSE["services"][name]["environment"]
        assert environment["ASSESS_ENV"] == "production"
        assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?")
        assert "${POSTGRES_PASSWORD:?" in environment["DATABASE_URL"]
        assert environment["DATABASE_URL"].startswith("postgresql+psycopg://") and "@db:5432/" in environment["DATABASE_URL"]
        assert environment["REDIS_URL"].startswith("redis://redis:6379/")
    text = (ROOT / "compose.yaml").read_text()
    assert not re.search(r"(PASSWORD|SECRET_KEY):\s*['\"]?[A-Za-z0-9]{8,}", text)


def test_web_scales_out_without_a_fixed_host_port() -> None:
    ports = COMPOSE["services"]["web"]["ports"]
    assert all(":" not in str(p).replace("${PORT:-8000}", "") for p in ports)  # `--scale web=3` needs free host ports


def test_the_dockerfile_builds_a_wheel_and_runs_without_test_tools_as_a_user() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.count("FROM ") == 2 and " AS build" in dockerfile
    assert "pip wheel --no-deps" in dockerfile and "pip install --no-deps /dist/*.whl" in dockerfile
    assert "constraints.txt" in dockerfile and "pip install -e" not in dockerfile
    assert "USER assess" in dockerfile and "HEALTHCHECK" in dockerfile
    runtime = dockerfile.split(" AS build", 1)[1].split("\nFROM ", 1)[1]
    assert "pytest" not in runtime and "[test]" not in runtime
    command = next(line for line in runtime.splitlines() if line.startswith("CMD ["))
    assert "assess serve" in command and "db upgrade" not in command  # migrations are their own one-off container


SPEC = ROOT / "tests" / "fixtures" / "compose-spec" / "compose-spec.json"


def _spec_problems(document: dict[str, Any]) -> list[str]:
    import json

    from jsonschema import Draft201909Validator

    validator = Draft201909Validator(json.loads(SPEC.read_text()))
    return [f"{'.'.join(map(str, error.path)) or '(top)'}: {error.message}" for error in validator.iter_errors(document)]


def test_compose_yaml_follows_the_compose_specification() -> None:
    """`docker compose config` needs a client this machine lacks; the Compose Specification's own JSON schema
    (compose-spec/compose-spec, Apache-2.0, vendored with the top-level `name` the current spec has) checks the
    same keys, types and values."""
    assert _spec_problems(COMPOSE) == []


def test_the_schema_check_catches_a_mistyped_key_and_a_wrong_condition() -> None:
    broken = yaml.safe_load((ROOT / "compose.yaml").read_text())
    broken["services"]["web"]["restartt"] = "always"
    broken["services"]["worker"]["depends_on"]["migrate"]["condition"] = "service_finished"
    problems = _spec_problems(broken)
    assert any("restartt" in p for p in problems) and any("service_finished" in p for p in problems)
