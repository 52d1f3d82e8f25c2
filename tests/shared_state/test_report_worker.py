"""Board reports printed by a real Celery worker (`assess worker`) through Redis.

The web app asks, shows the job's state and delivers the file when it is there; many requests for
the same report make one job; the printed PDF is deleted with its respondent; a worker process killed
mid-report does not lose it; a stopped worker leaves no process behind.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from flask import Flask
from sqlmodel import Session

from assess import create_app
from assess.cache import RedisCache, use_cache
from assess.db import repo
from assess.reporting.pdf import pdf_key
from assess.services import accounts, clients, privacy, reports
from assess.services.demo import seed_demo
from assess.tasks.reports import job_state_key
from tests.conftest import new_database
from tests.processes import command, left_after, tree
from tests.shared_state.conftest import REDIS_URL

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # celery's own imports on Python 3.11


# A Redis database per test process (pytest-xdist): each test's worker, queue and cache are its own.
DB = 12 - int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)


def _redis_url(db: int) -> str:
    return re.sub(r"/\d+$", f"/{db}", REDIS_URL) if re.search(r"/\d+$", REDIS_URL) else f"{REDIS_URL}/{db}"


@dataclass
class Stack:
    app: Flask
    token: str
    worker: subprocess.Popen[bytes]
    log: Path
    env: dict[str, str]

    def printed(self) -> int:
        return self.log.read_text(errors="replace").count("assess.print_report[")  # "received" and "succeeded"

    def succeeded(self) -> int:
        return len(re.findall(r"Task assess\.print_report\[[^\]]+\] succeeded", self.log.read_text(errors="replace")))


def _start_worker(env: dict[str, str], log: Path, concurrency: int = 1) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen([sys.executable, "-m", "assess", "worker", "--concurrency", str(concurrency)], env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    with new_database(tmp_path) as database_url:  # SQLite, or PostgreSQL in the suite's PostgreSQL run
        yield from _stack(tmp_path, database_url)


def _stack(tmp_path: Path, database_url: str) -> Iterator[Stack]:
    url = _redis_url(DB)
    client = redis.Redis.from_url(url)
    client.flushdb()
    app = create_app({"TESTING": True, "SECRET_KEY": "shared", "DATABASE_URL": database_url, "REDIS_URL": url,
                      "UPGRADE_DATABASE": True})
    use_cache(RedisCache(url))  # the web side reads the cache the worker writes
    with Session(app.extensions["assess.engine"]) as session:
        token = seed_demo(session, app.extensions["assess.catalog"], "shared")
        session.commit()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "shared", "REDIS_URL": url,
           "PYTHONWARNINGS": "ignore::DeprecationWarning", "PYTHONUNBUFFERED": "1"}
    log = tmp_path / "worker.log"
    stack = Stack(app, token, _start_worker(env, log), log, env)
    yield stack
    _stop(stack.worker)  # a test may have replaced it
    use_cache(None)
    app.extensions["assess.engine"].dispose()
    client.flushdb()


def _stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(10)


def _poll(get: object, attempts: int = 120) -> object:
    for _ in range(attempts):
        response = get()  # type: ignore[operator]
        if response.status_code != 202:
            return response
        time.sleep(0.5)
    raise AssertionError("the report never arrived")


def test_many_asking_for_one_report_make_one_job_and_all_get_the_pdf(stack: Stack) -> None:
    url = f"/r/{stack.token}/report.pdf"
    first = stack.app.test_client().get(url)
    assert first.status_code == 202 and first.headers["Retry-After"]
    page = first.get_data(as_text=True)
    assert 'http-equiv="refresh"' in page and 'data-testid="download"' in page  # refreshes itself; a link without JS

    def ask(_: int) -> int:
        return stack.app.test_client().get(url).status_code

    assert 'data-report-state="' in page  # the page's script asks for the state in between
    state = stack.app.test_client().get(url + "?state=1")
    assert state.status_code == 200 and state.get_json()["state"] in ("queued", "printing")

    with ThreadPoolExecutor(max_workers=10) as pool:
        codes = list(pool.map(ask, range(20)))
    assert set(codes) <= {200, 202}
    response = _poll(lambda: stack.app.test_client().get(url))
    assert response.status_code == 200 and response.data.startswith(b"%PDF")  # type: ignore[attr-defined]
    assert response.headers["Content-Disposition"].startswith("attachment;")  # type: ignore[attr-defined]
    assert stack.succeeded() == 1, stack.log.read_text(errors="replace")[-4000:]  # twenty-two requests, one print
    assert stack.app.test_client().get(url + "?state=1").get_json() == {"state": "ready"}


def test_the_api_answers_202_with_a_location_until_the_pdf_is_there(stack: Stack) -> None:
    catalog = stack.app.extensions["assess.catalog"]
    with Session(stack.app.extensions["assess.engine"]) as session:  # a consultant's client on the shipped questionnaire
        workspace = accounts.create_workspace(session, "Worker Beratung")
        user = accounts.create_user(session, email="worker@example.com", password="correct horse battery",
                                    workspace_id=workspace.id or 0, is_admin=True)
        org = clients.create_organisation(session, workspace.id or 0, name="Worker Kunde", industry="retail",
                                          size="50-249")
        assessment = clients.create_assessment(session, catalog, workspace.id or 0, org.id or 0,
                                               questionnaire_id="digital-readiness")
        invitation = clients.invite(session, assessment, role="executive")
        repo.upsert_answers(session, invitation.respondent.id or 0, [("str.budget", "3", "", "")])
        secret = accounts.create_api_token(session, user, "ci").secret
        assessment_id = assessment.id
        session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    client = stack.app.test_client()
    url = f"/api/v1/assessments/{assessment_id}/report.pdf"
    waiting = client.get(url, headers=headers)
    assert waiting.status_code == 202
    assert waiting.get_json()["status"] in ("queued", "printing")
    assert waiting.headers["Location"].startswith(url) and waiting.headers["Retry-After"]
    done = _poll(lambda: client.get(waiting.headers["Location"], headers=headers))
    assert done.status_code == 200 and done.data.startswith(b"%PDF")  # type: ignore[attr-defined]


def _wait_until_printing(stack: Stack) -> None:
    """Until the task printing the demo's report says so (in Redis)."""
    with Session(stack.app.extensions["assess.engine"]) as session:
        context = reports.respondent_report(session, stack.app.extensions["assess.catalog"], stack.token, "de")
    assert context is not None
    state = job_state_key("report-pdf-" + pdf_key(context).split(":", 1)[1][:48])
    cache = RedisCache(_redis_url(DB))
    deadline = time.monotonic() + 60
    while cache.get(state) != b"printing":  # the task has begun (its first report also starts Chromium: seconds)
        assert time.monotonic() < deadline, stack.log.read_text()[-2000:]
        time.sleep(0.02)


