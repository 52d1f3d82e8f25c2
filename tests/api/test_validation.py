"""Invalid or tampered calls: a 4xx listing every problem, and not a single row written."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.api.conftest import Api, assert_error, snapshot
from tests.web.workspace_data import Seeded


def _fields(error: dict[str, Any]) -> set[str]:
    return {d["field"] for d in error["details"]}


ORGANISATIONS: list[tuple[object, set[str]]] = [
    ({}, {"body.name", "body.industry", "body.size"}),
    ({"name": "", "industry": "retail", "size": "1-49"}, {"body.name"}),
    ({"name": "   ", "industry": "retail", "size": "1-49"}, {"body.name"}),
    ({"name": "X" * 201, "industry": "retail", "size": "1-49"}, {"body.name"}),
    ({"name": "X\x00Y", "industry": "retail", "size": "1-49"}, {"body.name"}),
    ({"name": "X\ud800", "industry": "retail", "size": "1-49"}, {"body.name"}),
    ({"name": "X", "industry": "mining", "size": "huge"}, {"body.industry", "body.size"}),
    ({"name": "X", "industry": "retail", "size": "1-49", "workspace_id": 2}, {"body.workspace_id"}),
    ({"name": 5, "industry": "retail", "size": "1-49"}, {"body.name"}),
    ([], {"body"}),
    ("X", {"body"}),
]


@pytest.mark.parametrize(("body", "fields"), ORGANISATIONS)
def test_invalid_organisations(app: Flask, api: Api, body: object, fields: set[str]) -> None:
    before = snapshot(app)
    error = assert_error(api.post("/organisations", json=body), 422, "invalid")
    assert _fields(error) == fields
    assert snapshot(app) == before


def test_a_null_body(api: Api) -> None:
    error = assert_error(api.post("/organisations", data="null", content_type="application/json"), 422)
    assert _fields(error) == {"body"}


def _assessment(seeded: Seeded, **changes: object) -> dict[str, object]:
    return {"organisation_id": seeded.organisation_id, "questionnaire_id": "mini", **changes}


def test_invalid_assessments(app: Flask, api: Api, seeded: Seeded) -> None:
    cases: list[tuple[dict[str, object], int, set[str]]] = [
        (_assessment(seeded, questionnaire_id="nope"), 422, {"body.questionnaire_id"}),
        (_assessment(seeded, version="9.9"), 422, {"body.questionnaire_id"}),
        (_assessment(seeded, targets={"channels": 6, "processes": 0, "x": "3"}), 422,
         {"body.targets.channels", "body.targets.processes", "body.targets.x"}),
        (_assessment(seeded, targets={"nowhere": 3, "channels": 4}), 422, {"body.targets.nowhere"}),
        (_assessment(seeded, deadline="31.12.2027", title="X" * 201, tampered=True), 422,
         {"body.deadline", "body.title", "body.tampered"}),
        (_assessment(seeded, organisation_id=0), 422, {"body.organisation_id"}),
        (_assessment(seeded, organisation_id=2**40), 422, {"body.organisation_id"}),
        (_assessment(seeded, organisation_id=seeded.organisation_id + 100), 404, {"body.organisation_id"}),
        (_assessment(seeded, previous_id=seeded.assessment_id + 100), 404, {"body.previous_id"}),
        ({}, 422, {"body.organisation_id", "body.questionnaire_id"}),
    ]
    before = snapshot(app)
    for body, status, fields in cases:
        error = assert_error(api.post("/assessments", json=body), status)
        assert _fields(error) == fields, body
    assert snapshot(app) == before


def test_a_follow_up_must_be_of_the_same_organisation(app: Flask, api: Api, seeded: Seeded) -> None:
    other = api.post("/organisations", json={"name": "Andere GmbH", "industry": "retail", "size": "1-49"}).get_json()
    before = snapshot(app)
    error = assert_error(api.post("/assessments", json=_assessment(seeded, organisation_id=other["id"],
                                                                    previous_id=seeded.assessment_id)), 422)
    assert _fields(error) == {"body.previous_id"}
    assert snapshot(app) == before


def test_invalid_invitations(app: Flask, api: Api, seeded: Seeded) -> None:
    before = snapshot(app)
    path = f"/assessments/{seeded.assessment_id}/respondents"
    error = assert_error(api.post(path, json={"role": "boss", "language": "fr", "name": "X" * 121, "email": "a@b"}), 422)
    assert _fields(error) == {"body.role", "body.language", "body.name", "body.email"}
    assert_error(api.post(path, json={}), 422)
    assert snapshot(app) == before


INVALID_ANSWERS: list[tuple[dict[str, object], set[str]]] = [
    ({"ch.booking": 6, "ch.chat": 0, "proc.map": "5", "data.master": True},
     {"body.answers.ch.booking.value", "body.answers.ch.chat.value", "body.answers.proc.map.value",
      "body.answers.data.master.value"}),
    ({"ch.booking": 3, "nope": 3}, {"body.answers.nope"}),  # one unknown question: nothing of the rest is stored
    ({"ch.booking": "na"}, {"body.answers.ch.booking"}),  # this question does not allow "not applicable"
    ({"ch.booking": {"value": 3, "comment": "x" * 2001}}, {"body.answers.ch.booking.comment"}),
    ({"ch.chat": {"value": "na", "reason": "x" * 301, "extra": 1}}, {"body.answers.ch.chat.reason",
                                                                      "body.answers.ch.chat.extra"}),
    ({"ch.booking": {"comment": "no value"}}, {"body.answers.ch.booking.value"}),
    ({"ch.booking": {"value": 3, "comment": "nul\x00"}}, {"body.answers.ch.booking.comment"}),
    ({"ch.booking": {"value": None}, "ch.chat": [3]}, {"body.answers.ch.booking.value", "body.answers.ch.chat.value"}),
    ({"": 3, "x" * 81: 3}, {"body.answers..[key]", f"body.answers.{'x' * 81}.[key]"}),
]


@pytest.mark.parametrize(("answers", "fields"), INVALID_ANSWERS)
def test_invalid_answers_store_nothing(app: Flask, api: Api, seeded: Seeded, answers: dict[str, object],
                                       fields: set[str]) -> None:
    before = snapshot(app)
    path = f"/respondents/{seeded.respondent_ids[0]}/answers"
    error = assert_error(api.put(path, json={"answers": answers}), 422, "invalid")
    assert _fields(error) == fields
    assert snapshot(app) == before


def test_answers_body_must_be_the_documented_shape(app: Flask, api: Api, seeded: Seeded) -> None:
    before = snapshot(app)
    path = f"/respondents/{seeded.respondent_ids[0]}/answers"
    assert _fields(assert_error(api.put(path, json={"ch.booking": 3}), 422)) == {"body.answers", "body.ch.booking"}
    assert _fields(assert_error(api.put(path, json={"answers": [3]}), 422)) == {"body.answers"}
    assert snapshot(app) == before


def test_invalid_queries(api: Api, seeded: Seeded) -> None:
    error = assert_error(api.get(f"/assessments/{seeded.assessment_id}/result", query_string={"lang": "fr"}), 422)
    assert _fields(error) == {"query.lang"}
    assert_error(api.get("/questionnaires/mini", query_string={"version": "x" * 41}), 422)


DEADLINES: list[object] = [0, "0", 1_700_000_000, 1.5, True, "2027-12-31T00:00:00", "20271231", "2027-W52-5",
                           "2027-02-30", "31.12.2027", "２０２７-12-31", " 2027-12-31", {}, []]


def test_a_deadline_is_only_an_iso_date_string(app: Flask, api: Api, seeded: Seeded) -> None:
    before = snapshot(app)
    for deadline in DEADLINES:  # pydantic alone takes 0 as 1970-01-01, "0" too, and a datetime string as its date
        error = assert_error(api.post("/assessments", json=_assessment(seeded, deadline=deadline)), 422, "invalid")
        assert _fields(error) == {"body.deadline"}, deadline
    assert snapshot(app) == before
    created = api.post("/assessments", json=_assessment(seeded, deadline="2027-12-31"))
    assert created.status_code == 201 and created.get_json()["deadline"] == "2027-12-31"
    assert api.post("/assessments", json=_assessment(seeded, deadline=None)).get_json()["deadline"] is None


def test_ids_and_levels_are_json_integers_in_range(app: Flask, api: Api, seeded: Seeded) -> None:
    org = seeded.organisation_id
    cases: list[tuple[dict[str, object], str]] = [
        *((_assessment(seeded, organisation_id=bad), "body.organisation_id")
          for bad in (str(org), float(org), True, 2**31, -1, None)),
        *((_assessment(seeded, previous_id=bad), "body.previous_id")
          for bad in (str(seeded.assessment_id), float(seeded.assessment_id), True, 2**31)),
        *((_assessment(seeded, targets={"channels": bad}), "body.targets.channels") for bad in ("3", 3.0, True, 10**30)),
    ]
    before = snapshot(app)
    for body, field in cases:
        error = assert_error(api.post("/assessments", json=body), 422, "invalid")
        assert _fields(error) == {field}, body
    path = f"/respondents/{seeded.respondent_ids[0]}/answers"
    for bad in ("3", 3.0, True, 10**30):
        error = assert_error(api.put(path, json={"answers": {"ch.booking": bad}}), 422, "invalid")
        assert _fields(error) == {"body.answers.ch.booking.value"}, bad
    assert snapshot(app) == before
    assert api.get(f"/organisations/{2**31}").status_code == 404  # beyond a 32-bit id: unknown, not a database error


UNSTORABLE = ["nul\x00", "escape\x1b[31m", "bell\x07", "delete\x7f", "lone \ud800 surrogate"]


@pytest.mark.parametrize("text", UNSTORABLE)
def test_every_text_field_refuses_nul_control_characters_and_lone_surrogates(
        app: Flask, api: Api, seeded: Seeded, text: str) -> None:
    org = {"name": "X", "industry": "retail", "size": "1-49"}
    key = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")  # how pydantic names a key it cannot encode
    answer = f"/respondents/{seeded.respondent_ids[0]}/answers"
    invite = f"/assessments/{seeded.assessment_id}/respondents"
    calls: list[tuple[str, str, object, str]] = [
        ("POST", "/organisations", {**org, "name": text}, "body.name"),
        ("POST", "/assessments", _assessment(seeded, title=text), "body.title"),
        ("POST", "/assessments", _assessment(seeded, questionnaire_id=text), "body.questionnaire_id"),
        ("POST", "/assessments", _assessment(seeded, version=text), "body.version"),
        ("POST", "/assessments", _assessment(seeded, targets={text: 3}), f"body.targets.{key}.[key]"),
        ("POST", invite, {"role": "it", "name": text}, "body.name"),
        ("PUT", answer, {"answers": {"ch.booking": {"value": 3, "comment": text}}}, "body.answers.ch.booking.comment"),
        ("PUT", answer, {"answers": {"ch.chat": {"value": "na", "reason": text}}}, "body.answers.ch.chat.reason"),
        ("PUT", answer, {"answers": {text: 3}}, f"body.answers.{key}.[key]"),
    ]
    before = snapshot(app)
    for method, path, body, field in calls:
        error = assert_error(api.call(method, path, json=body), 422, "invalid")
        assert _fields(error) == {field}, (path, body)
    if key == text:  # a query string is bytes: a lone surrogate cannot be sent in one
        error = assert_error(api.get("/questionnaires/mini", query_string={"version": text}), 422, "invalid")
        assert _fields(error) == {"query.version"}
    assert snapshot(app) == before


def test_tabs_and_line_breaks_in_a_comment_are_kept(api: Api, seeded: Seeded) -> None:
    path = f"/respondents/{seeded.respondent_ids[0]}/answers"
    response = api.put(path, json={"answers": {"ch.booking": {"value": 3, "comment": "two\nlines\twith a tab"}}})
    assert response.status_code == 200
    assert response.get_json()["answers"]["ch.booking"]["comment"] == "two\nlines\twith a tab"


def test_a_number_too_long_for_python_is_a_400(app: Flask, api: Api) -> None:
    before = snapshot(app)
    body = '{"name": "X", "industry": "retail", "size": "1-49", "n": 1' + "0" * 5000 + "}"
    assert_error(api.post("/organisations", data=body, content_type="application/json"), 400, "invalid_json")
    assert snapshot(app) == before
