"""The action plan (issue 18, first slice): owner, due date, status and notes per measure of the roadmap,
validated in full before anything is stored, audited, kept with the assessment and deleted with it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from flask import Flask
from sqlmodel import Session, select

from assess.db.models import Assessment, AuditEntry, PlanItem
from assess.services import action_plan
from assess.services.privacy.deletion import delete_assessments
from tests.web.workspace_data import Seeded, seed_workspace


@dataclass(frozen=True)
class _Consultant:
    id: int
    workspace_id: int


def _assessment(session: Session, seeded: Seeded) -> Assessment:
    found = session.get(Assessment, seeded.assessment_id)
    assert found is not None
    return found


def test_every_recommended_measure_is_on_the_plan_and_keeps_what_was_recorded(app: Flask) -> None:
    seeded = seed_workspace(app, "Plan")
    catalog = app.extensions["assess.catalog"]
    with Session(app.extensions["assess.engine"]) as session:
        assessment = _assessment(session, seeded)
        plan = action_plan.entries(session, catalog, assessment, "de")
        assert plan and all(entry.status == action_plan.OPEN and not entry.owner for entry in plan)
        first = plan[0]
        action_plan.update(session, catalog, assessment, first.measure_id, _Consultant(seeded.user_id, seeded.workspace_id),
                           owner="  Frau Berger (Service) ", due=dt.date(2027, 3, 31), status=action_plan.IN_PROGRESS,
                           notes="Workshop am 12. Januar")
        session.commit()
        again = {e.measure_id: e for e in action_plan.entries(session, catalog, assessment, "de")}[first.measure_id]
        assert (again.owner, again.due, again.status, again.notes) == ("Frau Berger (Service)", dt.date(2027, 3, 31),
                                                                        "in_progress", "Workshop am 12. Januar")
        assert again.overdue(dt.date(2027, 4, 1)) and not again.overdue(dt.date(2027, 3, 31))
        audit = session.exec(select(AuditEntry).where(AuditEntry.action == "plan_update")).all()
        assert [(a.object_type, a.object_id, a.workspace_id) for a in audit] == [
            ("assessment", seeded.assessment_id, seeded.workspace_id)]


@pytest.mark.parametrize(("change", "field"), [
    ({"status": "finished"}, "status"),
    ({"status": "dropped", "reason": "   "}, "reason"),
    ({"owner": "x" * 201}, "owner"),
    ({"notes": "Notiz\x00"}, "notes"),
])
def test_a_change_that_cannot_be_stored_names_its_field_and_stores_nothing(app: Flask, change: dict[str, str],
                                                                           field: str) -> None:
    seeded = seed_workspace(app, "Plan")
    catalog = app.extensions["assess.catalog"]
    with Session(app.extensions["assess.engine"]) as session:
        assessment = _assessment(session, seeded)
        measure = action_plan.entries(session, catalog, assessment, "en")[0].measure_id
        with pytest.raises(action_plan.PlanError) as refused:
            action_plan.update(session, catalog, assessment, measure, _Consultant(seeded.user_id, seeded.workspace_id),
                               **change)  # type: ignore[arg-type]
        assert list(refused.value.problems) == [field]
        assert session.exec(select(PlanItem)).all() == [] and session.exec(
            select(AuditEntry).where(AuditEntry.action == "plan_update")).all() == []


def test_a_measure_outside_the_roadmap_is_refused(app: Flask) -> None:
    seeded = seed_workspace(app, "Plan")
    catalog = app.extensions["assess.catalog"]
    with Session(app.extensions["assess.engine"]) as session:
        assessment = _assessment(session, seeded)
        recommended = {e.measure_id for e in action_plan.entries(session, catalog, assessment, "en")}
        other = next(m.id for m in catalog.get("mini").measures if m.id not in recommended) \
            if any(m.id not in recommended for m in catalog.get("mini").measures) else "m.not-a-measure"
        with pytest.raises(action_plan.PlanError) as refused:
            action_plan.update(session, catalog, assessment, other, _Consultant(seeded.user_id, seeded.workspace_id))
        assert list(refused.value.problems) == ["measure"]


def test_a_dropped_measure_keeps_its_reason_and_the_plan_goes_with_its_assessment(app: Flask) -> None:
    seeded = seed_workspace(app, "Plan")
    catalog = app.extensions["assess.catalog"]
    with Session(app.extensions["assess.engine"]) as session:
        assessment = _assessment(session, seeded)
        measure = action_plan.entries(session, catalog, assessment, "de")[0].measure_id
        action_plan.update(session, catalog, assessment, measure, _Consultant(seeded.user_id, seeded.workspace_id),
                           status=action_plan.DROPPED, reason="Wird mit dem neuen ERP ohnehin gelöst")
        session.commit()
        entry = {e.measure_id: e for e in action_plan.entries(session, catalog, assessment, "de")}[measure]
        assert (entry.status, entry.reason) == ("dropped", "Wird mit dem neuen ERP ohnehin gelöst")
        assert not entry.overdue(dt.date(2099, 1, 1))
        counts = delete_assessments(session, [seeded.assessment_id])
        session.commit()
        assert counts["plan_item"] == 1 and session.exec(select(PlanItem)).all() == []


def test_the_consultant_keeps_the_plan_on_its_page(app: Flask) -> None:
    from tests.web.conftest import csrf_of
    from tests.web.workspace_data import login

    seeded = seed_workspace(app, "Plan")
    client = app.test_client()
    login(client, seeded.email)
    url = f"/w/assessment/{seeded.assessment_id}/plan"
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count('data-testid="plan-item"') >= 1 and "0 von" in html
    with Session(app.extensions["assess.engine"]) as session:
        measure = action_plan.entries(session, app.extensions["assess.catalog"], _assessment(session, seeded), "de")[0]
    form = {"csrf_token": csrf_of(html), "m0-measure": measure.measure_id, "m0-owner": "Herr Yilmaz",
            "m0-due": "2027-02-28", "m0-status": "done", "m0-reason": "", "m0-notes": "Abnahme im Lenkungskreis"}
    saved = client.post(f"{url}/0", data=form)
    assert saved.status_code == 302
    again = client.get(url).get_data(as_text=True)
    assert "Herr Yilmaz" in again and "Abnahme im Lenkungskreis" in again and "1 von" in again
    refused = client.post(f"{url}/0", data={**form, "m0-status": "dropped", "m0-owner": "Frau Ott"})
    assert refused.status_code == 400 and "warum die Maßnahme entfällt" in refused.get_data(as_text=True)
    with Session(app.extensions["assess.engine"]) as session:
        assert [row.owner for row in session.exec(select(PlanItem)).all()] == ["Herr Yilmaz"]  # nothing stored


def test_another_workspace_sees_and_changes_nothing_of_the_plan(app: Flask) -> None:
    from tests.web.conftest import csrf_of
    from tests.web.workspace_data import login

    alpha, beta = seed_workspace(app, "Alpha"), seed_workspace(app, "Beta")
    client = app.test_client()
    login(client, beta.email)
    url = f"/w/assessment/{alpha.assessment_id}/plan"
    assert client.get(url).status_code == 404
    token = csrf_of(client.get(f"/w/assessment/{beta.assessment_id}/plan").get_data(as_text=True))
    assert client.post(f"{url}/0", data={"csrf_token": token, "m0-measure": "m.x", "m0-status": "done"}).status_code == 404
    with Session(app.extensions["assess.engine"]) as session:
        assert session.exec(select(PlanItem)).all() == []
