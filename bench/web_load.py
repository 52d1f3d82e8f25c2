"""Load benchmark: a questionnaire page GET and an answer POST against gunicorn, next to a trivial route.

Run: .venv/bin/python bench/web_load.py [--seconds 10] [--connections 20] [--workers 2]
Starts gunicorn on 127.0.0.1 with a fresh SQLite database, creates one
respondent, then runs wrk (Debian package `wrk`) against /livez, a dimension
page and an answer POST, and prints requests/s, latency and errors.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server did not come up at {url}")


class _Hidden(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "input" and values.get("type") == "hidden" and values.get("name"):
            self.fields[values["name"] or ""] = values.get("value") or ""


def hidden(html: str) -> dict[str, str]:
    parser = _Hidden()
    parser.feed(html)
    return parser.fields


def prepare(base: str) -> tuple[str, str, str]:
    """Start an assessment; return (page URL, POST body, cookie header)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    notice = opener.open(base + "/start").read().decode()  # the privacy notice comes first
    opener.open(base + "/start/privacy", urllib.parse.urlencode({**hidden(notice), "accept": "yes"}).encode())
    html = opener.open(base + "/start").read().decode()
    data = {**hidden(html), "organisation": "Load GmbH", "industry": "retail", "size": "50-249",
            "role": "executive", "language": "de"}
    response = opener.open(base + "/start", urllib.parse.urlencode(data).encode())
    page_url = response.geturl().replace("/page/1", "/page/2")
    assert re.search(r"/r/[^/]+/page/2$", page_url), page_url
    html = opener.open(page_url).read().decode()
    assert 'name="q-' in html, "the benchmark must measure the questionnaire page, not a redirect"
    form = hidden(html)
    questions = sorted({m for m in re.findall(r'name="q-([^"]+)"', html)})
    form.update({f"q-{q}": "3" for q in questions})
    form["nav"] = "next"
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return page_url, urllib.parse.urlencode(form), cookie


def wrk(url: str, seconds: int, connections: int, script: Path | None = None) -> dict[str, str]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    if script:
        command += ["-s", str(script)]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    result = {"rps": re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)}  # type: ignore[union-attr]
    for pct in ("50", "90", "99"):
        match = re.search(rf"\s{pct}%\s+([\d.]+\w+)", out)
        result[f"p{pct}"] = match.group(1) if match else "?"
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: (.*)", out)
    result["errors"] = (errors.group(1) if errors else "0") + (f" ({sockets.group(1)})" if sockets else "")
    result["requests"] = re.search(r"(\d+) requests in", out).group(1)  # type: ignore[union-attr]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.db", "SECRET_KEY": "bench"}
        subprocess.run([str(Path(sys.executable).with_name("assess")), "db", "upgrade"], env=env, check=True,
                       capture_output=True)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        server = subprocess.Popen(
            [str(gunicorn), "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers), "assess.wsgi:app"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(base + "/livez")
            page_url, body, cookie = prepare(base)
            script = Path(tmp) / "post.lua"
            script.write_text(
                'wrk.method = "POST"\n'
                f"wrk.body = {body!r}\n".replace("'", '"')
                + 'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
                + f'wrk.headers["Cookie"] = "{cookie}"\n')
            get_script = Path(tmp) / "get.lua"
            get_script.write_text(f'wrk.headers["Cookie"] = "{cookie}"\n')
            runs = {
                "trivial route GET /livez": wrk(base + "/livez", args.seconds, args.connections),
                "questionnaire page GET": wrk(page_url, args.seconds, args.connections, get_script),
                "answer POST (9 answers)": wrk(page_url, args.seconds, args.connections, script),
            }
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"gunicorn {args.workers} workers, SQLite, wrk 2 threads x {args.connections} connections, {args.seconds} s each")
    print(f"{'':28} {'req/s':>9} {'p50':>9} {'p90':>9} {'p99':>9} {'requests':>9}  errors")
    for name, r in runs.items():
        print(f"{name:28} {r['rps']:>9} {r['p50']:>9} {r['p90']:>9} {r['p99']:>9} {r['requests']:>9}  {r['errors']}")
    trivial = float(runs["trivial route GET /livez"]["rps"])
    for name in ("questionnaire page GET", "answer POST (9 answers)"):
        print(f"{name}: {float(runs[name]['rps']) / trivial * 100:.0f} % of the trivial route's throughput")


if __name__ == "__main__":
    main()