def test_a_worker_killed_outright_mid_report_leaves_no_process_and_the_next_worker_prints_it(stack: Stack) -> None:
    """SIGKILL on the worker itself (as the kernel's OOM killer or a lost container does): its pool and
    Chromium end with it, and the report is printed by the worker that starts next, within seconds rather
    than after Redis' redelivery timeout (its "printing" expires when nobody renews it)."""
    url = f"/r/{stack.token}/report.pdf"
    client = stack.app.test_client()
    assert client.get(url).status_code == 202
    _wait_until_printing(stack)
    deadline = time.monotonic() + 30
    before = tree(stack.worker.pid)
    while not any("chrom" in command(p) for p in before):  # drawing its charts
        assert time.monotonic() < deadline, [command(p) for p in before]
        time.sleep(0.02)
        before = tree(stack.worker.pid)
    os.kill(stack.worker.pid, signal.SIGKILL)
    stack.worker.wait(10)
    left = left_after(before, 10)
    assert not left, f"left behind: {[command(p) for p in left]}"
    started = time.monotonic()
    stack.worker = _start_worker(stack.env, stack.log)
    response = _poll(lambda: client.get(url))
    assert response.status_code == 200 and response.data.startswith(b"%PDF")  # type: ignore[attr-defined]
    assert time.monotonic() - started < 45  # the redelivery timeout is 300 s


