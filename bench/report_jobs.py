"""Benchmark: board reports printed by Celery workers while respondents keep answering.

Run: .venv/bin/python bench/report_jobs.py [--reports 20] [--web-workers 2] [--worker-processes 2]
(the twenty ask again as the API's Retry-After says, every 2 s, so their times are in steps of 2 s)

A fresh PostgreSQL database on 127.0.0.1:5432 (dropped afterwards) and a Redis database (REDIS_URL,
default redis://127.0.0.1:6379/9, flushed before and after); gunicorn serves on 127.0.0.1, `assess
worker` prints. Measured through the API (as a client that asks again every 0.25 s):
  first      the first report of a new worker (Chromium and WeasyPrint start);
  warm 1     click to PDF for one respondent, warm worker (median of 5);
  warm 30    the same for an assessment with 30 respondents (median of 5);
  at once    --reports different reports asked for at the same time: every one must arrive, and
             survey pages fetched meanwhile (20 a second) report their p50/p95.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlmodel import Session

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def seed(database_url: str, redis_url: str, reports: int) -> tuple[str, list[int], int, str]:
    """A workspace with `reports` one-respondent assessments and one of 30; its API token and a survey link."""
    from assess import create_app
    from assess.db import repo
    from assess.services import accounts, clients

    app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": database_url, "REDIS_URL": redis_url})
    catalog = app.extensions["assess.catalog"]
    questionnaire = catalog.get("digital-readiness")
    rng = random.Random(3)
    with Session(app.extensions["assess.engine"]) as session:
        workspace = accounts.create_workspace(session, "Bench")
        user = accounts.create_user(session, email="bench@example.com", password="correct horse battery",
                                    workspace_id=workspace.id or 0, is_admin=True)

        def assessment(name: str, respondents: int) -> tuple[int, str]:
            org = clients.create_organisation(session, workspace.id or 0, name=name, industry="retail", size="50-249")
            row = clients.create_assessment(session, catalog, workspace.id or 0, org.id or 0,
                                            questionnaire_id=questionnaire.id)
            token = ""
            for index in range(respondents):
                invitation = clients.invite(session, row, role=("executive", "service_staff", "it")[index % 3])
                token = invitation.token
                repo.upsert_answers(session, invitation.respondent.id or 0, [
                    (q.id, str(rng.randint(1, 5)), "", "") for q in questionnaire.questions()])
            return row.id or 0, token

        ids = [assessment(f"Kunde {n}", 1)[0] for n in range(reports + 12)]
        thirty, survey_token = assessment("Kunde dreißig", 30)
        secret = accounts.create_api_token(session, user, "bench").secret
        session.commit()
    app.extensions["assess.engine"].dispose()
    return secret, [*ids, thirty], thirty, survey_token


def fetch(url: str, token: str | None = None) -> tuple[int, bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return int(response.status), response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return int(error.code), error.read(), dict(error.headers)


def click_to_pdf(base: str, token: str, assessment_id: int, every: float | None = 0.25) -> float:
    """Seconds from asking for the report to having its PDF, asking again `every` seconds (None: as the
    answer's Retry-After says, as a well-behaved API client does)."""
    start = time.perf_counter()
    url = f"{base}/api/v1/assessments/{assessment_id}/report.pdf"
    while True:
        status, body, headers = fetch(url, token)
        if status == 200:
            assert body.startswith(b"%PDF"), body[:100]
            return time.perf_counter() - start
        assert status == 202, (status, body[:300])
        time.sleep(every if every is not None else float(headers.get("Retry-After", "2")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=20)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--worker-processes", type=int, default=2)
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    args = parser.parse_args()
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    created = f"assess_jobs_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{created}"'))
    database_url = ADMIN_URL.rsplit("/", 1)[0] + "/" + created
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "bench", "REDIS_URL": args.redis_url}
    bin_dir = Path(sys.executable).parent
    processes: list[subprocess.Popen[bytes]] = []
    try:
        subprocess.run([str(bin_dir / "assess"), "db", "upgrade"], env=env, check=True, capture_output=True)
        token, ids, thirty, survey_token = seed(database_url, args.redis_url, args.reports)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        processes.append(subprocess.Popen([str(bin_dir / "assess"), "serve", "--port", str(port), "--workers",
                                           str(args.web_workers)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL, start_new_session=True))
        processes.append(subprocess.Popen([str(bin_dir / "assess"), "worker", "--concurrency",
                                           str(args.worker_processes)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL, start_new_session=True))
        for _ in range(300):
            try:
                if fetch(base + "/livez")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        pool = iter(ids)
        first = click_to_pdf(base, token, next(pool))
        for _ in range(3 * args.worker_processes):  # warm every worker process (Chromium started, fonts loaded)
            click_to_pdf(base, token, next(pool))
        warm_one = [click_to_pdf(base, token, next(pool)) for _ in range(5)]
        warm_thirty = []
        for run in range(5):
            warm_thirty.append(click_to_pdf(base, token, thirty))
            with Session(create_engine(database_url)) as session:  # new answers: a new report next time
                respondent = session.execute(text("SELECT id FROM respondent WHERE assessment_id = :a LIMIT 1"),
                                             {"a": thirty}).scalar_one()
                from assess.db import repo

                repo.upsert_answers(session, respondent, [("str.budget", str(1 + run % 5), "", "")])
                session.commit()
        at_once = [next(pool) for _ in range(args.reports)]
        survey: list[float] = []
        stop = threading.Event()

        def answer_pages() -> None:  # respondents at work: 20 pages a second
            while not stop.is_set():
                start = time.perf_counter()
                status = fetch(f"{base}/r/{survey_token}/page/1")[0]
                assert status == 200, status
                survey.append((time.perf_counter() - start) * 1000)
                time.sleep(max(0.0, 0.05 - (time.perf_counter() - start)))

        reader = threading.Thread(target=answer_pages)
        reader.start()
        times: list[float] = []
        errors: list[str] = []

        def one(assessment_id: int) -> None:
            try:
                times.append(click_to_pdf(base, token, assessment_id, every=None))
            except AssertionError as error:
                errors.append(str(error)[:200])

        start = time.perf_counter()
        threads = [threading.Thread(target=one, args=(a,)) for a in at_once]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
        elapsed = time.perf_counter() - start
        stop.set()
        reader.join()
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(30)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)'))
        admin.dispose()
        redis.Redis.from_url(args.redis_url).flushdb()
    print(f"PostgreSQL + Redis, gunicorn {args.web_workers} workers, assess worker {args.worker_processes} processes")
    print(f"first report of a new worker      {first:.2f} s  (goal < 5 s)")
    print(f"warm, 1 respondent, click to PDF  median {statistics.median(warm_one):.2f} s  (goal < 1.5 s)")
    print(f"warm, 30 respondents              median {statistics.median(warm_thirty):.2f} s  (goal < 2.5 s)")
    print(f"{args.reports} reports at once: {len(times)} arrived, {len(errors)} errors, all in {elapsed:.1f} s, "
          f"each p50 {statistics.median(times):.1f} s, max {max(times):.1f} s; arrived after "
          f"{', '.join(f'{t:.0f}' for t in sorted(times))} s")
    p95 = statistics.quantiles(survey, n=20)[18] if len(survey) >= 20 else max(survey)
    print(f"survey pages meanwhile: {len(survey)} served, p50 {statistics.median(survey):.0f} ms, p95 {p95:.0f} ms "
          "(goal p95 < 150 ms)")
    if errors:
        print("errors:", *errors, sep="\n  ")


if __name__ == "__main__":
    main()
