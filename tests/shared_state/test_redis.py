"""With REDIS_URL set, workers share rate limits and rendered artefacts."""

from __future__ import annotations

import http.cookiejar
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import redis

from assess.cache import MemoryCache, RedisCache, content_key
from tests.shared_state.conftest import REDIS_URL
from tests.web.conftest import csrf_of


def test_redis_cache_is_shared_between_instances() -> None:
    prefix = f"assess-test:{uuid.uuid4().hex}:"
    first, second = RedisCache(REDIS_URL, prefix), RedisCache(REDIS_URL, prefix)
    key = content_key("chart", "radar", '{"data": []}')
    assert first.get(key) is None
    first.set(key, b"<svg/>", ttl_seconds=60)
    assert second.get(key) == b"<svg/>"


def test_redis_outage_degrades_to_no_cache() -> None:
    cache = RedisCache("redis://127.0.0.1:1/0")  # nothing listens there
    cache.set("k", b"v")
    assert cache.get("k") is None


def test_memory_cache_evicts_least_recently_used() -> None:
    cache = MemoryCache(max_items=2)
    cache.set("a", b"1")
    cache.set("b", b"2")
    assert cache.get("a") == b"1"
    cache.set("c", b"3")
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (b"1", None, b"3")


def _serve(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return subprocess.Popen([str(gunicorn), "--bind", f"127.0.0.1:{port}", "--workers", "1", "assess.wsgi:app"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _login_attempt(base: str) -> int:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    csrf = csrf_of(opener.open(base + "/login", timeout=10).read())
    data = urllib.parse.urlencode({"csrf_token": csrf, "email": "x@example.com", "password": "wrong password"})
    try:
        with opener.open(base + "/login", data.encode(), timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        error.close()
        return int(error.code)


def test_login_rate_limit_is_shared_between_two_servers(database_url: str) -> None:
    """Two gunicorn servers (separate processes) with one Redis count login attempts together."""
    client = redis.Redis.from_url(REDIS_URL)
    stale = client.keys("LIMITS:LIMITER/*/auth.login/*")  # earlier runs within the hour count too
    if stale:
        client.delete(*stale)
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "shared", "REDIS_URL": REDIS_URL}
    ports = [_free_port(), _free_port()]
    servers = [_serve(port, env) for port in ports]
    try:
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base in bases:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/livez", timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.1)
        codes = [_login_attempt(bases[i % 2]) for i in range(12)]  # alternating servers
        # Each server alone saw only six attempts; the tenth-per-minute limit holds across both.
        assert codes[:10] == [401] * 10 and codes[10:] == [429, 429]
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


def test_health_reports_a_reachable_redis(database_url: str) -> None:
    from assess import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": database_url, "REDIS_URL": REDIS_URL})
    try:
        response = app.test_client().get("/healthz")
        assert response.status_code == 200
        assert response.get_data(as_text=True).splitlines() == ["database ok", "redis ok"]
    finally:
        app.extensions["assess.engine"].dispose()


def test_a_server_without_redis_still_signs_in_and_serves_the_api(database_url: str) -> None:
    """A gunicorn server whose REDIS_URL points at nothing still signs in (limited in memory) and serves the API."""
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "shared", "REDIS_URL": "redis://127.0.0.1:1/0"}
    port = _free_port()
    server = _serve(port, env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/livez", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        with urllib.request.urlopen(base + "/api/v1/openapi.json", timeout=10) as response:
            assert response.status == 200
        with urllib.request.urlopen(base + "/healthz", timeout=10) as response:
            assert response.status == 200 and b"redis unavailable" in response.read()
        codes = [_login_attempt(base) for _ in range(11)]
        assert codes == [401] * 10 + [429]
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_redis_cache_forgets_every_entry_of_a_tag() -> None:
    """Deleting an assessment deletes its cached PDFs and charts in Redis, and nothing of other assessments."""
    prefix = f"assess-test:{uuid.uuid4().hex}:"
    cache = RedisCache(REDIS_URL, prefix)
    cache.set("report-pdf:a", b"%PDF a", ttl_seconds=60, tags=["assessment:1"])
    cache.set("chart-svg:a", b"<svg/>", ttl_seconds=60, tags=["assessment:1", "assessment:2"])
    cache.set("report-pdf:b", b"%PDF b", ttl_seconds=60, tags=["assessment:2"])
    assert cache.forget(["assessment:1"]) == 2
    assert cache.get("report-pdf:a") is None and cache.get("chart-svg:a") is None
    assert cache.get("report-pdf:b") == b"%PDF b"
    client = redis.Redis.from_url(REDIS_URL)
    assert client.ttl(f"{prefix}tag:assessment:2") > 0  # tag sets expire with their entries
    client.delete(*client.keys(f"{prefix}*"))


def test_a_deletion_while_redis_is_down_deletes_nothing() -> None:
    """Copies of the data would outlive it for a day: the deletion waits for the cache instead."""
    import pytest

    from assess.cache import CacheUnavailable

    with pytest.raises(CacheUnavailable):
        RedisCache("redis://127.0.0.1:1/0").forget(["assessment:1"])


def test_redis_cache_keeps_no_copy_rendered_before_a_deletion() -> None:
    prefix = f"assess-test:{uuid.uuid4().hex}:"
    cache = RedisCache(REDIS_URL, prefix)
    before = cache.generations(["assessment:7"])
    cache.forget(["assessment:7"])  # a deletion while the report renders
    assert cache.set("report-pdf:x", b"%PDF stale", ttl_seconds=60, tags=["assessment:7"], expect=before) is False
    assert cache.get("report-pdf:x") is None
    now = cache.generations(["assessment:7"])
    assert cache.set("report-pdf:x", b"%PDF fresh", ttl_seconds=60, tags=["assessment:7"], expect=now) is True
    assert cache.get("report-pdf:x") == b"%PDF fresh"
    client = redis.Redis.from_url(REDIS_URL)
    client.delete(*client.keys(f"{prefix}*"))
