"""Brute-force protection of the login: failed attempts per username and per client address.

After ``max_failures`` failed logins for one username, or ``max_failures_per_address`` from
one client address, within ``window_s`` seconds, further logins for that username or from
that address are refused (HTTP 429 with ``Retry-After``) until the oldest failure leaves the
window, even with the right password, so guessing cannot go on. Unknown usernames are
counted exactly like existing ones, so the answers never tell whether an account exists.
A successful login clears the failures of its username; the failures of the address stay
until they leave the window, so one valid account cannot be used to reset a
password-guessing budget across other usernames.

The counters live in the memory of one server process (with several server processes each
keeps its own, so the limits apply per process).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

MAX_KEYS = 100_000
"""Counters kept at most; the oldest are dropped beyond (bounds the memory an attack uses)."""


class LoginLimiter:
    """Counts failed logins per username and per client address in a sliding window.

    Args:
        max_failures: Failed logins of one username allowed within the window.
        max_failures_per_address: Failed logins from one address allowed within the window.
        window_s: Length of the window in seconds.
        clock: Monotonic clock in seconds (tests pass a fake one).
    """

    def __init__(
        self,
        max_failures: int = 5,
        max_failures_per_address: int = 20,
        window_s: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.max_failures = max_failures
        self.max_failures_per_address = max_failures_per_address
        self.window_s = window_s
        self.clock = clock
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _keys(self, username: str, address: str) -> list[tuple[tuple[str, str], int]]:
        return [
            (("user", username.strip().lower()), self.max_failures),
            (("address", address), self.max_failures_per_address),
        ]

    def _recent(self, key: tuple[str, str], at: float) -> deque[float]:
        times = self._failures.get(key)
        if times is None:
            return deque()
        while times and times[0] <= at - self.window_s:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def retry_after(self, username: str, address: str) -> int | None:
        """Whole seconds until a login for ``username`` from ``address`` is allowed again.

        Returns:
            ``None`` when the login may be tried now.
        """
        at = self.clock()
        wait = 0.0
        with self._lock:
            for key, limit in self._keys(username, address):
                times = self._recent(key, at)
                if len(times) >= limit:
                    wait = max(wait, times[len(times) - limit] + self.window_s - at)
        return max(1, math.ceil(wait)) if wait > 0 else None

    def failed(self, username: str, address: str) -> None:
        """Record a failed login."""
        at = self.clock()
        with self._lock:
            if len(self._failures) >= MAX_KEYS:
                for key in list(self._failures)[: MAX_KEYS // 10]:
                    del self._failures[key]
            for key, _ in self._keys(username, address):
                self._failures.setdefault(key, deque()).append(at)

    def succeeded(self, username: str) -> None:
        """Clear the failures of ``username`` after a successful login."""
        with self._lock:
            self._failures.pop(self._keys(username, "")[0][0], None)
