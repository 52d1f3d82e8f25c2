"""With REDIS_URL set, workers share rate limits and rendered artefacts."""

from __future__ import annotations

import uuid

from assess import create_app
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


def test_login_rate_limit_is_shared_between_workers(database_url: str) -> None:
    config = {"SECRET_KEY": "shared", "DATABASE_URL": database_url, "REDIS_URL": REDIS_URL,
              "RATELIMIT_KEY_PREFIX": f"assess-test-{uuid.uuid4().hex}"}
    worker_a, worker_b = create_app(dict(config)), create_app(dict(config))
    try:
        codes = []
        for worker in [worker_a] * 6 + [worker_b] * 6:
            client = worker.test_client()
            page = client.get("/login")
            codes.append(client.post("/login", data={"csrf_token": csrf_of(page.data), "email": "x@example.com",
                                                     "password": "wrong password"}).status_code)
        assert codes[:10] == [401] * 10 and codes[10:] == [429, 429]  # worker B saw worker A's attempts
    finally:
        for worker in (worker_a, worker_b):
            worker.extensions["assess.engine"].dispose()
