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
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, Protocol

log = logging.getLogger(__name__)


class CacheUnavailable(RuntimeError):
    """The shared cache cannot be reached for something that must not be skipped (deleting copies of data)."""


Generations = tuple[int, ...]


class Cache(Protocol):
    def get(self, key: str) -> bytes | None: ...

    def set(self, key: str, value: bytes, ttl_seconds: int = 86_400, tags: Sequence[str] = (),
            expect: Generations | None = None) -> bool: ...

    def generations(self, tags: Sequence[str]) -> Generations: ...

    def forget(self, tags: Iterable[str]) -> int: ...

    def claim(self, key: str, ttl_seconds: int) -> bool: ...

    def release(self, key: str) -> None: ...


def assessment_tag(assessment_id: int) -> str:
    """The tag of every cached artefact that shows something of one assessment."""
    return f"assessment:{assessment_id}"


# A render reads the generations of its tags *before* it reads the data it shows, and stores its result only if
# they are unchanged: a deletion raises them (forget), so a render that began before a deletion never stores a copy
# of the deleted data, however the two interleave.


class MemoryCache:
    """A thread-safe LRU of bytes with expiry, per process (the embedded default without Redis)."""

    def __init__(self, max_items: int = 256) -> None:
        self._items: OrderedDict[str, tuple[bytes, float]] = OrderedDict()  # key -> (value, expires at)
        self._tagged: dict[str, set[str]] = {}
        self._generation: dict[str, int] = {}
        self._max = max_items
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            if item[1] < time.monotonic():
                self._drop(key)
                return None
            self._items.move_to_end(key)
            return item[0]

    def set(self, key: str, value: bytes, ttl_seconds: int = 86_400, tags: Sequence[str] = (),
            expect: Generations | None = None) -> bool:
        with self._lock:
            if expect is not None and tuple(self._generation.get(t, 0) for t in tags) != expect:
                return False  # the data changed (a deletion) since the render began: keep nothing of it
            self._items[key] = (value, time.monotonic() + ttl_seconds)
            self._items.move_to_end(key)
            for tag in tags:
                self._tagged.setdefault(tag, set()).add(key)
            while len(self._items) > self._max:
                self._drop(next(iter(self._items)))
            return True

    def generations(self, tags: Sequence[str]) -> Generations:
        with self._lock:
            return tuple(self._generation.get(t, 0) for t in tags)

    def forget(self, tags: Iterable[str]) -> int:
        """Drop every entry set with any of `tags` and raise their generations; return how many entries there were."""
        with self._lock:
            keys: set[str] = set()
            for tag in tags:
                self._generation[tag] = self._generation.get(tag, 0) + 1
                keys |= self._tagged.pop(tag, set())
            return sum(1 for key in keys if self._items.pop(key, None) is not None)

    def claim(self, key: str, ttl_seconds: int) -> bool:
        """Take `key` for `ttl_seconds` unless someone holds it (e.g. one print job per report)."""
        with self._lock:
            item = self._items.get(key)
            if item is not None and item[1] >= time.monotonic():
                return False
            self._items[key] = (b"1", time.monotonic() + ttl_seconds)
            return True

    def release(self, key: str) -> None:
        with self._lock:
            self._drop(key)

    def _drop(self, key: str) -> None:
        self._items.pop(key, None)
        for tag in [t for t, keys in self._tagged.items() if key in keys]:
            self._tagged[tag].discard(key)
            if not self._tagged[tag]:
                del self._tagged[tag]


# KEYS: the entry, then per tag its generation and its key set; ARGV: value, ttl, the entry's name, expected
# generations (or none). Checks and writes in one step, so no forget can fall between them.
_SET_IF_CURRENT = """
local n = (#KEYS - 1) / 2
for i = 1, n do
  if #ARGV > 3 and (redis.call('GET', KEYS[2 * i]) or '0') ~= ARGV[3 + i] then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
for i = 1, n do
  local set = KEYS[2 * i + 1]
  redis.call('SADD', set, ARGV[3])
  redis.call('EXPIRE', set, ARGV[2], 'GT')
  redis.call('EXPIRE', set, ARGV[2], 'NX')
end
return 1
"""
GENERATION_TTL = 30 * 86_400  # longer than any entry lives


