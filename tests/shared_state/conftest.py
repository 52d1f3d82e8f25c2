"""Shared-state tests need a Redis server: TEST_REDIS_URL (set by .ci/run) points at one.

Without it these tests are not collected, so that the suite still runs on a
laptop without Redis; CI always runs them.
"""

from __future__ import annotations

import os

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL", "")


def pytest_ignore_collect(collection_path: object, config: pytest.Config) -> bool:
    return not REDIS_URL and "test_" in str(collection_path)
