"""The `assess` command line: validate, score, questionnaire show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assess.cli import main
from tests.conftest import DEFAULT_FILE, FIXTURES

MINI = str(FIXTURES / "mini.yaml")


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def write(tmp_path: Path, data: object, name: str = "answers.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def test_validate_passes_shipped_questionnaires() -> None:
    code, out, err = invoke("validate", str(DEFAULT_FILE), MINI)
    assert code == 0, out
    assert "ok (digital-readiness" in err


def test_validate_lists_every_problem_with_file_and_line(tmp_path: Path) -> None:
    broken = (FIXTURES / "mini.yaml").read_text().replace("weight: 2\n", "weigth: 2\n", 1).replace(
        "{measure: m.map}", "{measure: m.nope}")
    path = write(tmp_path, broken, "broken.yaml")
    code, out, _ = invoke("validate", path, MINI)
    assert code == 1
    lines = out.strip().splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f"{path}:") for line in lines)
    assert "unknown key 'weigth'" in lines[0] and "unknown measure 'm.nope'" in lines[1]


def test_score_json_has_the_documented_shape(tmp_path: Path) -> None:
    path = write(tmp_path, {"questionnaire": "mini", "answers": {"ch.booking": 5, "ch.chat": "na", "proc.handover": 1,
                                                                  "proc.map": 2, "data.master": "dont_know"}})
    code, out, _ = invoke("score", path, "--questionnaire", MINI, "--lang", "en")
    assert code == 0
    result = json.loads(out)
    assert set(result) >= {"overall", "dimensions", "flags", "roadmap"}
    assert result["overall"]["excluded_dimensions"] == ["data"]
    assert [f["rule"] for f in result["flags"]] == ["r.island", "r.gap"]
    assert result["format"] == 2
    phases = result["roadmap"]["phases"]
    first = {m["id"]: m for m in phases[0]["measures"]}
    assert list(first) == ["m.map", "m.integrate"]  # the integration starts when the process map is done
    assert first["m.integrate"]["start_week"] == first["m.map"]["end_week"] == 4
    assert first["m.integrate"]["why"][0]["text"] == "“Booking handover?” is at level 1.0; it is to reach 3"
    assert phases[0]["gate"]["conditions"][0]["text"] == "“Process map?” at level 3 or more (now 2.0)"
    assert result["roadmap"]["settings"]["capacity"] == 3


def test_score_several_respondents_text(tmp_path: Path) -> None:
    path = write(tmp_path, {"questionnaire": "mini", "respondents": [
        {"role": "executive", "answers": {"ch.booking": 5, "ch.chat": 4}},
        {"role": "service_staff", "answers": {"ch.booking": 2, "ch.chat": 4}},
    ]})
    code, out, _ = invoke("score", path, "--questionnaire", MINI, "--format", "text", "--lang", "de")
    assert code == 0
    assert "2 Teilnehmende" in out
    assert "Fragen mit 2+ Stufen Abweichung" in out
    # two camps, never "3.5"; the roles in the words of the forms and the report
    assert "Online-Buchung? [gespalten] (Geschäftsführung / Inhaber/in 5; Mitarbeitende im Kundenservice 2)" in out
    assert "Nach Rolle:" in out and "Wahrnehmungslücke" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON: Expecting property name enclosed in double quotes at line 1"),
        ({"questionnaire": "mini", "answers": {"ch.nope": 3}}, "answers.ch.nope: unknown question 'ch.nope'"),
        ({"questionnaire": "mini", "answers": {"ch.booking": 0}}, "answers.ch.booking: 0 is not an answer"),
        ({"questionnaire": "mini", "answers": {"ch.booking": 6}}, "answers.ch.booking: 6 is not an answer"),
        ({"questionnaire": "mini", "answers": {"proc.map": "na"}}, "does not allow \"not applicable\""),
        ({"questionnaire": "other", "answers": {}}, "the answers are for 'other', not for 'mini'"),
        ({"questionnaire": "mini"}, "missing 'answers'"),
        ([1, 2], "expected a JSON object"),
    ],
)
def test_bad_input_is_one_line_per_problem_and_exit_2(tmp_path: Path, content: object, message: str) -> None:
    path = write(tmp_path, content)
    code, out, err = invoke("score", path, "--questionnaire", MINI)
    assert code == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err
    assert all(line.startswith("error: ") for line in err.strip().splitlines())


def test_all_problems_are_listed(tmp_path: Path) -> None:
    path = write(tmp_path, {"questionnaire": "mini", "answers": {"ch.nope": 3, "ch.booking": 9, "proc.map": "x"}})
    code, _, err = invoke("score", path, "--questionnaire", MINI)
    assert code == 2 and len(err.strip().splitlines()) == 3


def test_unknown_questionnaire_id(tmp_path: Path) -> None:
    path = write(tmp_path, {"questionnaire": "nope", "answers": {}})
    code, _, err = invoke("score", path)
    assert code == 2 and "unknown questionnaire 'nope'" in err


def test_questionnaire_show_json_and_text() -> None:
    code, out, _ = invoke("questionnaire", "show", MINI, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["dimensions"][0]["questions"][0]["levels"]["de"][4] == "führend"
    code, out, _ = invoke("questionnaire", "show", "digital-readiness", "--lang", "en")
    assert code == 0 and "Customer channels" in out


def test_questionnaire_import_validates_and_stores_per_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 database_url: str) -> None:
    from sqlmodel import Session, select

    from assess.db.models import StoredQuestionnaire, Workspace
    from assess.db.session import make_engine

    monkeypatch.setenv("DATABASE_URL", database_url)
    engine = make_engine(database_url)
    with Session(engine) as session:
        session.add(Workspace(name="Nord"))
        session.commit()
    text = (FIXTURES / "mini.yaml").read_text().replace("id: mini\n", "id: own\n")
    broken = write(tmp_path, text.replace("weight: 2\n", "wieght: 2\n", 1), "broken.yaml")
    code, out, _ = invoke("questionnaire", "import", broken)
    assert code == 1 and "unknown key 'wieght'" in out
    code, _, err = invoke("questionnaire", "import", write(tmp_path, text, "own.yaml"))
    assert code == 0 and "imported own 1.0 into workspace 'Nord'" in err
    with Session(engine) as session:
        assert [(r.questionnaire_id, r.version) for r in session.exec(select(StoredQuestionnaire))] == [("own", "1.0")]
    engine.dispose()


def test_the_plan_settings_come_from_the_answers_file(tmp_path: Path) -> None:
    answers = {"ch.booking": 5, "ch.chat": 1, "proc.handover": 1, "proc.map": 1, "data.master": 1}
    path = write(tmp_path, {"questionnaire": "mini", "answers": answers, "planning": {"capacity": 1, "focus": 2}})
    code, out, _ = invoke("score", path, "--questionnaire", MINI)
    assert code == 0
    assert json.loads(out)["roadmap"]["settings"] == {"capacity": 1, "focus": 2, "phase_weeks": 13, "gate_items": 6,
                                                      "quick_win_weeks": 12}
    bad = write(tmp_path, {"questionnaire": "mini", "answers": answers, "planning": {"capacity": 0, "speed": 2}})
    code, _, err = invoke("score", bad, "--questionnaire", MINI)
    assert code == 2
    assert "planning.capacity: a whole number from 1 to 10" in err and "planning.speed: unknown setting" in err


def test_a_worker_without_redis_says_it_needs_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    result = CliRunner().invoke(main, ["worker"])
    assert result.exit_code == 2 and "set REDIS_URL" in result.output


def test_the_worker_recycles_its_processes_and_runs_the_apps_tasks() -> None:
    from assess.cli.server import worker_command
    from assess.tasks import MAX_TASKS_PER_CHILD

    command = worker_command("celery", 3)
    assert command[command.index("--app") + 1] == "assess.tasks.worker:celery"
    assert command[command.index("--concurrency") + 1] == "3"
    assert command[command.index("--max-tasks-per-child") + 1] == str(MAX_TASKS_PER_CHILD)