class RedisCache:
    """Redis, shared by every worker on every machine; a Redis outage degrades to no caching."""

    def __init__(self, url: str, prefix: str = "assess:cache:", timeout: float = 0.5) -> None:
        import redis

        # Short timeouts: a Redis that drops packets must cost a page a second, not tens of seconds (a worker,
        # which stores what took seconds to print, waits longer: see assess/tasks/worker.py).
        self._redis = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=0.5)
        self._prefix = prefix
        self._set_if_current: Any = self._redis.register_script(_SET_IF_CURRENT)

    def get(self, key: str) -> bytes | None:
        try:
            value = self._redis.get(self._prefix + key)
        except Exception as error:  # the cache must never break a request
            log.warning("redis cache unavailable: %s", type(error).__name__)
            return None
        return value if isinstance(value, bytes) else None

    def set(self, key: str, value: bytes, ttl_seconds: int = 86_400, tags: Sequence[str] = (),
            expect: Generations | None = None) -> bool:
        keys = [self._prefix + key]
        for tag in tags:
            keys += [self._generation_key(tag), self._tag_key(tag)]
        args: list[Any] = [value, ttl_seconds, key, *(expect if expect is not None else ())]
        try:
            return bool(self._set_if_current(keys=keys, args=args))
        except Exception as error:
            log.warning("redis cache unavailable: %s", type(error).__name__)
            return False

    def generations(self, tags: Sequence[str]) -> Generations:
        if not tags:
            return ()
        try:
            found: Any = self._redis.mget([self._generation_key(t) for t in tags])
        except Exception as error:
            log.warning("redis cache unavailable: %s", type(error).__name__)
            return tuple(-1 for _ in tags)  # matches nothing: what is rendered now is not stored
        return tuple(int(v) if v is not None else 0 for v in found)

    def forget(self, tags: Iterable[str]) -> int:
        """Delete every entry set with any of `tags` and raise their generations; return how many entries there were.

        Raises when Redis is down: a deletion must not pretend the copies are gone."""
        from redis.exceptions import RedisError

        deleted = 0
        try:
            for tag in tags:
                pipe = self._redis.pipeline()
                pipe.incr(self._generation_key(tag))
                pipe.expire(self._generation_key(tag), GENERATION_TTL)
                pipe.execute()
                found: Any = self._redis.smembers(self._tag_key(tag))  # a set (the client is synchronous)
                members = [m.decode() if isinstance(m, bytes) else str(m) for m in found]
                if members:
                    count: Any = self._redis.delete(*(self._prefix + m for m in members))
                    deleted += int(count)
                self._redis.delete(self._tag_key(tag))
        except RedisError as error:
            raise CacheUnavailable(f"the shared cache (Redis) cannot be reached: {type(error).__name__}") from None
        return deleted

    def claim(self, key: str, ttl_seconds: int) -> bool:
        """Take `key` for `ttl_seconds` unless someone holds it (SET NX: one holder across every worker).

        Without Redis nobody can coordinate: every caller may go ahead."""
        try:
            return bool(self._redis.set(self._prefix + key, b"1", nx=True, ex=ttl_seconds))
        except Exception as error:
            log.warning("redis cache unavailable: %s", type(error).__name__)
            return True

    def release(self, key: str) -> None:
        try:
            self._redis.delete(self._prefix + key)
        except Exception as error:
            log.warning("redis cache unavailable: %s", type(error).__name__)

    def _tag_key(self, tag: str) -> str:
        return f"{self._prefix}tag:{tag}"

    def _generation_key(self, tag: str) -> str:
        return f"{self._prefix}gen:{tag}"


class LocalMemo:
    """A small thread-safe LRU of Python objects in this process, for results derived from stored data.

    Keys must name every input of the value (e.g. an assessment's data version), so an entry never goes
    stale; it lives on a per-app object (the catalog), never in a module global. Entries also expire after
    `max_age` seconds: a deleted respondent's answers do not stay in a worker's memory for longer than that.
    """

    def __init__(self, max_items: int = 128, max_age: float = 600.0) -> None:
        self._items: OrderedDict[Hashable, tuple[Any, float]] = OrderedDict()  # key -> (value, stored at)
        self._max = max_items
        self._max_age = max_age
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            if time.monotonic() - found[1] > self._max_age:
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return found[0]

    def set(self, key: Hashable, value: Any) -> None:
        now = time.monotonic()
        with self._lock:
            self._items[key] = (value, now)
            self._items.move_to_end(key)
            while self._items and (len(self._items) > self._max
                                   or now - next(iter(self._items.values()))[1] > self._max_age):
                self._items.popitem(last=False)

    def drop(self, which: Callable[[Hashable], bool]) -> None:
        """Forget every entry whose key `which` selects."""
        with self._lock:
            for key in [k for k in self._items if which(k)]:
                del self._items[key]

    def stored_keys(self) -> list[Hashable]:
        with self._lock:
            return list(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


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