def test_pool_processes_print_at_the_same_time_each_over_its_own_database_connection(stack: Stack) -> None:
    """Pool processes are forked from the worker: sharing its pooled connection, two reports printed at once
    broke each other's queries on PostgreSQL (a report failed with OperationalError or ProgrammingError)."""
    _stop(stack.worker)
    stack.worker = _start_worker(stack.env, stack.log, concurrency=2)
    catalog = stack.app.extensions["assess.catalog"]
    with Session(stack.app.extensions["assess.engine"]) as session:
        workspace = accounts.create_workspace(session, "Parallel Beratung").id or 0
        org = clients.create_organisation(session, workspace, name="Parallel", industry="retail", size="50-249")
        assessment = clients.create_assessment(session, catalog, workspace, org.id or 0,
                                               questionnaire_id="digital-readiness")
        tokens = []
        first, second = (q.id for q in list(catalog.get("digital-readiness").questions())[:2])
        for index in range(8):  # eight different reports
            invitation = clients.invite(session, assessment, role="executive")
            repo.upsert_answers(session, invitation.respondent.id or 0, [
                (first, str(1 + index % 4), "", ""), (second, str(1 + index // 4), "", "")])
            tokens.append(invitation.token)
        session.commit()
    urls = [f"/r/{token}/report.pdf" for token in tokens]
    client = stack.app.test_client()
    assert {client.get(url).status_code for url in urls} == {202}  # eight jobs queued at once
    for url in urls:
        response = _poll(lambda url=url: client.get(url))  # type: ignore[misc]
        assert response.status_code == 200, response.get_data(as_text=True)[:500]  # type: ignore[attr-defined]
    log = stack.log.read_text(errors="replace")
    assert stack.succeeded() == len(urls) and "raised unexpected" not in log, log[-3000:]


def test_the_printed_pdf_is_deleted_with_its_respondent(stack: Stack) -> None:
    url = f"/r/{stack.token}/report.pdf"
    stack.app.test_client().get(url)
    assert _poll(lambda: stack.app.test_client().get(url)).status_code == 200  # type: ignore[attr-defined]
    catalog = stack.app.extensions["assess.catalog"]
    with Session(stack.app.extensions["assess.engine"]) as session:
        context = reports.respondent_report(session, catalog, stack.token, "de")
        assert context is not None
        key = pdf_key(context)
        assert RedisCache(_redis_url(DB)).get(key) is not None
        respondent = repo.respondent_by_token(session, stack.token)
        assert respondent is not None
        privacy.delete_respondents(session, [respondent.id or 0])
        session.commit()
    assert RedisCache(_redis_url(DB)).get(key) is None


def test_a_worker_process_killed_mid_report_loses_nothing_and_a_stopped_worker_leaves_no_process(stack: Stack) -> None:
    url = f"/r/{stack.token}/report.pdf"
    client = stack.app.test_client()
    assert client.get(url).status_code == 202
    _wait_until_printing(stack)
    pool = [p for p in tree(stack.worker.pid) if "celery" in command(p) or "assess" in command(p)]
    assert pool, "no pool process"
    os.kill(min(pool), signal.SIGKILL)  # the process printing the report
    response = _poll(lambda: client.get(url))
    assert response.status_code == 200 and response.data.startswith(b"%PDF")  # type: ignore[attr-defined]
    assert "SIGKILL" in stack.log.read_text(errors="replace")  # the job went back to the queue and was printed

    before = tree(stack.worker.pid)
    assert before
    os.kill(stack.worker.pid, signal.SIGTERM)
    stack.worker.wait(20)
    left = left_after(before, 10)
    assert not left, f"left behind: {[command(p) for p in left]}"


def test_a_job_that_finishes_between_the_first_look_and_the_claim_is_not_printed_twice(
        stack: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    """The race CI once hit: the PDF is stored and the job's state released just after a request missed the PDF."""
    from assess.web import report_jobs

    _stop(stack.worker)  # nobody may take a job: the queue shows what was sent
    catalog = stack.app.extensions["assess.catalog"]
    with Session(stack.app.extensions["assess.engine"]) as session:
        context = reports.respondent_report(session, catalog, stack.token, "de")
    assert context is not None
    looks = []
    real = report_jobs.cached

    def finished_meanwhile(ctx: dict[str, object], fmt: str) -> bytes | None:
        looks.append(1)
        if len(looks) == 1:  # the first look misses; then the (other) worker stores the PDF and releases the state
            RedisCache(_redis_url(DB)).set(pdf_key(ctx), b"%PDF-printed once", ttl_seconds=60)
            return None
        return real(ctx, fmt)

    monkeypatch.setattr(report_jobs, "cached", finished_meanwhile)
    with stack.app.app_context():
        got = report_jobs.report_file(context, "respondent", 1, "de")
    assert got == b"%PDF-printed once"
    client = redis.Redis.from_url(_redis_url(DB))
    assert client.llen("celery") == 0  # no second job sent
    assert not [key for key in client.keys("*") if job_state_key("").encode() in key]  # no claim left behind


def test_asking_again_for_a_report_under_way_does_not_use_up_the_api_limit(stack: Stack) -> None:
    """Twenty reports asked for at once are polled every Retry-After: those looks have their own limit, the rest of
    the API keeps its own (bench/report_jobs.py lost five of twenty reports to 429s before)."""
    _stop(stack.worker)  # nobody takes the job: every look finds it queued
    catalog = stack.app.extensions["assess.catalog"]
    with Session(stack.app.extensions["assess.engine"]) as session:
        workspace = accounts.create_workspace(session, "Limit Beratung")
        user = accounts.create_user(session, email="limit@example.com", password="correct horse battery",
                                    workspace_id=workspace.id or 0, is_admin=True)
        org = clients.create_organisation(session, workspace.id or 0, name="Limit Kunde", industry="retail", size="50-249")
        ids = [clients.create_assessment(session, catalog, workspace.id or 0, org.id or 0,
                                         questionnaire_id="digital-readiness").id for _ in range(5)]
        secret = accounts.create_api_token(session, user, "ci").secret
        session.commit()
    stack.app.config.update(API_RATE_LIMIT="4 per minute", REPORT_POLL_RATE_LIMIT="10 per minute")
    headers = {"Authorization": f"Bearer {secret}"}
    client = stack.app.test_client()

    def status(assessment_id: int) -> int:
        return client.get(f"/api/v1/assessments/{assessment_id}/report.pdf", headers=headers).status_code

    assert [status(ids[0]) for _ in range(8)] == [202] * 8  # one sent the job (counted), seven looked (not counted)
    assert [status(ids[1]), status(ids[2])] == [202, 202]  # two more jobs: 3 of the API's 4 on this route
    assert status(ids[0]) == 429  # the 11th request to the report routes: their own limit holds for looks too
    stack.app.config["REPORT_POLL_RATE_LIMIT"] = "100 per minute"
    assert [status(ids[3]), status(ids[4])] == [202, 429]  # sending a fifth job: the API's own limit holds
