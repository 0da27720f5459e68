"""Per-method rate limits, answered the way Slack does (HTTP 429 + integer Retry-After).

Off by default; tests and demos turn a limit on at runtime to exercise the
bot's retry handling (slack-sdk only retries 429s with RateLimitErrorRetryHandler).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque


class RateLimiter:
    """A sliding window per Web API method: at most `limit` calls per `window_s` seconds."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._limits: dict[str, tuple[int, float]] = {}
        self._calls: dict[str, deque[float]] = {}

    def set(self, method: str, per_minute: int | None, *, window_s: float = 60.0) -> None:
        """Allow `per_minute` calls per window (a minute unless `window_s` shortens it); None lifts it."""
        with self._lock:
            self._calls.pop(method, None)
            if per_minute is None:
                self._limits.pop(method, None)
            else:
                self._limits[method] = (per_minute, window_s)

    def check(self, method: str) -> int | None:
        """Count one call; None when allowed, else the Retry-After seconds (at least 1, like Slack)."""
        with self._lock:
            if method not in self._limits:
                return None
            limit, window = self._limits[method]
            now = time.monotonic()
            calls = self._calls.setdefault(method, deque())
            while calls and calls[0] <= now - window:
                calls.popleft()
            if len(calls) < limit:
                calls.append(now)
                return None
            wait = calls[0] + window - now
            return max(1, math.ceil(wait))
