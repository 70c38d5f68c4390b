"""A small sliding-window rate limiter, in process (the embedded default).

The interface is tiny on purpose so a Redis-backed store can replace it in production.
"""
from __future__ import annotations

import threading
import time
from collections import deque


class MemoryLimiter:
    def __init__(self) -> None:
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _window(self, key: str, window: float, now: float) -> deque[float]:
        q = self._hits.setdefault(key, deque())
        while q and q[0] <= now - window:
            q.popleft()
        return q

    def blocked_for(self, key: str, limit: int, window: float) -> int:
        """Seconds until ``key`` may try again (0 when not blocked)."""
        now = time.monotonic()
        with self._lock:
            q = self._window(key, window, now)
            if len(q) < limit:
                return 0
            return max(1, int(q[0] + window - now + 0.999))

    def hit(self, key: str, window: float) -> None:
        now = time.monotonic()
        with self._lock:
            self._window(key, window, now).append(now)

    def reset(self, key: str | None = None) -> None:
        with self._lock:
            if key is None:
                self._hits.clear()
            else:
                self._hits.pop(key, None)


def limiter() -> MemoryLimiter:
    from flask import current_app

    return current_app.extensions["steward.limiter"]


def too_many(seconds: int, detail: str | None = None):
    """The 429 problem, with ``Retry-After``."""
    from .errors import RateLimited

    return RateLimited(seconds, detail)


def enforce(*limits: tuple[str, int, float], hit: bool = True) -> None:
    """Refuse with 429 when any ``(key, limit, window)`` is exhausted; otherwise count this request."""
    wait = max((limiter().blocked_for(key, n, window) for key, n, window in limits), default=0)
    if wait:
        raise too_many(wait)
    if hit:
        for key, _, window in limits:
            limiter().hit(key, window)


def public_read(ip: str | None) -> None:
    """The limit of tokenless reads (address pickers, demo codes) per client address."""
    from flask import current_app

    enforce((f"public:ip:{ip}", current_app.config["PUBLIC_LIMIT_PER_IP"], 60))
