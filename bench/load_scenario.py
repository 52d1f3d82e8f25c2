"""Load scenario: N respondents start an assessment and answer every page, all at once.

Run: .venv/bin/python bench/load_scenario.py [--respondents 50] [--workers 2] [--database-url URL]
Without --database-url a fresh PostgreSQL database is created on 127.0.0.1:5432
(and dropped afterwards). gunicorn serves the app on 127.0.0.1 only. Prints
throughput, p50/p95/p99 latency per request kind and the errors, then checks
in the database that every answer sent is stored.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


class _Form(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.questions: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag != "input" or not a.get("name"):
            return
        if a.get("type") == "hidden":
            self.hidden[a["name"] or ""] = a.get("value") or ""
        elif a.get("type") == "radio" and (a["name"] or "").startswith("q-") and a["name"] not in self.questions:
            self.questions.append(a["name"] or "")


_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
_RADIO = re.compile(r'<input type="radio" id="[^"]*" name="(q-[^"]+)"')


def parse(html: str) -> _Form:
    """Hidden fields and question names; regular expressions keep the load generator's own CPU use low."""
    form = _Form()
    form.hidden = dict(_HIDDEN.findall(html))
    form.questions = list(dict.fromkeys(_RADIO.findall(html)))
    if "csrf_token" not in form.hidden:  # a page rendered by WTForms widgets: fall back to a real parser
        form.feed(html)
    return form


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a redirect is a response of its own here, timed apart from the page it leads to


class Respondent(threading.Thread):
    def __init__(self, base: str, barrier: threading.Barrier, timings: dict[str, list[float]],
                 errors: list[str], sent: list[int]) -> None:
        super().__init__(daemon=True)
        self.base, self.barrier, self.timings, self.errors, self.sent = base, barrier, timings, errors, sent
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect())

    def call(self, kind: str, url: str, data: dict[str, str] | None = None) -> tuple[str, str]:
        """One request, timed under `kind`; returns (body, redirect location or '')."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        start = time.perf_counter()
        try:
            with self.opener.open(self.base + url if url.startswith("/") else url, body, timeout=30) as response:
                html, location = response.read().decode(), ""
        except urllib.error.HTTPError as error:
            if error.code not in (301, 302, 303):
                self.errors.append(f"{kind}: HTTP {error.code}")
                raise
            html, location = "", urllib.parse.urlsplit(error.headers["Location"]).path
            error.close()
        except (urllib.error.URLError, OSError) as error:
            self.errors.append(f"{kind}: {error}")
            raise
        self.timings[kind].append((time.perf_counter() - start) * 1000)
        return html, location

    def run(self) -> None:
        try:
            self.barrier.wait()
            notice, _ = self.call("start page", "/start")  # the privacy notice comes first
            self.call("privacy notice", "/start/privacy", {**parse(notice).hidden, "accept": "yes"})
            html, _ = self.call("start page", "/start")
            data = {**parse(html).hidden, "organisation": f"Last {uuid.uuid4().hex[:6]}", "industry": "retail",
                    "size": "50-249", "role": "executive", "language": "de"}
            _, url = self.call("start assessment", "/start", data)
            while "/page/" in url:
                html, _ = self.call("questionnaire page", url)
                form = parse(html)
                answers = {q: str(1 + (len(q) % 5)) for q in form.questions}
                _, next_url = self.call("save answers", url, {**form.hidden, **answers, "nav": "next"})
                self.sent.append(len(answers))
                url = next_url
            if not url.endswith("/review"):
                self.errors.append(f"ended at {url}")
                return
            html, _ = self.call("review page", url)
            _, result = self.call("finish", url, parse(html).hidden)
            self.call("result page", result)
        except Exception as error:  # every failure is counted, the run goes on
            self.errors.append(f"{type(error).__name__}: {error}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--respondents", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (gthread when > 1)")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    database_url, created = args.database_url, None
    admin = None
    if database_url is None:
        created = f"assess_load_{uuid.uuid4().hex[:8]}"
        admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{created}"'))
        database_url = ADMIN_URL.rsplit("/", 1)[0] + "/" + created
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "load-test"}
    bin_dir = Path(sys.executable).parent
    server = None
    try:
        subprocess.run([str(bin_dir / "assess"), "db", "upgrade"], env=env, check=True, capture_output=True)
        with tempfile.TemporaryDirectory():
            server = subprocess.Popen([str(bin_dir / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers",
                                       str(args.workers), "--threads", str(args.threads), "assess.wsgi:app"],
                                      env=env, cwd=ROOT,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)
            # Warm-up: a few respondents one after the other, so both workers have loaded templates and
            # frames; their answers are counted in the check below, their timings are not.
            warm_errors: list[str] = []
            warm_sent: list[int] = []
            for _ in range(2 * args.workers):
                warm = Respondent(base, threading.Barrier(1), defaultdict(list), warm_errors, warm_sent)
                warm.start()
                warm.join(timeout=60)
            timings: dict[str, list[float]] = defaultdict(list)
            errors: list[str] = list(warm_errors)
            sent: list[int] = list(warm_sent)
            barrier = threading.Barrier(args.respondents)
            threads = [Respondent(base, barrier, timings, errors, sent) for _ in range(args.respondents)]
            start = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=300)
            elapsed = time.perf_counter() - start
        engine = create_engine(database_url)
        with engine.connect() as connection:
            stored = connection.execute(text("SELECT count(*) FROM answer WHERE value IS NOT NULL")).scalar_one()
        engine.dispose()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        if created and admin is not None:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)'))
            admin.dispose()
    requests = sum(len(v) for v in timings.values())
    print(f"{args.respondents} concurrent respondents, gunicorn {args.workers} workers x {args.threads} threads, "
          "PostgreSQL")
    print(f"{requests} requests in {elapsed:.1f} s = {requests / elapsed:.0f} req/s; errors: {len(errors)}")
    print(f"{'':18} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for kind, values in timings.items():
        q = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
        print(f"{kind:18} {len(values):>5} {statistics.median(values):>8.1f} {q[94]:>8.1f} {q[98]:>8.1f}")
    print(f"answers sent {sum(sent)}, stored {stored}, lost {sum(sent) - stored}")
    for error in errors[:5]:
        print("  error:", re.sub(r"/r/[^/]+", "/r/…", error))
    if errors or stored != sum(sent):
        sys.exit(1)


if __name__ == "__main__":
    main()
