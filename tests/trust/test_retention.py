"""Retention: `assess purge` deletes what is past each workspace's period; the admin sets the period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update
from sqlmodel import Session, col, select

from assess.cli import main
from assess.db.models import AnswerRow, Assessment, AuditEntry, Consensus, Organisation, Respondent, Workspace, utcnow
from assess.services import accounts, clients, privacy
from tests.trust.conftest import all_rows, leftovers, post_form
from tests.web.conftest import page_form, start
from tests.web.workspace_data import PASSWORD, Seeded, login


def backdate(app: Flask, organisation_ids: Collection[int], days: int) -> None:
    """Move every time stamp of these organisations' data `days` into the past."""
    when = utcnow() - dt.timedelta(days=days)
    with Session(app.extensions["assess.engine"]) as session:
        assessments = select(Assessment.id).where(col(Assessment.organisation_id).in_(organisation_ids))
        respondents = select(Respondent.id).where(col(Respondent.assessment_id).in_(assessments))
        session.execute(update(Organisation).where(col(Organisation.id).in_(organisation_ids)).values(created_at=when))
        session.execute(update(Assessment).where(col(Assessment.id).in_(assessments)).values(created_at=when))
        session.execute(update(Respondent).where(col(Respondent.id).in_(respondents))
                        .values(created_at=when, updated_at=when, privacy_accepted_at=when))
        session.execute(update(Respondent).where(col(Respondent.id).in_(respondents), col(Respondent.finished_at).is_not(None))
                        .values(finished_at=when))
        session.execute(update(AnswerRow).where(col(AnswerRow.respondent_id).in_(respondents)).values(updated_at=when))
        session.execute(update(Consensus).where(col(Consensus.assessment_id).in_(assessments)).values(updated_at=when))
        session.commit()


def _organisation_of(app: Flask, token: str) -> int:
    from assess.db import repo

    with Session(app.extensions["assess.engine"]) as session:
        found = repo.respondent_with_assessment(session, token)
        assert found is not None
        return found[1].organisation_id


@pytest.fixture
def aged(app: Flask, client: FlaskClient, seeded: Seeded) -> dict[str, int]:
    """Nord's client 800 days old; a recent client; an empty old client; an old and a new public self-assessment."""
    catalog = app.extensions["assess.catalog"]
    with Session(app.extensions["assess.engine"]) as session:
        recent = clients.create_organisation(session, seeded.workspace_id, name="Aktiv AG", industry="retail", size="1-49")
        empty = clients.create_organisation(session, seeded.workspace_id, name="Leer AG", industry="retail", size="1-49")
        assert recent.id is not None and empty.id is not None
        old_run = clients.create_assessment(session, catalog, seeded.workspace_id, recent.id, questionnaire_id="mini")
        follow_up = clients.create_assessment(session, catalog, seeded.workspace_id, recent.id, questionnaire_id="mini",
                                              previous_id=old_run.id)
        ids = {"recent": recent.id, "empty": empty.id, "old_run": old_run.id or 0, "follow_up": follow_up.id or 0}
        session.commit()
    old_token, new_token = start(client, organisation="Alt Selbst GmbH"), start(client, organisation="Neu Selbst GmbH")
    form = page_form(client, old_token, 1)
    client.post(f"/r/{old_token}/page/1", data={**form, "q-ch.booking": "3", "c-ch.booking": "alter Kommentar"})
    ids |= {"old_public": _organisation_of(app, old_token), "new_public": _organisation_of(app, new_token)}
    backdate(app, [seeded.organisation_id, ids["empty"], ids["old_public"]], days=800)
    with Session(app.extensions["assess.engine"]) as session:  # only the first run of the recent client is old
        when = utcnow() - dt.timedelta(days=800)
        session.execute(update(Assessment).where(col(Assessment.id) == ids["old_run"]).values(created_at=when))
        session.commit()
    return ids


