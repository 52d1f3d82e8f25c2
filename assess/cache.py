"""A small byte cache shared by all workers through Redis when REDIS_URL is set, in memory otherwise.

Used for rendered artefacts that are expensive and deterministic in their input
(report charts, PDFs): keys are content hashes, so entries never go stale.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections import OrderedDict
from typing import Protocol

log = logging.getLogger(__name__)


class Cache(Protocol):
    def get(self, key: str) -> bytes | None: ...

    def set(self, key: str, value: bytes, ttl_seconds: int = 86_400) -> None: ...


class MemoryCache:
    """A thread-safe LRU of bytes, per process."""

    def __init__(self, max_items: int = 256) -> None:
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._max = max_items
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def set(self, key: str, value: bytes, ttl_seconds: int = 86_400) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._max:
                self._items.popitem(last=False)


class RedisCache:
    """Redis, shared by every worker on every machine; a Redis outage degrades to no caching."""

    def __init__(self, url: str, prefix: str = "assess:cache:") -> None:
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._prefix = prefix

    def get(self, key: str) -> bytes | None:
        try:
            value = self._redis.get(self._prefix + key)
        except Exception as error:  # the cache must never break a request
            log.warning("redis cache unavailable: %s", type(error).__name__)
            return None
        return value if isinstance(value, bytes) else None

    def set(self, key: str, value: bytes, ttl_seconds: int = 86_400) -> None:
        try:
            self._redis.set(self._prefix + key, value, ex=ttl_seconds)
        except Exception as error:
            log.warning("redis cache unavailable: %s", type(error).__name__)


_shared: Cache | None = None
_lock = threading.Lock()


def shared_cache() -> Cache:
    """The process's cache: Redis when REDIS_URL is set, else memory."""
    global _shared
    with _lock:
        if _shared is None:
            url = os.environ.get("REDIS_URL")
            _shared = RedisCache(url) if url else MemoryCache()
        return _shared


def use_cache(cache: Cache | None) -> None:
    """Replace the process's cache (tests start from an empty one: `use_cache(MemoryCache())`; None: as configured)."""
    global _shared
    with _lock:
        _shared = cache


def content_key(kind: str, *parts: str | bytes) -> str:
    """A key derived from the content it stands for."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\x00")
    return f"{kind}:{digest.hexdigest()}"
