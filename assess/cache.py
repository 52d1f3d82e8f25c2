"""A small byte cache shared by all workers through Redis when REDIS_URL is set, in memory otherwise.

Used for rendered artefacts that are expensive and deterministic in their input
(report charts, PDFs): keys are content hashes, so entries never go stale. An
entry that shows client data carries tags (`assessment_tag`), so that deleting
the data also deletes every artefact made of it (`forget`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any, Protocol

log = logging.getLogger(__name__)


class CacheUnavailable(RuntimeError):
    """The shared cache cannot be reached for something that must not be skipped (deleting copies of data)."""


class Cache(Protocol):
    def get(self, key: str) -> bytes | None: ...

    def set(self, key: str, value: bytes, ttl_seconds: int = 86_400, tags: Iterable[str] = ()) -> None: ...

    def forget(self, tags: Iterable[str]) -> int: ...


def assessment_tag(assessment_id: int) -> str:
    """The tag of every cached artefact that shows something of one assessment."""
    return f"assessment:{assessment_id}"


class MemoryCache:
    """A thread-safe LRU of bytes, per process."""

    def __init__(self, max_items: int = 256) -> None:
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._tagged: dict[str, set[str]] = {}
        self._max = max_items
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def set(self, key: str, value: bytes, ttl_seconds: int = 86_400, tags: Iterable[str] = ()) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            for tag in tags:
                self._tagged.setdefault(tag, set()).add(key)
            while len(self._items) > self._max:
                self._items.popitem(last=False)

    def forget(self, tags: Iterable[str]) -> int:
        """Drop every entry set with any of `tags`; return how many there were."""
        with self._lock:
            keys = set().union(*(self._tagged.pop(tag, set()) for tag in tags))
            return sum(1 for key in keys if self._items.pop(key, None) is not None)


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

    def set(self, key: str, value: bytes, ttl_seconds: int = 86_400, tags: Iterable[str] = ()) -> None:
        try:
            pipe = self._redis.pipeline()
            pipe.set(self._prefix + key, value, ex=ttl_seconds)
            for tag in tags:  # a set of the keys per tag, living as long as its longest-lived entry
                pipe.sadd(self._tag_key(tag), key)
                pipe.expire(self._tag_key(tag), ttl_seconds, gt=True)
                pipe.expire(self._tag_key(tag), ttl_seconds, nx=True)
            pipe.execute()
        except Exception as error:
            log.warning("redis cache unavailable: %s", type(error).__name__)

    def forget(self, tags: Iterable[str]) -> int:
        """Delete every entry set with any of `tags`; return how many there were. Raises when Redis is down:
        a deletion must not pretend the copies are gone."""
        from redis.exceptions import RedisError

        deleted = 0
        try:
            for tag in tags:
                found: Any = self._redis.smembers(self._tag_key(tag))  # a set (the client is synchronous)
                members = [m.decode() if isinstance(m, bytes) else str(m) for m in found]
                if members:
                    count: Any = self._redis.delete(*(self._prefix + m for m in members))
                    deleted += int(count)
                self._redis.delete(self._tag_key(tag))
        except RedisError as error:
            raise CacheUnavailable(f"the shared cache (Redis) cannot be reached: {type(error).__name__}") from None
        return deleted

    def _tag_key(self, tag: str) -> str:
        return f"{self._prefix}tag:{tag}"


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