def test_purge_deletes_what_is_past_its_period_and_keeps_the_rest(app: Flask, seeded: Seeded, aged: dict[str, int]) -> None:
    before = all_rows(app)
    with Session(app.extensions["assess.engine"]) as session:
        report = privacy.purge(session, self_assessment_days=365)
        session.commit()
    assert sorted(report.assessments) == sorted([seeded.assessment_id, aged["old_run"],
                                                 *(a["id"] for a in before["assessment"]
                                                   if a["organisation_id"] == aged["old_public"])])
    assert sorted(report.organisations) == sorted([seeded.organisation_id, aged["empty"], aged["old_public"]])
    rows = all_rows(app)
    assert {o["name"] for o in rows["organisation"]} == {"Aktiv AG", "Neu Selbst GmbH"}
    assert report.counts["respondent"] == 4 and report.counts["answer"] == 16 and report.counts["consensus"] == 1
    follow_up = next(a for a in rows["assessment"] if a["id"] == aged["follow_up"])
    assert follow_up["previous_id"] is None  # kept, without its link to the deleted first run
    assert leftovers(app, {"organisation": set(report.organisations), "assessment": set(report.assessments)},
                     {"Nord Kunde GmbH", "Alt Selbst GmbH", "alter Kommentar", "Kommentar 1"}) == []
    with Session(app.extensions["assess.engine"]) as session:
        entries = {(e.workspace_id, e.action, e.object_type, e.object_id) for e in session.exec(select(AuditEntry))}
    assert (seeded.workspace_id, "purge", "organisation", seeded.organisation_id) in entries
    assert (seeded.workspace_id, "purge", "assessment", aged["old_run"]) in entries
    assert all(workspace_id is not None for workspace_id, *_ in entries)  # public ones have no workspace to tell


def test_a_longer_workspace_period_keeps_old_client_data(app: Flask, seeded: Seeded, aged: dict[str, int]) -> None:
    with Session(app.extensions["assess.engine"]) as session:
        session.execute(update(Workspace).values(retention_days=1000))
        session.commit()
        report = privacy.purge(session, self_assessment_days=1000)
    assert report.assessments == [] and report.organisations == []


def test_the_purge_command_prints_counts_only_and_dry_run_deletes_nothing(
        app: Flask, database_url: str, seeded: Seeded, aged: dict[str, int]) -> None:
    runner = CliRunner()
    env = {"DATABASE_URL": database_url, "ASSESS_SELF_ASSESSMENT_RETENTION_DAYS": "365"}
    dry = runner.invoke(main, ["purge", "--dry-run"], env=env)
    assert dry.exit_code == 0, dry.output
    assert "would delete 3 assessments and 3 organisations" in dry.output and "answer: 16" in dry.output
    assert len(all_rows(app)["organisation"]) == 5
    done = runner.invoke(main, ["purge"], env=env)
    assert done.exit_code == 0 and "deleted 3 assessments and 3 organisations" in done.output
    for secret in ("Nord", "Kommentar", "Alt Selbst", "Person"):
        assert secret not in done.output
    assert len(all_rows(app)["organisation"]) == 2
    again = runner.invoke(main, ["purge"], env=env)
    assert "deleted 0 assessments and 0 organisations" in again.output
    bad = runner.invoke(main, ["purge"], env={**env, "ASSESS_SELF_ASSESSMENT_RETENTION_DAYS": "a year"})
    assert bad.exit_code == 2 and "ASSESS_SELF_ASSESSMENT_RETENTION_DAYS" in bad.output


def test_the_admin_sets_the_retention_period(app: Flask, consultant: FlaskClient, seeded: Seeded) -> None:
    page = consultant.get("/w/settings/team").get_data(as_text=True)
    assert 'name="retention_days"' in page and 'value="730"' in page
    response = post_form(consultant, "/w/settings/team", "/w/settings/retention", {"retention_days": "400"})
    assert response.status_code == 302
    with Session(app.extensions["assess.engine"]) as session:
        assert session.get(Workspace, seeded.workspace_id).retention_days == 400  # type: ignore[union-attr]
    for bad in ("5", "99999", "", "abc", "٣٠٠"):
        response = post_form(consultant, "/w/settings/team", "/w/settings/retention", {"retention_days": bad})
        assert response.status_code == 400, bad
    assert "Aufbewahrungsdauer zwischen 30 und 3650 Tagen" in response.get_data(as_text=True)
    audit = consultant.get("/w/settings/audit").get_data(as_text=True)
    assert "Aufbewahrungsfrist geändert" in audit  # the audit log in words (issue 16, item 8)


def test_only_an_admin_sets_the_retention_period(app: Flask, client: FlaskClient, seeded: Seeded) -> None:
    with Session(app.extensions["assess.engine"]) as session:
        accounts.create_user(session, email="junior@example.com", password=PASSWORD, workspace_id=seeded.workspace_id)
        session.commit()
    login(client, "junior@example.com")
    response = post_form(client, "/w/", "/w/settings/retention", {"retention_days": "40"})
    assert response.status_code == 403
