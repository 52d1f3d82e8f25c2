"""Benchmark: the aggregate result page of one assessment with 200 respondents, and with 10,000 peers.

Run: .venv/bin/python bench/results_page.py [--respondents 200] [--peers 10000] [--repeat 7]
Seeds a workspace (SQLite in a temp dir) with one assessment of the default
questionnaire and N respondents with random answers, signs in, and times the
results page through the Flask app (cold first request, then warm runs). With
--peers, that many organisations of the same industry and size, spread over 25
other workspaces, each with a finished assessment whose scores are stored (as
`assess.services.peers.refresh` stores them, aggregates included), are added
first: the page's time must not grow with them.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import Session, col, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assess import create_app
from assess.db import repo
from assess.db.models import Assessment, AssessmentScore, Organisation, Respondent, utcnow
from assess.services import accounts, clients, peers, questionnaires
from tests.web.conftest import csrf_of

PASSWORD = "bench password 123"


def seed(app, respondents: int) -> int:  # type: ignore[no-untyped-def]
    rng = random.Random(5)
    catalog = app.extensions["assess.catalog"]
    questionnaire = catalog.get("digital-readiness")
    with Session(app.extensions["assess.engine"]) as session:
        workspace = accounts.create_workspace(session, "Bench")
        accounts.create_user(session, email="bench@example.com", password=PASSWORD, workspace_id=workspace.id or 0)
        org = clients.create_organisation(session, workspace.id or 0, name="Bench GmbH", industry="retail", size="250-999")
        assessment = clients.create_assessment(session, catalog, workspace.id or 0, org.id or 0,
                                               questionnaire_id=questionnaire.id)
        for index in range(respondents):
            invitation = clients.invite(session, assessment, role=("executive", "service_staff", "it")[index % 3])
            items = [(q.id, str(rng.randint(1, 5)) if rng.random() > 0.05 else "dont_know",
                      "Kommentar" if rng.random() < 0.1 else "", "") for q in questionnaire.questions()]
            repo.upsert_answers(session, invitation.respondent.id or 0, items)
        session.commit()
        return assessment.id or 0


def seed_peers(app, count: int) -> None:  # type: ignore[no-untyped-def]
    """`count` organisations in the bench client's groups, in 25 other workspaces, with stored scores."""
    rng = random.Random(7)
    questionnaire = app.extensions["assess.catalog"].get("digital-readiness")
    with Session(app.extensions["assess.engine"]) as session:
        workspaces = [accounts.create_workspace(session, f"Peer {n}").id for n in range(25)]
        orgs = [{"workspace_id": workspaces[n % 25], "name": f"Peer {n}", "industry": "retail", "size": "250-999",
                 "created_at": utcnow()} for n in range(count)]
        session.execute(insert(Organisation), orgs)
        org_ids = session.exec(select(Organisation.id).where(col(Organisation.name).like("Peer %"))).all()
        session.execute(insert(Assessment), [
            {"organisation_id": oid, "title": "", **questionnaires.pin_fields(questionnaire), "created_at": utcnow()}
            for oid in org_ids])
        assessment_ids = session.exec(select(Assessment.id).where(col(Assessment.organisation_id).in_(org_ids))).all()
        session.execute(insert(AssessmentScore), [
            {"assessment_id": aid, "dimension_id": d.id, "score": rng.uniform(0, 100)}
            for aid in assessment_ids for d in questionnaire.dimensions])
        # The aggregates as every change writes them: one workspace and group at a time.
        peers.refresh_groups(session, [peers.GroupKey(questionnaire.id, ws or 0, "retail") for ws in workspaces])
        session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--respondents", type=int, default=200)
    parser.add_argument("--peers", type=int, default=0, help="organisations in the peer groups (e.g. 10000)")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": f"sqlite:///{tmp}/bench.db",
                          "UPGRADE_DATABASE": True})
        assessment_id = seed(app, args.respondents)
        if args.peers:
            seed_peers(app, args.peers)
        client = app.test_client()
        page = client.get("/login")
        client.post("/login", data={"csrf_token": csrf_of(page.data), "email": "bench@example.com", "password": PASSWORD})
        url = f"/w/assessment/{assessment_id}/results"
        start = time.perf_counter()
        response = client.get(url)
        cold = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, response.status_code
        if args.peers:
            assert b'id="h-peers"' in response.data, "the peer groups are not shown"
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            assert client.get(url).status_code == 200
            times.append((time.perf_counter() - start) * 1000)
        changed = []  # one answer changes before each request: the evaluation is computed again
        with Session(app.extensions["assess.engine"]) as session:
            respondent_id = session.exec(select(Respondent.id).where(Respondent.assessment_id == assessment_id)).first()
        for run in range(args.repeat):
            with Session(app.extensions["assess.engine"]) as session:
                repo.upsert_answers(session, respondent_id or 0, [("str.budget", str(1 + run % 5), "", "")])
                session.commit()
            start = time.perf_counter()
            assert client.get(url).status_code == 200
            changed.append((time.perf_counter() - start) * 1000)
        app.extensions["assess.engine"].dispose()
    peers = f", {args.peers} peer organisations" if args.peers else ""
    print(f"results page, {args.respondents} respondents x 45 questions{peers}: first request {cold:.0f} ms, "
          f"warm best {min(times):.0f} ms, median {statistics.median(times):.0f} ms; after an answer changed "
          f"median {statistics.median(changed):.0f} ms ({args.repeat} runs each)")


if __name__ == "__main__":
    main()
