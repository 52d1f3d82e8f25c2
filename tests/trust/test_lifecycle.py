"""A web worker killed in the middle of printing a report, and `assess report` stopped mid-run, leave no
process behind (Chromium included) within 10 s; the server goes on serving."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.processes import alive, command, left_after, tree

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLE = ROOT / "examples" / "workshop-five-respondents.json"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(condition: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0


def test_a_web_worker_killed_while_printing_leaves_no_process_and_the_server_serves_on(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "ASSESS_ENV")}
    env["SECRET_KEY"] = "lifecycle"
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "assess", "serve", "--demo", "--port", str(port),
                                   "--workers", "1"], cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    try:
        _wait_for(lambda: _get(f"http://127.0.0.1:{port}/livez") == 200, 60, "the server did not start")
        link = re.search(r"http://\S+/r/\S+/result", log.read_text())
        assert link is not None
        pdf_url = link.group(0).replace("/result", "/report.pdf").replace("127.0.0.1:" + str(port), f"127.0.0.1:{port}")
        threading.Thread(target=_get, args=(pdf_url,), daemon=True).start()
        workers = [p for p in tree(server.pid) if "gunicorn" in command(p) or "assess" in command(p)]
        worker = next(p for p in workers if p != server.pid and "chromium" not in command(p))
        _wait_for(lambda: any("chromium" in command(p) for p in tree(worker)), 30, "no Chromium started for the report")
        printing = tree(worker)
        os.kill(worker, signal.SIGKILL)
        left = left_after(printing, 10)
        assert not left, f"left behind: {[command(p) for p in left]}"
        _wait_for(lambda: _get(f"http://127.0.0.1:{port}/livez") == 200, 30, "no new worker took over")
        assert _get(pdf_url) == 200  # the next request prints it
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_assess_report_stopped_mid_run_leaves_no_process(tmp_path: Path, stop: signal.Signals) -> None:
    report = subprocess.Popen([sys.executable, "-m", "assess", "report", str(EXAMPLE), "-o", str(tmp_path / "r.pdf")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_for(lambda: any("chromium" in command(p) for p in tree(report.pid)), 30, "no Chromium started")
    started = tree(report.pid)
    report.send_signal(stop)
    report.wait(15)
    left = left_after(started, 10)
    assert not left, f"left behind: {[command(p) for p in left]}"
    assert not alive(report.pid)
